/**
 * Schema build: the type-graphql schema from the model registry, and the Federation 2 subgraph built over its
 * printed SDL (the type-graphql `apollo-federation-2` recipe) with `__resolveReference` through the loaders.
 *
 * The core imports no model: the composition root (src/models.ts, chosen by `PROFIT_MODEL`) imports one, which
 * registers its entities and write declarations, and hands its own resolvers here with `useModel`.
 */
import { buildSubgraphSchema as buildApolloSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { type GraphQLFieldResolver, type GraphQLSchema, graphql, isObjectType, parse } from 'graphql';
import { buildSchema, createResolversMap } from 'type-graphql';
import {
  type FieldGuard,
  type FieldRoles,
  fieldRolesOf,
  guarded,
  guardOf,
  isGuard,
  plainFieldsOf,
  unguarded,
} from './auth/guard.js';
import { AccessResolver, getGrant, profitAuthChecker, TypeAccessResolver } from './auth/index.js';
import { type EntityBinding, entityBindings, type GeneratedClass } from './binding.js';
import { PageInfo } from './connection.js';
import type { RequestContext } from './context.js';
import { toGraphQLError } from './errors.js';
import { asError, type KeyValue } from './loaders.js';
import { createEntityResolver, createEntityTypes, directRelationResolvers } from './resolvers.js';
import { DateScalar, DateTimeScalar, DecimalScalar } from './scalars.js';
import { writeResolvers } from './write/index.js';

/**
 * The Federation 2 version and directives this subgraph uses. v2.6 is the first with both `@requiresScopes` and
 * `@authenticated` usable by a subgraph (2.5 introduced them), so a router can refuse what the caller's scopes do
 * not cover before planning (see src/graphql/auth).
 */
export const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key", "@shareable", "@requiresScopes", "@authenticated"])';

/** What a model module offers beyond the entities and write declarations its import registers. */
export interface ModelModule {
  /**
   * Resolver classes of its own (the demo model's files and reports), or a function giving them when the schema is
   * first built (for resolvers made from declarations registered after import). @default none
   */
  readonly resolvers?: readonly GeneratedClass[] | (() => readonly GeneratedClass[]);
}

let model: { readonly name: string; readonly resolvers: () => readonly GeneratedClass[] } | undefined;

/**
 * Makes the loaded model the one the schema is built from. type-graphql's metadata is global, so a process serves
 * one model: choosing another afterwards is an error, choosing the same again is not.
 */
export function useModel(name: string, module: ModelModule): void {
  if (model && model.name !== name) throw new Error(`model '${model.name}' is in use; one process serves one model`);
  const own = module.resolvers ?? [];
  model ??= { name, resolvers: typeof own === 'function' ? own : () => own };
}

function modelInUse(): NonNullable<typeof model> {
  if (!model) throw new Error('no model: load one first (loadModel in src/models.ts, chosen by PROFIT_MODEL)');
  return model;
}

let resolverClasses: GeneratedClass[] | undefined;

/** Generates the input, connection and resolver classes once per process (type-graphql's metadata is global). */
function generated(): { bindings: EntityBinding[]; resolvers: GeneratedClass[] } {
  // By name, so the schema's order does not depend on the order in which ES modules in a cycle evaluate.
  const bindings = entityBindings().sort((a, b) => a.name.localeCompare(b.name));
  if (!resolverClasses) {
    const types = createEntityTypes(bindings);
    resolverClasses = [...types.values()].map((t) => createEntityResolver(t, types));
    // `me`: what the caller may read and write (auth/me.ts).
    resolverClasses.push(AccessResolver, TypeAccessResolver);
  }
  return { bindings, resolvers: resolverClasses };
}

type Resolver = GraphQLFieldResolver<unknown, unknown>;

/** The type-graphql schema with its guards in place, and what the open schema needs to leave them out. */
interface GuardedTypeGraphQLSchema {
  readonly schema: GraphQLSchema;
  readonly roles: FieldRoles;
  /** `Type.field` → its resolver without the guard, for every guarded field. */
  readonly unguardedResolvers: ReadonlyMap<string, Resolver>;
}

let typeGraphQLSchema: Promise<GuardedTypeGraphQLSchema> | undefined;

/** The plain type-graphql schema (no federation fields), e.g. for cost analysis. Built once. */
export async function buildTypeGraphQLSchema(): Promise<GraphQLSchema> {
  return (await guardedTypeGraphQLSchema()).schema;
}

const readProperty =
  (property: string): Resolver =>
  (root) =>
    (root as Record<string, unknown>)[property];

/**
 * Puts guard.ts's check in front of every field that needs a grant (replacing type-graphql's per-field auth
 * middleware of `@Authorized` properties by a plain read behind the check).
 */
function guardFields(schema: GraphQLSchema, roles: FieldRoles): Map<string, Resolver> {
  const raw = new Map<string, Resolver>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const guard = guardOf(roles, type.name, field.name);
      if (!guard) continue;
      const resolve: Resolver | undefined =
        guard.property !== undefined ? readProperty(guard.property) : (field.resolve as Resolver | undefined);
      if (!resolve) throw new Error(`${type.name}.${field.name} needs a grant but has no resolver`);
      raw.set(`${type.name}.${field.name}`, unguarded(resolve as never, guard) as Resolver);
      field.resolve = guarded(resolve as never, guard) as Resolver;
    }
  }
  return raw;
}

function guardedTypeGraphQLSchema(): Promise<GuardedTypeGraphQLSchema> {
  typeGraphQLSchema ??= (async () => {
    const modelResolvers = modelInUse().resolvers();
    const { resolvers, bindings } = generated();
    const schema = await buildSchema({
      resolvers: [...resolvers, ...modelResolvers, ...writeResolvers()] as [GeneratedClass, ...GeneratedClass[]],
      orphanedTypes: [PageInfo],
      scalarsMap: [],
      // Federation directives (@key, @shareable) are declared by the subgraph build, not here.
      skipCheck: true,
      validate: false,
      // `@Authorized` (bound fields) needs a checker; guardFields replaces those fields' resolvers (guard.ts).
      authChecker: profitAuthChecker,
      authMode: 'error',
    });
    // Relations resolve from graphql-js's arguments, not through type-graphql's handler (resolvers.ts).
    for (const [key, resolve] of directRelationResolvers()) {
      const [typeName = '', fieldName = ''] = key.split('.');
      const type = schema.getType(typeName);
      const field = isObjectType(type) ? type.getFields()[fieldName] : undefined;
      if (!field) throw new Error(`relation ${key} is not in the schema`);
      field.resolve = resolve;
    }
    const roles = fieldRolesOf(schema);
    const unguardedResolvers = guardFields(schema, roles);
    assertGuarded(schema, bindings, roles);
    return { schema, roles, unguardedResolvers };
  })();
  return typeGraphQLSchema;
}

/**
 * The subgraph twice over the same types: `schema` checks every field that needs a grant as it resolves (safe under
 * any executor); `open` leaves the checks out, for an operation whose every role the executor decided allowed
 * beforehand (auth/guard.ts, src/server/execution.ts). `roles` is the registry both were built from.
 */
export interface ExecutableSubgraph {
  readonly schema: GraphQLSchema;
  readonly open: GraphQLSchema;
  readonly roles: FieldRoles;
}

let subgraph: Promise<ExecutableSubgraph> | undefined;

/** Rejects with what `error` means to a GraphQL client (errors.ts `toGraphQLError`). */
function rethrowTranslated(error: unknown): never {
  throw toGraphQLError(error);
}

/**
 * An entity's references at once, for `_entities` of the open schema: per reference its row, null, or the Error
 * that reference met (untranslated). Never rejects: a failure is each reference's error, as with one promise each.
 */
type ReferencesResolver = (references: readonly Record<string, KeyValue>[], ctx: RequestContext) => Promise<unknown[]>;

/**
 * `_entities` of the open schema: every reference through its entity's loader, as @apollo/subgraph's resolver does,
 * less what that costs per reference. One promise for the whole list, resolving to an entity, null or an Error per
 * reference (the executor reports an Error item as that item's error, at its index, as it would a rejected item):
 * 500 references no longer cost 500 promises and their continuations, an async function awaiting each to define
 * `__typename` (the row entities carry it on their prototype, binding.ts), nor the type and cache-hint lookups
 * (Apollo's cache control is off; the response cache reads the entities' hints itself). A representation of any
 * other type (or not an object) leaves the whole list to Apollo's resolver, for its own errors.
 */
function directEntities(schema: GraphQLSchema, references: ReadonlyMap<string, ReferencesResolver>): void {
  const field = schema.getQueryType()?.getFields()._entities;
  const apollo = field?.resolve;
  if (field === undefined || apollo === undefined) return;
  field.resolve = (source, args, ctx, info) => {
    const representations = (args as { representations?: unknown }).representations;
    if (!Array.isArray(representations)) return apollo(source, args, ctx, info);
    // Indexes of the representations by type, in order (usually one type).
    const byType = new Map<ReferencesResolver, number[]>();
    for (let i = 0; i < representations.length; i++) {
      const reference: unknown = representations[i];
      const typename =
        typeof reference === 'object' && reference !== null
          ? (reference as Record<string, unknown>).__typename
          : undefined;
      const resolve = typeof typename === 'string' ? references.get(typename) : undefined;
      if (resolve === undefined) return apollo(source, args, ctx, info);
      const indexes = byType.get(resolve);
      if (indexes === undefined) byType.set(resolve, [i]);
      else indexes.push(i);
    }
    const of = (indexes: readonly number[]) =>
      indexes.length === representations.length
        ? (representations as Record<string, KeyValue>[])
        : indexes.map((i) => representations[i] as Record<string, KeyValue>);
    if (byType.size === 1) {
      const [[resolve, indexes]] = [...byType] as [[ReferencesResolver, number[]]];
      return resolve(of(indexes), ctx as RequestContext);
    }
    const out = new Array<unknown>(representations.length);
    return Promise.all(
      [...byType].map(([resolve, indexes]) =>
        resolve(of(indexes), ctx as RequestContext).then((values) => {
          for (let j = 0; j < indexes.length; j++) out[indexes[j] as number] = values[j];
        }),
      ),
    ).then(() => out);
  };
}

/** The federated schema served at /graphql: `_service`, `_entities` and `__resolveReference` for every entity. */
export async function buildSubgraphSchema(): Promise<GraphQLSchema> {
  return (await buildExecutableSubgraph()).schema;
}

/** Both builds of the subgraph (see `ExecutableSubgraph`). Built once. */
export function buildExecutableSubgraph(): Promise<ExecutableSubgraph> {
  subgraph ??= (async () => {
    const { schema, roles, unguardedResolvers } = await guardedTypeGraphQLSchema();
    const { bindings } = generated();
    const typeDefs = parse(`${FEDERATION_LINK}\n\n${printSchemaWithDirectives(schema)}`);
    const guardedMap = createResolversMap(schema) as GraphQLResolverMap<unknown>;
    const openMap = createResolversMap(schema) as GraphQLResolverMap<unknown>;
    const plain = plainFieldsOf();
    for (const [typeName, fields] of Object.entries(openMap)) {
      if (!isObjectType(schema.getType(typeName))) continue;
      const open = fields as Record<string, unknown>;
      for (const fieldName of Object.keys(open)) {
        const key = `${typeName}.${fieldName}`;
        const guard: FieldGuard | undefined = guardOf(roles, typeName, fieldName);
        if (guard?.property === fieldName || (!guard && plain.has(key))) delete open[fieldName];
        else if (guard) open[fieldName] = unguardedResolvers.get(key);
      }
    }
    const references = new Map<string, ReferencesResolver>();
    for (const binding of bindings) {
      // _entities is no side door: the entity's connector is checked before its loader runs, in both builds (its
      // fields are then decided like anywhere else). The references of one type at once: one grant check and one
      // batch, each reference's failure its own Error (see `ReferencesResolver`).
      const grant = [getGrant(binding.connector)];
      const resolveAll: ReferencesResolver = (list, ctx) => {
        // A whole list in one batch (`Loaders.entitiesByKey`); one reference at a time (Apollo's resolver) through the
        // DataLoader, which batches the references asked in the same tick.
        const keys = () => list.map((r) => binding.key.map((k) => r[k]));
        const loadAll = () =>
          list.length === 1 ? ctx.loaders.entity(binding).loadMany(keys()) : ctx.loaders.entitiesByKey(binding, keys());
        const failAll = (error: unknown) => new Array<Error>(list.length).fill(asError(error));
        try {
          const pending = ctx.auth.require(grant);
          return pending === undefined ? loadAll() : pending.then(loadAll, failAll);
        } catch (error) {
          return Promise.resolve(failAll(error));
        }
      };
      // The open schema runs only under the executor, which translates every error once (execution.ts).
      references.set(binding.name, resolveAll);
      // Apollo's resolver (the guarded build, and any list the direct one leaves to it) asks one reference at a time.
      const __resolveReference = (reference: Record<string, KeyValue>, ctx: RequestContext): Promise<unknown> =>
        resolveAll([reference], ctx).then(([value]) => (value instanceof Error ? rethrowTranslated(value) : value));
      for (const map of [guardedMap, openMap]) {
        map[binding.name] = { ...(map[binding.name] ?? {}), __resolveReference } as GraphQLResolverMap<unknown>[string];
      }
    }
    // Only the scalars the model uses: a resolver for a type the schema lacks would fail the build.
    for (const scalar of [DecimalScalar, DateTimeScalar, DateScalar]) {
      if (!schema.getType(scalar.name)) continue;
      guardedMap[scalar.name] = scalar;
      openMap[scalar.name] = scalar;
    }
    const open = buildApolloSubgraphSchema({ typeDefs, resolvers: openMap });
    directEntities(open, references);
    return { schema: buildApolloSubgraphSchema({ typeDefs, resolvers: guardedMap }), open, roles };
  })();
  return subgraph;
}

/**
 * Every bound field and relation must be in the roles registry, and the served schema must check it: this fails
 * the build, rather than a request, if that ever stops being true (a field declared without roles, or
 * `simpleResolvers: true` on a model, which type-graphql builds as a plain read that no guard sees).
 */
function assertGuarded(schema: GraphQLSchema, bindings: readonly EntityBinding[], roles: FieldRoles): void {
  for (const binding of bindings) {
    const type = schema.getType(binding.name);
    const fields = type && 'getFields' in type ? (type.getFields() as Record<string, { resolve?: unknown }>) : {};
    for (const property of [...binding.fields.keys(), ...binding.relations.keys()]) {
      if (!guardOf(roles, binding.name, property) || !isGuard(fields[property]?.resolve)) {
        throw new Error(`${binding.name}.${property} is not guarded: it would skip the authorization check`);
      }
    }
  }
}

/** The subgraph SDL exactly as `{ _service { sdl } }` returns it (for schema/subgraph.graphql and composition). */
export async function printSubgraphSdl(): Promise<string> {
  const result = await graphql({ schema: await buildSubgraphSchema(), source: '{ _service { sdl } }' });
  const sdl = (result.data as { _service?: { sdl?: unknown } } | null | undefined)?._service?.sdl;
  if (typeof sdl !== 'string') throw new Error(`_service { sdl } failed: ${JSON.stringify(result.errors)}`);
  return sdl;
}

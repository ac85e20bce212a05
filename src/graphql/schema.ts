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
import { type GraphQLSchema, graphql, parse } from 'graphql';
import { buildSchema, createResolversMap } from 'type-graphql';
import { AccessResolver, getGrant, profitAuthChecker, TypeAccessResolver } from './auth/index.js';
import { type EntityBinding, entityBindings, type GeneratedClass } from './binding.js';
import { PageInfo } from './connection.js';
import type { RequestContext } from './context.js';
import { translated } from './errors.js';
import type { KeyValue } from './loaders.js';
import { createEntityResolver, createEntityTypes } from './resolvers.js';
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

let typeGraphQLSchema: Promise<GraphQLSchema> | undefined;
let subgraphSchema: Promise<GraphQLSchema> | undefined;

/** The plain type-graphql schema (no federation fields), e.g. for cost analysis. Built once. */
export function buildTypeGraphQLSchema(): Promise<GraphQLSchema> {
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
      // Every @Authorized field (bound fields, root queries, relations, mutations) asks the caller's grant (auth/).
      authChecker: profitAuthChecker,
      authMode: 'error',
    });
    assertGuarded(schema, bindings);
    return schema;
  })();
  return typeGraphQLSchema;
}

/** The federated schema served at /graphql: `_service`, `_entities` and `__resolveReference` for every entity. */
export function buildSubgraphSchema(): Promise<GraphQLSchema> {
  subgraphSchema ??= (async () => {
    const schema = await buildTypeGraphQLSchema();
    const { bindings } = generated();
    const resolvers = createResolversMap(schema) as GraphQLResolverMap<unknown>;
    for (const binding of bindings) {
      const typeResolvers = (resolvers[binding.name] ?? {}) as Record<string, unknown>;
      resolvers[binding.name] = {
        ...typeResolvers,
        // _entities is no side door: the entity's connector is checked before its loader runs (its fields are then
        // checked one by one, as anywhere else).
        __resolveReference: (reference: Record<string, KeyValue>, ctx: RequestContext) =>
          translated(async () => {
            await ctx.auth.require([getGrant(binding.connector)]);
            return ctx.loaders.entity(binding).load(binding.key.map((k) => reference[k]));
          }),
      } as GraphQLResolverMap<unknown>[string];
    }
    // Only the scalars the model uses: a resolver for a type the schema lacks would fail the build.
    for (const scalar of [DecimalScalar, DateTimeScalar, DateScalar]) {
      if (schema.getType(scalar.name)) resolvers[scalar.name] = scalar;
    }
    const typeDefs = parse(`${FEDERATION_LINK}\n\n${printSchemaWithDirectives(schema)}`);
    return buildApolloSubgraphSchema({ typeDefs, resolvers });
  })();
  return subgraphSchema;
}

/**
 * type-graphql builds a field without roles or middleware as a plain property read when asked to ("simple"), and
 * such a field skips the auth checker. Every bound field has roles, so each must have a resolver: this fails the
 * build, rather than a request, if that ever stops being true (for example `simpleResolvers: true` on a model).
 */
function assertGuarded(schema: GraphQLSchema, bindings: readonly EntityBinding[]): void {
  for (const binding of bindings) {
    const type = schema.getType(binding.name);
    const fields = type && 'getFields' in type ? (type.getFields() as Record<string, { resolve?: unknown }>) : {};
    for (const property of [...binding.fields.keys(), ...binding.relations.keys()]) {
      if (typeof fields[property]?.resolve !== 'function') {
        throw new Error(`${binding.name}.${property} has no resolver: it would skip the auth checker`);
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

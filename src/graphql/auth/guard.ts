/**
 * Where authorization runs: once per operation, not once per row.
 *
 * Every field that needs a grant has its roles in one registry (`FieldRoles`), read once from the built schema:
 * the `profitRoles` extension that `requireGrant` and the generated root queries and relations declare, and the
 * roles of type-graphql's `@Authorized` (bound fields: their connector and connector field, binding.ts). From it
 * the schema is built twice over the same types:
 *
 * - **guarded** (what `buildSubgraphSchema` serves, and the fallback): each such field asks the request's
 *   authorization before its resolver runs, synchronously once the role is decided; a denied field is null with
 *   FORBIDDEN and its resolver does not run. Safe under any executor.
 * - **open**: the same resolvers without the check. Only the executor (src/server/execution.ts) runs it, and only
 *   after `operationRoles` collected every role the operation can reach (fragments, aliases, abstract types) and
 *   the caller's grant allowed all of them. A single denial (or a grant that cannot be read) runs the guarded one,
 *   which reports each denied occurrence exactly as before.
 */
import {
  type DocumentNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  isAbstractType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { toGraphQLError } from '../errors.js';
import type { RequestAuthorization } from './request.js';
import { parseGrant } from './roles.js';

/** The field extension that carries a field's roles (set by `requireGrant` and the generated resolvers). */
export const ROLES_EXTENSION = 'profitRoles';
/** The field extension that marks a field whose Profit failures must reach `auth.observe` (`requireGrant`). */
export const OBSERVE_EXTENSION = 'profitObserveGrant';

/** What one field needs: every role must hold. */
export interface FieldGuard {
  readonly roles: readonly string[];
  /** Its failures are shown to `auth.observe` (a grant that changed since it was cached). */
  readonly observe: boolean;
  /**
   * For a plain property with `@Authorized` (a bound field): the property its value is read from. type-graphql's
   * own resolver of it carries its auth middleware, so the guards read the property instead.
   */
  readonly property?: string;
}

/** `Type.field` → what it needs; fields without roles are not in it. */
export type FieldRoles = ReadonlyMap<string, FieldGuard>;

const keyOf = (type: string, field: string) => `${type}.${field}`;

/**
 * The registry, from a schema built by type-graphql: the roles extension of every field, and the roles
 * type-graphql's metadata holds for `@Authorized` fields (on the field, or on the class for its other fields).
 */
export function fieldRolesOf(schema: GraphQLSchema): Map<string, FieldGuard> {
  const declared = new Map<string, string[]>();
  const properties = new Map<string, string>();
  const add = (key: string, roles: readonly unknown[] | undefined) => {
    if (!roles?.length) return;
    const list = declared.get(key) ?? [];
    for (const r of roles) if (typeof r === 'string' && !list.includes(r)) list.push(r);
    declared.set(key, list);
  };
  const storage = getMetadataStorage();
  for (const type of storage.objectTypes) {
    for (const f of type.fields ?? []) {
      if (!f.roles?.length) continue;
      add(keyOf(type.name, f.schemaName), f.roles);
      const resolved = storage.fieldResolvers.some(
        (r) => r.methodName === f.name && (r.getObjectType?.() ?? r.target) === type.target,
      );
      if (!resolved) properties.set(keyOf(type.name, f.schemaName), f.name);
    }
  }
  const query = schema.getQueryType()?.name;
  const mutation = schema.getMutationType()?.name;
  if (query) for (const q of storage.queries) add(keyOf(query, q.schemaName), q.roles);
  if (mutation) for (const m of storage.mutations) add(keyOf(mutation, m.schemaName), m.roles);
  const out = new Map<string, FieldGuard>();
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const key = keyOf(type.name, field.name);
      add(key, field.extensions?.[ROLES_EXTENSION] as readonly unknown[] | undefined);
      const roles = declared.get(key);
      if (!roles) continue;
      // A typo in a role fails the build, not a request.
      for (const r of roles) parseGrant(r);
      const property = properties.get(key);
      out.set(key, {
        roles,
        observe: field.extensions?.[OBSERVE_EXTENSION] === true,
        ...(property !== undefined ? { property } : {}),
      });
    }
  }
  return out;
}

/**
 * Fields type-graphql resolves by reading the property of the same name, with no roles and no middleware (edges,
 * cursors, page info): graphql's default resolver does the same, and a compiled executor inlines it.
 */
export function plainFieldsOf(): Set<string> {
  const storage = getMetadataStorage();
  const out = new Set<string>();
  for (const type of storage.objectTypes) {
    for (const f of type.fields ?? []) {
      if (f.roles?.length || f.middlewares?.length || f.name !== f.schemaName) continue;
      const resolved = storage.fieldResolvers.some(
        (r) => r.methodName === f.name && (r.getObjectType?.() ?? r.target) === type.target,
      );
      if (!resolved) out.add(keyOf(type.name, f.schemaName));
    }
  }
  return out;
}

/** The guard of `Type.field`, if it has one. */
export function guardOf(roles: FieldRoles, type: string, field: string): FieldGuard | undefined {
  return roles.get(keyOf(type, field));
}

type Resolver = GraphQLFieldResolver<unknown, { auth?: RequestAuthorization } | undefined>;

const guards = new WeakSet<object>();

/** Whether `resolve` is a guard made by `guarded` (for the build's own check, schema.ts). */
export function isGuard(resolve: unknown): boolean {
  return typeof resolve === 'function' && guards.has(resolve);
}

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** Shows a `requireGrant` field's failure to the request's authorization, then rethrows it. */
export function observing(resolve: Resolver): Resolver {
  return (root, args, ctx, info) => {
    const fail = (error: unknown): never => {
      ctx?.auth?.observe(error);
      throw error;
    };
    try {
      const value = resolve(root, args, ctx, info);
      return isPromise(value) ? value.catch(fail) : value;
    } catch (error) {
      return fail(error);
    }
  };
}

/**
 * Translates what a resolver throws (errors.ts), so the guarded schema answers with the same codes under any
 * executor. The executor translates the open schema's errors once per request instead.
 */
function translating(resolve: Resolver): Resolver {
  return (root, args, ctx, info) => {
    try {
      const value = resolve(root, args, ctx, info);
      return isPromise(value)
        ? value.catch((error: unknown) => {
            throw toGraphQLError(error);
          })
        : value;
    } catch (error) {
      throw toGraphQLError(error);
    }
  };
}

/**
 * A failed check as the caller sees it: a denial as it is; a failed lookup (a refused credential, Profit
 * unreachable) with its code like any Profit failure, naming the connector whose grant could not be read.
 */
export function checkFailure(auth: RequestAuthorization, error: unknown, roles: readonly string[]): unknown {
  auth.observe(error);
  const translated = toGraphQLError(error);
  if (!(translated instanceof GraphQLError) || translated.extensions.connector !== undefined) return translated;
  const first = roles[0] === undefined ? undefined : parseGrant(roles[0]).connector;
  return new GraphQLError(translated.message, {
    originalError: translated.originalError ?? undefined,
    extensions: { ...translated.extensions, ...(first !== undefined ? { connector: first } : {}) },
  });
}

/**
 * The guarded resolver: every role must hold for the caller before `resolve` runs. A context without `auth` is
 * refused: enforcement fails closed.
 */
export function guarded(resolve: Resolver, guard: FieldGuard): Resolver {
  const inner = translating(guard.observe ? observing(resolve) : resolve);
  const { roles } = guard;
  const check: Resolver = (root, args, ctx, info) => {
    const auth = ctx?.auth;
    if (auth === undefined) {
      throw new GraphQLError('This request has no Profit authorization context', {
        extensions: { code: 'FORBIDDEN', reason: 'no-context' },
      });
    }
    let pending: Promise<void> | undefined;
    try {
      pending = auth.require(roles);
    } catch (error) {
      throw checkFailure(auth, error, roles);
    }
    if (pending === undefined) return inner(root, args, ctx, info);
    return pending.then(
      () => inner(root, args, ctx, info),
      (error: unknown) => {
        throw checkFailure(auth, error, roles);
      },
    );
  };
  guards.add(check);
  return check;
}

/** The open resolver: no check (the executor decided the whole operation); failures still observed. */
export function unguarded(resolve: Resolver, guard: FieldGuard): Resolver {
  return guard.observe ? observing(resolve) : resolve;
}

/** Roles per registry, parsed document and operation name. */
const planned = new WeakMap<FieldRoles, WeakMap<DocumentNode, Map<string, readonly string[]>>>();

/**
 * Every role the operation can need: the roles of each field it selects, through fragments and aliases, and on
 * an abstract type those of every type that can answer it. `@skip` / `@include` are ignored: a skipped field's
 * roles are decided too, which at most reads a grant the request did not need. Memoised per parsed document (Apollo
 * keeps one per query text). graphql-js executes no field outside these selection sets, so an operation whose
 * roles are all allowed cannot reach a field that is denied.
 */
export function operationRoles(
  schema: GraphQLSchema,
  roles: FieldRoles,
  document: DocumentNode,
  operation: OperationDefinitionNode,
): readonly string[] {
  const name = operation.name?.value ?? '';
  let byDocument = planned.get(roles);
  if (!byDocument) {
    byDocument = new WeakMap();
    planned.set(roles, byDocument);
  }
  let byOperation = byDocument.get(document);
  const known = byOperation?.get(name);
  if (known) return known;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const found = new Set<string>();
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode, parent: GraphQLNamedType | undefined | null) => {
    if (!parent) return;
    const answering: readonly GraphQLObjectType[] = isAbstractType(parent)
      ? schema.getPossibleTypes(parent)
      : isObjectType(parent)
        ? [parent]
        : [];
    for (const s of set.selections) {
      if (s.kind === Kind.FIELD) {
        const fieldName = s.name.value;
        if (fieldName.startsWith('__')) continue;
        for (const type of answering) {
          const field = type.getFields()[fieldName] as GraphQLField<unknown, unknown> | undefined;
          if (!field) continue;
          for (const r of guardOf(roles, type.name, fieldName)?.roles ?? []) found.add(r);
          if (s.selectionSet) visit(s.selectionSet, getNamedType(field.type));
        }
      } else if (s.kind === Kind.INLINE_FRAGMENT) {
        visit(s.selectionSet, s.typeCondition ? schema.getType(s.typeCondition.name.value) : parent);
      } else {
        const fragment = fragments.get(s.name.value);
        if (!fragment || seen.has(fragment.name.value)) continue;
        seen.add(fragment.name.value);
        visit(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value));
      }
    }
  };
  const root =
    operation.operation === 'query'
      ? schema.getQueryType()
      : operation.operation === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  visit(operation.selectionSet, root);
  const result = [...found];
  if (!byOperation) {
    byOperation = new Map();
    byDocument.set(document, byOperation);
  }
  byOperation.set(name, result);
  return result;
}

/** Whether the caller's grant allows every one of `roles` (false also when a grant cannot be read). */
export async function allowsAll(auth: RequestAuthorization, roles: readonly string[]): Promise<boolean> {
  try {
    const decisions = await Promise.all(roles.map((r) => auth.decide(r)));
    return decisions.every((d) => d === undefined);
  } catch {
    return false;
  }
}

/**
 * Resolvers generated from the registry: per entity, the root queries `x(key)` and `xs(where, orderBy, first,
 * after)` and a field resolver per relation. They are thin: arguments → compiled query → loader → connection.
 * What they throw is translated once (errors.ts `toGraphQLError`): by the executor, or by the guarded schema.
 */
import { type GraphQLFieldResolver, GraphQLID, GraphQLInt } from 'graphql';
import { Arg, Ctx, Directive, Extensions, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { GetQuery } from '../profit/index.js';
import { requiresScopesDirective } from './auth/checker.js';
import { ROLES_EXTENSION } from './auth/guard.js';
import { getGrant } from './auth/roles.js';
import { bindingOf, type EntityBinding, type GeneratedClass, type RelationBinding } from './binding.js';
import {
  type Connection,
  type ConnectionTypes,
  createConnectionTypes,
  DEFAULT_FIRST,
  listFingerprint,
  MAX_FIRST,
  pageRequest,
  toConnection,
} from './connection.js';
import type { RequestContext } from './context.js';
import { toGraphQLError } from './errors.js';
import { createEntityInputs, type EntityInputs, fieldSpecs, normalizeIdFilters } from './inputs.js';
import { type KeyValue, type MatchingSpec, splitCallCount } from './loaders.js';
import { compileOrderBy, compileWhere, type OrderByInput, type WhereInput } from './where/index.js';

export interface EntityTypes {
  readonly binding: EntityBinding;
  readonly inputs: EntityInputs;
  readonly connection: ConnectionTypes;
}

/** Generated input and connection types for every entity; created once per process. */
export function createEntityTypes(bindings: readonly EntityBinding[]): Map<EntityBinding, EntityTypes> {
  return new Map(
    bindings.map((binding) => [
      binding,
      { binding, inputs: createEntityInputs(binding), connection: createConnectionTypes(binding) },
    ]),
  );
}

export interface ListArgs {
  readonly where?: WhereInput | null;
  readonly orderBy?: readonly OrderByInput[] | null;
  readonly first?: number | null;
  readonly after?: string | null;
}

/**
 * Compiles where/orderBy of a list; the fingerprint covers exactly what defines the list's rows and order. A refusal
 * is BAD_USER_INPUT here: a WhereError carries its own `path` (in the where), which graphql-js would take for the
 * error's location in the response if it reached the executor untranslated.
 */
export function compileList(binding: EntityBinding, args: ListArgs): CompiledList {
  const whereKey: unknown = args.where ?? NONE;
  const orderByKey: unknown = args.orderBy ?? NONE;
  // Not an object (the cost estimate passes whatever the document holds): nothing to key on, compile it.
  if (typeof whereKey !== 'object' || whereKey === null || typeof orderByKey !== 'object' || orderByKey === null) {
    return compileListArgs(binding, args);
  }
  // The same arguments object (no where / orderBy, or a variable's value) compile to the same list: a relation
  // resolved for 100 parents compiles its arguments once. Arguments are never changed once parsed.
  let byWhere = compiledLists.get(binding);
  if (byWhere === undefined) {
    byWhere = new WeakMap();
    compiledLists.set(binding, byWhere);
  }
  let byOrderBy = byWhere.get(whereKey);
  if (byOrderBy === undefined) {
    byOrderBy = new WeakMap();
    byWhere.set(whereKey, byOrderBy);
  }
  let list = byOrderBy.get(orderByKey);
  if (list === undefined) {
    list = compileListArgs(binding, args);
    byOrderBy.set(orderByKey, list);
  }
  return list;
}

export interface CompiledList {
  readonly filter: GetQuery['filter'] & object;
  readonly orderBy: GetQuery['orderBy'] & object;
  readonly fingerprint: string;
}

const NONE = {};
const compiledLists = new WeakMap<EntityBinding, WeakMap<object, WeakMap<object, CompiledList>>>();

function compileListArgs(binding: EntityBinding, args: ListArgs): CompiledList {
  try {
    const specs = fieldSpecs(binding);
    const where = normalizeIdFilters(args.where ?? null, binding) as WhereInput | null;
    const filter = compileWhere(where, specs);
    const orderBy = compileOrderBy(args.orderBy ?? null, specs, binding.key);
    return { filter, orderBy, fingerprint: listFingerprint({ type: binding.name, where, orderBy }) };
  } catch (error) {
    throw toGraphQLError(error);
  }
}

/**
 * The Profit calls one page of a list with this `where` makes: 1, or the calls a where over the query-string limit
 * is split into. For the cost estimate (auth/limits.ts), which runs before validation: a where that does not
 * compile counts 1 (it is refused before any call).
 */
export function listCallCount(binding: EntityBinding, where: unknown): number {
  try {
    const list = compileList(binding, { where: where as WhereInput | null });
    return splitCallCount({ filter: list.filter, orderBy: list.orderBy, skip: 0, take: MAX_FIRST + 1 });
  } catch {
    return 1;
  }
}

/**
 * `xs(where, orderBy, first, after)`: one Profit call for `first + 1` rows from the cursor's offset, or, for a where
 * over the query-string limit, the calls it is split into, merged (`Loaders.page`).
 */
export async function resolveList(
  binding: EntityBinding,
  args: ListArgs,
  ctx: RequestContext,
): Promise<Connection<object>> {
  const list = compileList(binding, args);
  const page = pageRequest(args.first, args.after, list.fingerprint);
  const query: GetQuery = { filter: list.filter, orderBy: list.orderBy, skip: page.offset, take: page.first + 1 };
  const rows = await ctx.loaders.page(binding, query);
  return toConnection(rows, page);
}

function valuesOf(root: object, properties: readonly string[]): KeyValue[] {
  const values = new Array<KeyValue>(properties.length);
  for (let i = 0; i < properties.length; i++) values[i] = (root as Record<string, KeyValue>)[properties[i] as string];
  return values;
}

const isEmpty = (v: KeyValue) => v === null || v === undefined || v === '';

function anyEmpty(values: readonly KeyValue[]): boolean {
  for (let i = 0; i < values.length; i++) if (isEmpty(values[i])) return true;
  return false;
}

/**
 * What a relation resolver needs of its relation, worked out on its first row rather than on each: resolvers run
 * once per parent row (issue 12).
 */
interface RelationPlan {
  readonly target: EntityBinding;
  readonly parent: EntityBinding;
  /** The parent's properties the relation reads, in `on`'s order. */
  readonly sourceProps: readonly string[];
  /** The target's properties they must equal, in the same order. */
  readonly targetProps: readonly string[];
  /** A single relation on exactly the target's key: for each key field, its index in the parent's values. */
  readonly keyIndexes: readonly number[] | undefined;
  /** The matching spec of a single relation not on the key (the target's key order). */
  readonly byOrder: MatchingSpec | undefined;
  /** A list relation's matching spec per compiled list (where / orderBy). */
  readonly specs: WeakMap<CompiledList, MatchingSpec>;
}

const relationPlans = new WeakMap<RelationBinding, RelationPlan>();

function planOf(relation: RelationBinding): RelationPlan {
  let plan = relationPlans.get(relation);
  if (plan === undefined) {
    const target = bindingOf(relation.target());
    const sourceProps = Object.keys(relation.on);
    const targetProps = sourceProps.map((p) => relation.on[p] as string);
    const onKey = !relation.list && sameList([...targetProps].sort(), [...target.key].sort());
    let byOrder: MatchingSpec | undefined;
    if (!relation.list && !onKey) {
      const { orderBy, fingerprint } = byKeyOrder(target);
      byOrder = { properties: targetProps, filter: [], orderBy, fingerprint };
    }
    plan = {
      target,
      parent: bindingOf(relation.source),
      sourceProps,
      targetProps,
      keyIndexes: onKey ? target.key.map((k) => targetProps.indexOf(k)) : undefined,
      byOrder,
      specs: new WeakMap(),
    };
    relationPlans.set(relation, plan);
  }
  return plan;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** A single relation: by key through the entity loader, else the first row matching the target properties. */
export function resolveSingleRelation(
  relation: RelationBinding,
  root: object,
  ctx: RequestContext,
): Promise<object | null> | null {
  const plan = planOf(relation);
  const values = valuesOf(root, plan.sourceProps);
  if (anyEmpty(values)) return null;
  const { keyIndexes, byOrder, target } = plan;
  if (keyIndexes !== undefined) {
    const byKey = keyIndexes.length === 1 ? values : keyIndexes.map((i) => values[i]);
    return ctx.loaders.entity(target).load(byKey);
  }
  return ctx.loaders
    .matching(target, byOrder as MatchingSpec)
    .load(values)
    .then(firstOrNull);
}

const firstOrNull = (rows: readonly object[]): object | null => rows[0] ?? null;

/** The key order of an entity and its fingerprint: what a single relation not on the key reads by. */
function byKeyOrder(binding: EntityBinding): { orderBy: CompiledList['orderBy']; fingerprint: string } {
  let known = keyOrders.get(binding);
  if (known === undefined) {
    const orderBy = compileOrderBy(null, fieldSpecs(binding), binding.key);
    known = { orderBy, fingerprint: listFingerprint({ orderBy }) };
    keyOrders.set(binding, known);
  }
  return known;
}

const keyOrders = new WeakMap<EntityBinding, { orderBy: CompiledList['orderBy']; fingerprint: string }>();

/** A list relation: all matching rows of every parent in the batch at once, then first/after per parent. */
export function resolveListRelation(
  relation: RelationBinding,
  root: object,
  args: ListArgs,
  ctx: RequestContext,
): Promise<Connection<object>> | Connection<object> {
  const plan = planOf(relation);
  const { target, parent } = plan;
  const values = valuesOf(root, plan.sourceProps);
  const list = compileList(target, args);
  // Computed only when a cursor is read or written: most nested lists are never paged on.
  const cursorPrint = () =>
    listFingerprint({
      relation: `${parent.name}.${relation.property}`,
      parent: valuesOf(root, parent.key),
      list: list.fingerprint,
    });
  const page = pageRequest(args.first, args.after, cursorPrint);
  if (anyEmpty(values)) return toConnection([], page);
  let spec = plan.specs.get(list);
  if (spec === undefined) {
    spec = { properties: plan.targetProps, filter: list.filter, orderBy: list.orderBy, fingerprint: list.fingerprint };
    plan.specs.set(list, spec);
  }
  return ctx.loaders
    .matching(target, spec)
    .load(values)
    .then((rows) => toConnection(rows, page, page.offset));
}

/** Applies the list arguments (where, orderBy, first, after) at parameter indices from `at`. */
function listArgs(types: EntityTypes, prototype: object, method: string, at: number): void {
  Arg('where', () => types.inputs.where, { nullable: true })(prototype, method, at);
  Arg('orderBy', () => [types.inputs.orderBy], {
    nullable: true,
    description: 'Sort keys; the key is always appended.',
  })(prototype, method, at + 1);
  Arg('first', () => GraphQLInt, {
    nullable: true,
    defaultValue: DEFAULT_FIRST,
    description: `Rows per page, at most ${MAX_FIRST}.`,
  })(prototype, method, at + 2);
  Arg('after', () => String, { nullable: true, description: 'A cursor from this list: continue after it.' })(
    prototype,
    method,
    at + 3,
  );
}

type Method = (...args: unknown[]) => unknown;

function descriptor(proto: object, method: string): PropertyDescriptor {
  return Object.getOwnPropertyDescriptor(proto, method) as PropertyDescriptor;
}

/**
 * What a root query or relation needs: the GetConnector it reads (auth/), decided before the resolver runs (so a
 * denied one makes no Profit call; auth/guard.ts) and declared to a router as a scope.
 */
function requireConnector(proto: object, method: string, connector: string): void {
  const role = getGrant(connector);
  Extensions({ [ROLES_EXTENSION]: [role] })(proto, method, descriptor(proto, method));
  Directive(requiresScopesDirective([role]))(proto, method, descriptor(proto, method));
}

/**
 * `Type.relation` → the relation's resolver taking graphql-js's own arguments, which the schema build puts in place
 * of type-graphql's handler (schema.ts): that handler sorted, converted and copied the arguments into class
 * instances on every call, once per parent row (a tenth of a nested page's resolver time). The arguments are the
 * same values (the schema declares the same defaults; input objects are read by their properties).
 */
const relationResolvers = new Map<string, GraphQLFieldResolver<unknown, unknown>>();

/** See `relationResolvers`: filled as `createEntityResolver` declares the relations. */
export function directRelationResolvers(): ReadonlyMap<string, GraphQLFieldResolver<unknown, unknown>> {
  return relationResolvers;
}

/** The type-graphql resolver class of one entity: its root queries and its relations. */
export function createEntityResolver(types: EntityTypes, all: ReadonlyMap<EntityBinding, EntityTypes>): GeneratedClass {
  const { binding } = types;
  const name = `${binding.name}Resolver`;
  const cls = { [name]: class {} }[name] as new () => object;
  const proto = cls.prototype as Record<string, Method>;

  if (binding.queries) {
    const keyCount = binding.key.length;
    proto.one = (...params: unknown[]) => {
      const ctx = params[keyCount] as RequestContext;
      return ctx.loaders.entity(binding).load(params.slice(0, keyCount) as KeyValue[]);
    };
    Query(() => binding.target, {
      name: binding.queries.one,
      nullable: true,
      description: `One ${binding.name} by its key; null if there is none.`,
    })(proto, 'one', descriptor(proto, 'one'));
    requireConnector(proto, 'one', binding.connector);
    binding.key.forEach((k, i) => {
      Arg(k, () => GraphQLID)(proto, 'one', i);
    });
    Ctx()(proto, 'one', keyCount);

    proto.list = (where, orderBy, first, after, ctx) =>
      resolveList(binding, { where, orderBy, first, after } as ListArgs, ctx as RequestContext);
    Query(() => types.connection.connection, {
      name: binding.queries.list,
      // Nullable: a caller whose grant lacks the connector gets null and FORBIDDEN here, and the other root fields.
      nullable: true,
      description: `${binding.name} rows from ${binding.connector}, filtered, sorted and paged (Relay).`,
    })(proto, 'list', descriptor(proto, 'list'));
    requireConnector(proto, 'list', binding.connector);
    listArgs(types, proto, 'list', 0);
    Ctx()(proto, 'list', 4);
  }

  for (const relation of binding.relations.values()) {
    const method = `relation${relation.property.charAt(0).toUpperCase()}${relation.property.slice(1)}`;
    const targetTypes = all.get(bindingOf(relation.target()));
    if (!targetTypes) throw new Error(`${binding.name}.${relation.property}: target is not an @Entity`);
    const description = relation.description;
    const field = `${binding.name}.${relation.property}`;
    if (relation.list) {
      relationResolvers.set(field, (root, args, ctx) =>
        resolveListRelation(relation, root as object, args as ListArgs, ctx as RequestContext),
      );
      proto[method] = (root, where, orderBy, first, after, ctx) =>
        resolveListRelation(
          relation,
          root as object,
          { where, orderBy, first, after } as ListArgs,
          ctx as RequestContext,
        );
      FieldResolver(() => targetTypes.connection.connection, {
        name: relation.property,
        // Nullable: a denied relation is null with FORBIDDEN, and its parent keeps its other fields.
        nullable: true,
        ...(description !== undefined ? { description } : {}),
      })(proto, method, descriptor(proto, method));
      requireConnector(proto, method, targetTypes.binding.connector);
      Root()(proto, method, 0);
      listArgs(targetTypes, proto, method, 1);
      Ctx()(proto, method, 5);
    } else {
      relationResolvers.set(field, (root, _args, ctx) =>
        resolveSingleRelation(relation, root as object, ctx as RequestContext),
      );
      proto[method] = (root, ctx) => resolveSingleRelation(relation, root as object, ctx as RequestContext);
      FieldResolver(() => relation.target(), {
        name: relation.property,
        nullable: true,
        ...(description !== undefined ? { description } : {}),
      })(proto, method, descriptor(proto, method));
      requireConnector(proto, method, targetTypes.binding.connector);
      Root()(proto, method, 0);
      Ctx()(proto, method, 1);
    }
  }
  Resolver(() => binding.target)(cls);
  return cls;
}

/**
 * Limits on one operation, measured before any resolver runs: nesting depth, aliases, `_entities`
 * representations, and an estimated cost in Profit calls.
 *
 * The cost is computed on the type-graphql schema (`buildTypeGraphQLSchema`): the federated schema is rebuilt from
 * printed SDL and loses field extensions. The model:
 *
 * - a root query or a relation (a field of an entity type returning an entity or a connection) is one Profit call;
 *   a mutation is at least one;
 * - a connection multiplies the cost of what it selects by its `first` (the argument, or its default);
 * - a list whose `where` is over Profit's query-string limit costs the calls it is split into (`listCallCount`);
 * - `_entities` costs, per representation, one call plus the most expensive of its `... on Type` selections;
 * - a field may set its own cost with the extension `profitCost` (`@Extensions({ profitCost: 2 })`);
 * - a file's content (a field with the extension `profitFileContent`: an attachment's or a ProfitFile's
 *   `contentBase64`, `mimeType`, `size`) is one file connector call per parent object, however many of those
 *   fields it selects (they share the call); file connector calls are not batched, so they count in the cost and,
 *   separately, against `maxFiles`: a page of hundreds of photos is refused before any call;
 * - scalars and introspection (`__schema`, `__type`, `__typename`) cost nothing and do not count towards depth.
 *
 * Batching makes the real number of calls far lower (100 employees' persons are one or two calls, not 100); the
 * estimate is an upper bound that grows the way the work can.
 */
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
  valueFromASTUntyped,
} from 'graphql';
import { entityBindings } from '../binding.js';
import { type LimitCode, limitError } from '../errors.js';
import { listCallCount } from '../resolvers.js';

export interface RequestLimits {
  /** @default 15 */
  readonly maxDepth: number;
  /** @default 5000 */
  readonly maxCost: number;
  /** @default 50 */
  readonly maxAliases: number;
  /** @default 1000 */
  readonly maxRepresentations: number;
  /** Most file contents (Subject-, File-, Image-, ReportConnector calls) one operation may fetch. @default 100 */
  readonly maxFiles?: number;
}

export const DEFAULT_LIMITS: RequestLimits = {
  maxDepth: 15,
  maxCost: 5000,
  maxAliases: 50,
  maxRepresentations: 1000,
  maxFiles: 100,
};

export interface OperationMeasure {
  readonly depth: number;
  readonly cost: number;
  readonly aliases: number;
  readonly representations: number;
  /** File contents fetched at most (one per parent object that selects a file's content). */
  readonly files: number;
}

/** Selections visited at most; beyond it (a fragment fan-out) the operation counts as over every limit. */
const MAX_VISITS = 100_000;

function isConnection(type: GraphQLNamedType): type is GraphQLObjectType {
  if (!isObjectType(type)) return false;
  const fields = type.getFields();
  return fields.edges !== undefined && fields.pageInfo !== undefined;
}

/** Measures an operation (fragments expanded, variables applied). Pure; the measure of one without variables is kept. */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>> = {},
): OperationMeasure {
  // Without variables the measure is the operation's own: kept per parsed operation (Apollo's document store hands
  // the same document to every request with the same text).
  if (operation.variableDefinitions === undefined || operation.variableDefinitions.length === 0) {
    const known = measuresWithoutVariables.get(operation);
    if (known !== undefined && known.schema === schema) return known.measure;
    const measure = Object.freeze(measureAnyOperation(schema, document, operation, {}));
    measuresWithoutVariables.set(operation, { schema, measure });
    return measure;
  }
  return measureAnyOperation(schema, document, operation, variables);
}

/** By operation, with the schema it was measured on (the service has one; a test may measure on another). */
const measuresWithoutVariables = new WeakMap<
  OperationDefinitionNode,
  { readonly schema: GraphQLSchema; readonly measure: OperationMeasure }
>();

function measureAnyOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Readonly<Record<string, unknown>>,
): OperationMeasure {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const bindings = new Map(entityBindings().map((b) => [b.name, b]));
  const entityNames = new Set(bindings.keys());
  let aliases = 0;
  let representations = 0;
  let visits = 0;

  const intArg = (node: FieldNode, field: GraphQLField<unknown, unknown> | undefined, name: string) => {
    const arg = node.arguments?.find((a) => a.name.value === name)?.value;
    const value = arg === undefined ? undefined : literal(arg, variables);
    if (typeof value === 'number') return value;
    const d = field?.args.find((a) => a.name === name)?.defaultValue;
    return typeof d === 'number' ? d : undefined;
  };

  /** Every field node of a selection set, fragments expanded, with the type condition that applies. */
  const fieldsOf = (set: SelectionSetNode, typeName: string | undefined, out: [FieldNode, string | undefined][]) => {
    for (const s of set.selections) {
      if (++visits > MAX_VISITS) return out;
      if (s.kind === Kind.FIELD) out.push([s, typeName]);
      else if (s.kind === Kind.INLINE_FRAGMENT) fieldsOf(s.selectionSet, s.typeCondition?.name.value ?? typeName, out);
      else {
        const f = fragments.get(s.name.value);
        if (f) fieldsOf(f.selectionSet, f.typeCondition.name.value, out);
      }
    }
    return out;
  };

  /** [depth, cost, files] of a selection set on `parent`. */
  const walk = (
    set: SelectionSetNode,
    parent: GraphQLObjectType | undefined,
    root: boolean,
  ): [number, number, number] => {
    let depth = 0;
    let cost = 0;
    let files = 0;
    /** Whether this object's file content is selected (once, however many content fields). */
    let content = false;
    const entitiesCost = new Map<string, number>();
    for (const [node, condition] of fieldsOf(set, parent?.name, [])) {
      const name = node.name.value;
      // Every alias counts, `__typename` ones too: they cost no Profit call but each is work and output.
      if (node.alias) aliases++;
      if (name.startsWith('__')) continue;
      if (root && name === '_entities') {
        const reps = node.arguments?.find((a) => a.name.value === 'representations')?.value;
        const list = reps === undefined ? undefined : literal(reps, variables);
        const n = Array.isArray(list) ? list.length : 0;
        representations += n;
        // Per representation: the most expensive of its `... on Type` selections, plus its own load.
        let most = 0;
        let deepest = 0;
        let mostFiles = 0;
        for (const [child, type] of fieldsOf(
          node.selectionSet ?? { kind: Kind.SELECTION_SET, selections: [] },
          undefined,
          [],
        )) {
          const t = type === undefined ? undefined : schema.getType(type);
          const [d, c, f] = isObjectType(t)
            ? walk({ kind: Kind.SELECTION_SET, selections: [child] }, t, false)
            : [child.name.value.startsWith('__') ? 0 : 1, 0, 0];
          mostFiles = Math.max(mostFiles, f);
          const key = type ?? '';
          entitiesCost.set(key, (entitiesCost.get(key) ?? 0) + c);
          most = Math.max(most, entitiesCost.get(key) ?? 0);
          deepest = Math.max(deepest, d);
        }
        depth = Math.max(depth, 1 + deepest);
        cost += n * (1 + most);
        files += n * mostFiles;
        continue;
      }
      const owner = condition && condition !== parent?.name ? schema.getType(condition) : parent;
      const field = isObjectType(owner) ? owner.getFields()[name] : undefined;
      const type = field ? getNamedType(field.type) : undefined;
      const connection = type !== undefined && isConnection(type);
      const entity = type !== undefined && entityNames.has(type.name);
      const fromEntity = owner !== undefined && entityNames.has(owner.name);
      if (field?.extensions?.profitFileContent === true) content = true;
      const declared = field?.extensions?.profitCost;
      let own = typeof declared === 'number' ? declared : (root || fromEntity) && (connection || entity) ? 1 : 0;
      if (connection && own > 0) {
        const where = node.arguments?.find((a) => a.name.value === 'where')?.value;
        const edge = getNamedType(type.getFields().edges?.type ?? type);
        const item = isObjectType(edge)
          ? bindings.get(getNamedType(edge.getFields().node?.type ?? edge).name)
          : undefined;
        if (where !== undefined && item !== undefined) own *= listCallCount(item, literal(where, variables));
      }
      if (root && owner?.name === 'Mutation') own = Math.max(own, 1);
      let childDepth = 0;
      let childCost = 0;
      let childFiles = 0;
      if (node.selectionSet && isObjectType(type)) {
        [childDepth, childCost, childFiles] = walk(node.selectionSet, type, false);
      }
      const times = connection ? Math.max(0, intArg(node, field, 'first') ?? 0) : 1;
      depth = Math.max(depth, 1 + childDepth);
      cost += own + times * childCost;
      files += times * childFiles;
    }
    if (content) {
      cost += 1;
      files += 1;
    }
    return [depth, cost, files];
  };

  const rootType =
    operation.operation === 'mutation'
      ? schema.getMutationType()
      : operation.operation === 'subscription'
        ? schema.getSubscriptionType()
        : schema.getQueryType();
  const [depth, cost, files] = walk(operation.selectionSet, rootType ?? undefined, true);
  if (visits > MAX_VISITS) {
    const unbounded = Number.POSITIVE_INFINITY;
    return { depth: unbounded, cost: unbounded, aliases, representations, files: unbounded };
  }
  return { depth, cost, aliases, representations, files };
}

/** A literal's value with variables applied (`first`, representations, a `where`). */
function literal(node: ValueNode, variables: Readonly<Record<string, unknown>>): unknown {
  return valueFromASTUntyped(node, variables);
}

/** The first limit the measure exceeds, as the error to answer with; `undefined` when within all. */
export function checkLimits(
  measure: OperationMeasure,
  limits: RequestLimits,
): ReturnType<typeof limitError> | undefined {
  const over = (code: LimitCode, what: string, limit: number, actual: number, key: string) =>
    limitError(
      code,
      `${what} is ${Number.isFinite(actual) ? actual : 'unbounded'}, over the limit of ${limit} (${key})`,
      limit,
      actual,
    );
  if (measure.representations > limits.maxRepresentations) {
    return over(
      'TOO_MANY_REPRESENTATIONS',
      'The number of _entities representations',
      limits.maxRepresentations,
      measure.representations,
      'MAX_ENTITY_REPRESENTATIONS',
    );
  }
  if (measure.aliases > limits.maxAliases) {
    return over('TOO_MANY_ALIASES', 'The number of aliased fields', limits.maxAliases, measure.aliases, 'MAX_ALIASES');
  }
  if (measure.depth > limits.maxDepth) {
    return over('QUERY_TOO_DEEP', 'The query depth', limits.maxDepth, measure.depth, 'MAX_QUERY_DEPTH');
  }
  const maxFiles = limits.maxFiles ?? DEFAULT_LIMITS.maxFiles ?? 100;
  if (measure.files > maxFiles) {
    return over(
      'QUERY_TOO_COMPLEX',
      'The number of files whose content it may fetch (one file connector call each, lists multiplied by `first`)',
      maxFiles,
      measure.files,
      'MAX_QUERY_FILES',
    );
  }
  if (measure.cost > limits.maxCost) {
    return over(
      'QUERY_TOO_COMPLEX',
      'The estimated cost (Profit calls, lists multiplied by `first`)',
      limits.maxCost,
      measure.cost,
      'MAX_QUERY_COST',
    );
  }
  return undefined;
}

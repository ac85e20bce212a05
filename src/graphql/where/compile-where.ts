/**
 * `compileWhere`: a GraphQL `where` (plain objects) → Profit filter groups (an OR of AND-groups). Pure.
 *
 * Two passes. The first validates the whole input and converts every value, so an error anywhere is reported
 * before any work grows with the input. The second distributes the tree into disjunctive normal form, simplifying
 * at every step: duplicate conditions in a group and duplicate groups go, and a group that contains all the
 * conditions of another group goes too (absorption: A OR (A AND B) = A). That keeps the count of groups, and so
 * the length of Profit's query string, minimal.
 *
 * The bound on groups is checked on each intermediate result, as it is built: an AND of ORs multiplies, so a
 * hostile where (twenty `and` items of ten `or` alternatives each: 10^20 groups) fails after a few hundred
 * groups, not after the memory runs out. The price: a part that is too big on its own is refused even when a
 * sibling would later have absorbed it back under the limit (`(a OR b OR …) AND a` = `a`). Such a where can be
 * written more simply, and the message says how many groups it expands to.
 */
import type { Condition, FilterGroup, Operator } from '../../profit/index.js';
import { formatPath, showValue, WhereError, type WherePath } from './errors.js';
import type { FieldSpec, FieldSpecs, WhereInput } from './types.js';
import { conditionKey, convertValue, FILTER_OPERATORS, type FilterOperator, OPERATORS_BY_TYPE } from './values.js';

export interface CompileWhereOptions {
  /**
   * The most OR groups a where may expand to: the bound on the work of compiling it (an AND of ORs multiplies).
   * A where whose groups do not fit one query string is split over several Profit calls (src/graphql/loaders.ts),
   * which bounds those calls itself; 1000 leaves room for the selections a frontend sends (`in` with hundreds of
   * ids).
   * @default 1000
   */
  readonly maxGroups?: number;
  /** The deepest nesting of `and` / `or` items. @default 32 */
  readonly maxDepth?: number;
}

export const DEFAULT_MAX_GROUPS = 1000;
export const DEFAULT_MAX_DEPTH = 32;

/** The validated tree: ANDs, ORs and single conditions. */
type Node =
  | { readonly kind: 'and'; readonly items: readonly Node[] }
  | { readonly kind: 'or'; readonly items: readonly Node[] }
  | { readonly kind: 'condition'; readonly condition: Condition; readonly key: string };

interface Keyed {
  readonly condition: Condition;
  readonly key: string;
}

/** An AND of conditions, in their first order, with the set of their keys. */
interface Group {
  readonly conditions: readonly Keyed[];
  readonly keys: ReadonlySet<string>;
}

const TRUE: readonly Group[] = [{ conditions: [], keys: new Set() }];

/** Thrown inside the expansion when a part exceeds the bound; turned into a WhereError with the full count. */
class TooManyGroups {}

/**
 * Compiles a `where` into Profit filter groups: an OR of AND-groups, `[]` for no filter (also for `null`,
 * `undefined`, `{}` and `and: []`). Throws `WhereError` for anything it cannot compile (see `WhereRule`);
 * a `TypeError` only for bad options or field specs (a programming error, not a user's).
 *
 * Choices where GraphQL allows what Profit cannot express: `in: []` and `or: []` would match nothing, and
 * Profit has no FALSE: both are errors rather than an invented impossible condition. `null` is never a filter.
 */
export function compileWhere(
  where: WhereInput | undefined | null,
  fields: FieldSpecs,
  options: CompileWhereOptions = {},
): FilterGroup[] {
  const maxGroups = positiveInteger(options.maxGroups ?? DEFAULT_MAX_GROUPS, 'maxGroups');
  const maxDepth = positiveInteger(options.maxDepth ?? DEFAULT_MAX_DEPTH, 'maxDepth');
  if (where === undefined || where === null) return [];
  const tree = parseWhere(where, ['where'], fields, maxDepth, 0);
  let groups: readonly Group[];
  try {
    groups = expand(tree, maxGroups);
    if (groups.length > maxGroups) throw new TooManyGroups();
  } catch (e) {
    if (!(e instanceof TooManyGroups)) throw e;
    const count = countGroups(tree);
    throw new WhereError(
      ['where'],
      'too-many-groups',
      `where expands to ${count} Profit filter groups; at most ${maxGroups} are allowed — use fewer or/in alternatives`,
    );
  }
  // One empty group is TRUE: no filter (Profit refuses an empty group).
  if (groups.length === 1 && groups[0]?.conditions.length === 0) return [];
  return groups.map((g) => g.conditions.map((c) => c.condition));
}

function positiveInteger(n: number, name: string): number {
  if (!Number.isSafeInteger(n) || n < 1) throw new TypeError(`${name} must be a positive integer, got ${n}`);
  return n;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !(x instanceof Date);
}

function nullValue(path: WherePath, what: string): never {
  throw new WhereError(
    path,
    'null-value',
    `\`${formatPath(path)}\` must be ${what}, got null (null is never a filter: leave it out, or use isEmpty: true)`,
  );
}

function list(value: unknown, path: WherePath, what: string): readonly unknown[] {
  if (value === null) nullValue(path, what);
  if (!Array.isArray(value)) {
    throw new WhereError(path, 'not-a-list', `\`${formatPath(path)}\` must be ${what}, got ${showValue(value)}`);
  }
  return value;
}

function parseWhere(where: unknown, path: WherePath, fields: FieldSpecs, maxDepth: number, depth: number): Node {
  if (!isObject(where)) {
    if (where === null) nullValue(path, 'a where object');
    throw new WhereError(path, 'invalid-filter', `\`${formatPath(path)}\` must be an object, got ${showValue(where)}`);
  }
  if (depth > maxDepth) {
    throw new WhereError(path, 'too-deep', `\`${formatPath(path)}\` nests deeper than ${maxDepth} and/or levels`);
  }
  const items: Node[] = [];
  for (const property of Object.keys(where)) {
    const value = where[property];
    if (value === undefined) continue;
    const at = [...path, property];
    if (property === 'and' || property === 'or') {
      const entries = list(value, at, `a list of where objects`);
      if (property === 'or' && entries.length === 0) {
        throw new WhereError(
          at,
          'empty-or',
          `\`${formatPath(at)}\` must list at least one alternative: an empty or matches nothing, which Profit cannot express`,
        );
      }
      const nodes = entries.map((item, i) => parseWhere(item, [...at, i], fields, maxDepth, depth + 1));
      items.push({ kind: property, items: nodes });
      continue;
    }
    const spec = fields.get(property);
    if (spec === undefined) {
      throw new WhereError(at, 'unknown-field', `\`${formatPath(at)}\`: ${showValue(property)} is not a field here`);
    }
    if (spec.filterable === false) {
      throw new WhereError(at, 'not-filterable', `\`${formatPath(at)}\` cannot be filtered on`);
    }
    if (value === null) nullValue(at, 'a field filter');
    if (!isObject(value)) {
      throw new WhereError(
        at,
        'invalid-filter',
        `\`${formatPath(at)}\` must be a field filter, got ${showValue(value)}`,
      );
    }
    items.push(...parseFieldFilter(value, spec, at));
  }
  return { kind: 'and', items };
}

function parseFieldFilter(filter: Record<string, unknown>, spec: FieldSpec, path: WherePath): Node[] {
  const allowed = OPERATORS_BY_TYPE[spec.dataType];
  if (allowed === undefined) {
    throw new TypeError(`field spec for ${spec.connectorField} has an unknown dataType ${String(spec.dataType)}`);
  }
  const field = spec.connectorField;
  const nodes: Node[] = [];
  for (const operator of Object.keys(filter)) {
    const value = filter[operator];
    if (value === undefined) continue;
    const at = [...path, operator];
    if (!FILTER_OPERATORS.has(operator)) {
      throw new WhereError(
        at,
        'unknown-operator',
        `\`${formatPath(at)}\`: ${showValue(operator)} is no operator; use one of ${[...allowed].join(', ')}`,
      );
    }
    const op = operator as FilterOperator;
    if (!allowed.has(op)) {
      throw new WhereError(
        at,
        'operator-not-allowed',
        `\`${formatPath(at)}\`: ${op} does not apply to ${spec.dataType} fields; use one of ${[...allowed].join(', ')}`,
      );
    }
    if (op === 'isEmpty') {
      if (value === null) nullValue(at, 'a boolean');
      if (typeof value !== 'boolean') {
        throw new WhereError(at, 'invalid-value', `\`${formatPath(at)}\` must be a boolean, got ${showValue(value)}`);
      }
      nodes.push(leaf(field, value ? 'isEmpty' : 'isNotEmpty'));
    } else if (op === 'in') {
      const values = list(value, at, 'a list of values');
      if (values.length === 0) {
        throw new WhereError(
          at,
          'empty-in',
          `\`${formatPath(at)}\` must list at least one value: an empty in matches nothing, which Profit cannot express`,
        );
      }
      const alternatives = values.map((v, i) => valueLeaf(spec, 'eq', v, [...at, i]));
      nodes.push({ kind: 'or', items: alternatives });
    } else {
      nodes.push(valueLeaf(spec, op, value, at));
    }
  }
  return nodes;
}

function leaf(field: string, op: 'isEmpty' | 'isNotEmpty'): Node {
  return { kind: 'condition', condition: { field, op }, key: conditionKey(field, op, '') };
}

function valueLeaf(spec: FieldSpec, op: Operator, value: unknown, path: WherePath): Node {
  if (value === null) nullValue(path, 'a value');
  const converted = convertValue(spec.dataType, value, path);
  return {
    kind: 'condition',
    condition: { field: spec.connectorField, op, value: converted.value },
    key: conditionKey(spec.connectorField, op, converted.key),
  };
}

/** The number of groups of the plain expansion (before simplification), exactly, however large. */
function countGroups(node: Node): bigint {
  switch (node.kind) {
    case 'condition':
      return 1n;
    case 'and':
      return node.items.reduce((n, item) => n * countGroups(item), 1n);
    case 'or':
      return node.items.reduce((n, item) => n + countGroups(item), 0n);
  }
}

/** The simplified DNF of a node; throws TooManyGroups as soon as a part exceeds `max`. */
function expand(node: Node, max: number): readonly Group[] {
  switch (node.kind) {
    case 'condition':
      return [{ conditions: [node], keys: new Set([node.key]) }];
    case 'or': {
      // Simplified whenever the raw count doubles past the bound, not per item: an `in` of n values would
      // otherwise simplify n growing lists (n² work); the count stays within twice the bound meanwhile.
      let acc: Group[] = [];
      for (const item of node.items) {
        acc.push(...expand(item, max));
        if (acc.length > 2 * max) {
          acc = simplify(acc);
          if (acc.length > max) throw new TooManyGroups();
        }
      }
      acc = simplify(acc);
      if (acc.length > max) throw new TooManyGroups();
      return acc;
    }
    case 'and': {
      // Fewest groups first: plain conjunctions narrow every group before the ORs multiply them.
      const factors = node.items.map((item) => expand(item, max)).sort((a, b) => a.length - b.length);
      let acc = TRUE;
      for (const factor of factors) {
        acc = simplify(multiply(acc, factor));
        if (acc.length > max) throw new TooManyGroups();
      }
      return acc;
    }
  }
}

/** (a1 OR a2) AND (b1 OR b2) = a1b1 OR a1b2 OR a2b1 OR a2b2; conditions keep their first position. */
function multiply(a: readonly Group[], b: readonly Group[]): Group[] {
  const out: Group[] = [];
  for (const x of a) {
    for (const y of b) {
      const conditions = [...x.conditions];
      const keys = new Set(x.keys);
      for (const c of y.conditions) {
        if (keys.has(c.key)) continue;
        keys.add(c.key);
        conditions.push(c);
      }
      out.push({ conditions, keys });
    }
  }
  return out;
}

/**
 * Drops duplicate groups and groups that contain another group (absorption), keeping the survivors in their
 * original order. Only a strictly smaller group can absorb another once duplicates are gone, so each group is
 * compared with the kept groups smaller than itself: a product of same-sized groups costs no comparisons.
 */
function simplify(groups: readonly Group[]): Group[] {
  const distinct = new Map<string, { group: Group; at: number }>();
  groups.forEach((group, at) => {
    const id = [...group.keys].sort().join('\u0001');
    if (!distinct.has(id)) distinct.set(id, { group, at });
  });
  const bySize = [...distinct.values()].sort((x, y) => x.group.keys.size - y.group.keys.size || x.at - y.at);
  const kept: { group: Group; at: number }[] = [];
  for (const entry of bySize) {
    const size = entry.group.keys.size;
    let absorbed = false;
    for (const k of kept) {
      if (k.group.keys.size >= size) break;
      if (isSubset(k.group.keys, entry.group.keys)) {
        absorbed = true;
        break;
      }
    }
    if (!absorbed) kept.push(entry);
  }
  return kept.sort((x, y) => x.at - y.at).map((k) => k.group);
}

function isSubset(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  for (const key of a) if (!b.has(key)) return false;
  return true;
}

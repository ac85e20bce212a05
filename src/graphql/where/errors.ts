/** The one error the compiler throws for bad input, and the helpers that word its messages. */

/** What a `where` or `orderBy` broke; stable, so callers can map it to a GraphQL error code or test on it. */
export type WhereRule =
  /** The where (or a nested item) is not an object, or a property's filter is not an object. */
  | 'invalid-filter'
  /** A property that is not in the field specs. */
  | 'unknown-field'
  /** A property whose spec says `filterable: false`. */
  | 'not-filterable'
  /** A key of a field filter that is no operator. */
  | 'unknown-operator'
  /** An operator the property's data type does not support (`contains` on an int, `gt` on a boolean…). */
  | 'operator-not-allowed'
  /** A value of the wrong kind or shape for the data type. */
  | 'invalid-value'
  /** `null` where a filter, list or value was expected. */
  | 'null-value'
  /** `in: []`: Profit cannot express "matches nothing". */
  | 'empty-in'
  /** `or: []`: an OR of nothing matches nothing, which Profit cannot express. */
  | 'empty-or'
  /** `and` / `or` / `in` is not a list. */
  | 'not-a-list'
  /** The where nests deeper than `maxDepth`. */
  | 'too-deep'
  /** The disjunctive normal form has more groups than `maxGroups`. */
  | 'too-many-groups'
  /** An orderBy item names a property whose spec says `sortable: false`. */
  | 'not-sortable'
  /** An orderBy direction other than ASC or DESC. */
  | 'invalid-direction'
  /** The same field twice in an orderBy. */
  | 'duplicate-sort-field';

export type WherePath = readonly (string | number)[];

/**
 * A `where` or `orderBy` that cannot be compiled. `path` locates the offending part from the argument's name
 * (`['where', 'or', 1, 'birthDate', 'gt']`); `rule` says which rule it broke.
 */
export class WhereError extends Error {
  override readonly name = 'WhereError';

  constructor(
    readonly path: WherePath,
    readonly rule: WhereRule,
    message: string,
  ) {
    super(message);
  }
}

/** `where.or.1.birthDate.gt` */
export function formatPath(path: WherePath): string {
  return path.join('.');
}

const MAX_SHOWN = 60;

/** A short, unambiguous rendering of a bad value for a message: `'tomorrow'`, `1.5`, `12n`, `null`, `an object`. */
export function showValue(value: unknown): string {
  switch (typeof value) {
    case 'string': {
      const cut = value.length > MAX_SHOWN ? `${value.slice(0, MAX_SHOWN)}…` : value;
      const escaped = JSON.stringify(cut).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'");
      return `'${escaped}'${value.length > MAX_SHOWN ? ` (${value.length} characters)` : ''}`;
    }
    case 'number':
    case 'boolean':
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'undefined':
      return 'undefined';
    case 'function':
    case 'symbol':
      return `a ${typeof value}`;
    default:
      if (value === null) return 'null';
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid Date' : value.toISOString();
      if (Array.isArray(value)) return `a list of ${value.length}`;
      return typeof value === 'object' ? describeObject(value) : 'a value';
  }
}

function describeObject(value: object): string {
  let text: string;
  try {
    text = String(value);
  } catch {
    return 'an object';
  }
  if (text === '[object Object]') return 'an object';
  return showValue(text);
}

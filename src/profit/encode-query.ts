/**
 * Encoding a `GetQuery` into GetConnector query parameters. Pure: no I/O, tested on its own.
 *
 * Profit offers two filter encodings. The three parallel lists (`filterfieldids`, `filtervalues`,
 * `operatortypes`) are short, but Profit splits them on `,` (AND) and `;` (OR group) AFTER percent-decoding and
 * documents no escape, so a value containing either would silently change the filter's structure. `filterjson`
 * carries any value as a JSON string. The encoder therefore uses the lists only when every field id and value
 * is plainly safe, and `filterjson` otherwise; no value can ever change a filter's structure.
 */

import { toProfitFilterDateTime } from './datetime.js';
import { formatPlainNumber, ProfitDecimal } from './decimal.js';
import { invalidArgument, ProfitError } from './errors.js';
import { type Condition, type FilterGroup, type FilterValue, type GetQuery, OPERATOR_TYPE } from './get-query.js';
import { hasControlCharacter } from './text.js';

/**
 * Profit refuses a query string (from `?` inclusive, exactly as sent) longer than this with a bare
 * `404 Not Found` that is indistinguishable from a wrong URL, so the client refuses such queries itself.
 */
export const MAX_QUERY_STRING_LENGTH = 2049;

/** Profit's default paging. */
export const DEFAULT_SKIP = 0;
export const DEFAULT_TAKE = 100;

export type FilterForm = 'none' | 'lists' | 'json';

export interface EncodedQuery {
  /** Parameters in the order they are sent, not yet percent-encoded. */
  readonly params: readonly (readonly [name: string, value: string])[];
  readonly filterForm: FilterForm;
  /** The query string exactly as sent: `?` + `name=value` pairs joined by `&`; `''` if none. */
  readonly queryString: string;
}

export interface EncodeOptions {
  /**
   * Send `skip`, `take` and `orderbyfieldids`. The ReportConnector takes only the filter parameters.
   * @default true
   */
  readonly paging?: boolean;
}

/**
 * Values the list form carries unambiguously: printable ASCII without `,` `;` (structure), `"` `'` `\`
 * (AFAS's own example writes an empty value as `""`, so quotes may be interpreted), and without leading or
 * trailing spaces (whether Profit trims list items is undocumented). Empty values also go to `filterjson`,
 * where `"#text": ""` is unambiguous. Non-ASCII goes to `filterjson` too, where it is sent as JSON `\u` escapes
 * so the URL stays ASCII and does not depend on how the server decodes percent-encoded UTF-8.
 */
const LIST_SAFE_VALUE = /^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/;
const LIST_UNSAFE_CHARS = /[,;"'\\]/;
/** Field ids the list form carries: Profit's ids are letters, digits and `_` (custom fields: `U` + hex GUID). */
const LIST_SAFE_FIELD = /^[A-Za-z0-9_]+$/;

/** Renders a filter value as Profit reads it. Pure. */
export function formatFilterValue(value: FilterValue): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      if (!Number.isFinite(value)) invalidArgument(`a filter value must be a finite number, got ${value}`);
      return formatPlainNumber(value);
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) invalidArgument('a filter value is an invalid Date');
        return toProfitFilterDateTime(value);
      }
      if (value instanceof ProfitDecimal) return value.text;
      return invalidArgument(`unsupported filter value type ${Object.prototype.toString.call(value)}`);
  }
}

interface PreparedCondition {
  readonly field: string;
  readonly op: number;
  readonly value: string;
  /** Its parts in each filter form, made on first use (`listParts`, `jsonParts`) and reused by every chunk. */
  lists?: ListParts;
  json?: JsonParts;
}

/** A condition in the list form: its field id and value percent-encoded as `encodeValue` sends them. */
interface ListParts {
  readonly field: string;
  readonly value: string;
  readonly op: string;
}

/** A condition as its `Field` element of `filterjson`: the JSON text and that text percent-encoded. */
interface JsonParts {
  readonly text: string;
  readonly encoded: string;
}

function listParts(c: PreparedCondition): ListParts {
  c.lists ??= {
    field: encodeValue('filterfieldids', c.field),
    value: encodeValue('filtervalues', c.value),
    op: String(c.op),
  };
  return c.lists;
}

function jsonParts(c: PreparedCondition): JsonParts {
  if (c.json === undefined) {
    const text = asciiJson({ '@FieldId': c.field, '@OperatorType': String(c.op), '#text': c.value });
    c.json = { text, encoded: encodeValue('filterjson', text) };
  }
  return c.json;
}

function prepareCondition(c: Condition): PreparedCondition {
  if (typeof c.field !== 'string' || c.field === '' || hasControlCharacter(c.field)) {
    invalidArgument(`a filter field id must be a non-empty string without control characters`);
  }
  const op = OPERATOR_TYPE[c.op];
  if (op === undefined) invalidArgument(`unknown filter operator ${JSON.stringify(c.op)} on field ${c.field}`);
  // Profit requires a value even for "is (not) empty", and documents that it may be empty.
  if (c.op === 'isEmpty' || c.op === 'isNotEmpty') return { field: c.field, op, value: '' };
  if (c.value === undefined || c.value === null) {
    invalidArgument(`the filter on ${c.field} with operator ${c.op} needs a value`);
  }
  return { field: c.field, op, value: formatFilterValue(c.value) };
}

function isListSafe(c: PreparedCondition): boolean {
  return LIST_SAFE_FIELD.test(c.field) && LIST_SAFE_VALUE.test(c.value) && !LIST_UNSAFE_CHARS.test(c.value);
}

/** Whether every condition of the group can be sent in the three-list form. Pure. */
export function isListSafeGroup(group: FilterGroup): boolean {
  return prepareGroup(group).listSafe;
}

interface PreparedGroup {
  readonly conditions: readonly PreparedCondition[];
  readonly listSafe: boolean;
}

function prepareGroup(group: FilterGroup): PreparedGroup {
  const conditions = group.map(prepareCondition);
  return { conditions, listSafe: conditions.every(isListSafe) };
}

function prepareFilter(filter: readonly FilterGroup[] | undefined): PreparedCondition[][] {
  if (!filter || filter.length === 0) return [];
  return filter.map((group, i) => {
    if (group.length === 0) {
      invalidArgument(`filter group ${i + 1} is empty: it would match every row; omit the filter instead`);
    }
    return group.map(prepareCondition);
  });
}

/** JSON with every non-ASCII character as a `\uXXXX` escape, so the URL carries only ASCII. */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function filterParams(groups: PreparedCondition[][]): { form: FilterForm; params: [string, string][] } {
  if (groups.length === 0) return { form: 'none', params: [] };
  if (groups.every((g) => g.every(isListSafe))) {
    const join = (pick: (c: PreparedCondition) => string) => joinGroups(groups, pick);
    return {
      form: 'lists',
      params: [
        ['filterfieldids', join((c) => c.field)],
        ['filtervalues', join((c) => c.value)],
        ['operatortypes', join((c) => String(c.op))],
      ],
    };
  }
  const json = {
    Filters: {
      Filter: groups.map((g, i) => ({
        '@FilterId': `Filter ${i + 1}`,
        Field: g.map((c) => ({ '@FieldId': c.field, '@OperatorType': String(c.op), '#text': c.value })),
      })),
    },
  };
  return { form: 'json', params: [['filterjson', asciiJson(json)]] };
}

/** Validates and resolves skip/take. Profit answers invalid pairs such as `skip=2&take=-1` with a bare 500. */
export function resolvePaging(query: Pick<GetQuery, 'skip' | 'take'>): { skip: number; take: number } {
  const skip = query.skip ?? DEFAULT_SKIP;
  const take = query.take ?? DEFAULT_TAKE;
  if (!Number.isSafeInteger(skip) || !Number.isSafeInteger(take)) {
    invalidArgument(`skip and take must be integers, got skip=${skip}, take=${take}`);
  }
  if (skip === -1 && take === -1) return { skip, take };
  if (skip < 0 || take < 0) {
    invalidArgument(
      `skip and take must be ≥ 0 (or both -1 for every row), got skip=${skip}, take=${take}; Profit answers other negative values with an unexpected-error 500`,
    );
  }
  return { skip, take };
}

function sortParam(query: GetQuery): string | undefined {
  if (!query.orderBy || query.orderBy.length === 0) return undefined;
  return query.orderBy
    .map((k) => {
      if (typeof k.field !== 'string' || !/^[^,;\-\s][^,;\s]*$/.test(k.field) || hasControlCharacter(k.field)) {
        invalidArgument(
          `cannot sort on field id ${JSON.stringify(k.field)}: orderbyfieldids cannot carry an empty id, ',', ';', whitespace or a leading '-'`,
        );
      }
      return k.descending ? `-${k.field}` : k.field;
    })
    .join(',');
}

/** `?name=value&…`, percent-encoded (`encodeURIComponent`: space as `%20`) except Profit's literal separators. */
export function toQueryString(params: readonly (readonly [string, string])[]): string {
  if (params.length === 0) return '';
  return `?${params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeValue(k, v)}`).join('&')}`;
}

/**
 * Parameters whose `,` and `;` are Profit's own separators (AND, OR group, sort keys): sent literally, as AFAS's
 * examples write them. They are legal in a query string (RFC 3986 sub-delims) and the list form never carries them
 * inside a value (such values go to `filterjson`). `filterjson` keeps `,` `:` `@` literal (JSON punctuation and
 * `@FieldId`). Every character saved counts: the 2049-character limit decides how many keys one call can carry.
 */
const LITERAL_SEPARATORS: Readonly<Record<string, readonly (readonly [encoded: string, literal: string])[]>> = {
  filterfieldids: [
    ['%2C', ','],
    ['%3B', ';'],
  ],
  filtervalues: [
    ['%2C', ','],
    ['%3B', ';'],
  ],
  operatortypes: [
    ['%2C', ','],
    ['%3B', ';'],
  ],
  orderbyfieldids: [['%2C', ',']],
  filterjson: [
    ['%2C', ','],
    ['%3A', ':'],
    ['%40', '@'],
  ],
};

/** The characters `encodeURIComponent` leaves as they are: a value of only these is its own encoding. */
const UNRESERVED = /^[A-Za-z0-9\-_.!~*'()]*$/;

function encodeValue(name: string, value: string): string {
  // Most field ids and key values (`EmployeeId`, `ALLARDJ`, `1000585`): nothing to encode or to turn back.
  if (UNRESERVED.test(value)) return value;
  let encoded = encodeURIComponent(value);
  const literals = LITERAL_SEPARATORS[name];
  // `replaceAll` of plain strings: a regex with a callback per separator cost more than the encoding itself.
  // A `%` of the value is sent as `%25`, so no `%2C` here comes from the value's own text.
  if (literals !== undefined) for (const [code, literal] of literals) encoded = encoded.replaceAll(code, literal);
  return encoded;
}

/**
 * Encodes a GetConnector query. Always sends `skip` and `take` (default 0/100) when paging is on, so the
 * answer never depends on Profit's defaults. Throws `ProfitError` kind `invalid-argument` for queries Profit
 * cannot take. Does NOT check the length limit: see `assertQueryFits`.
 */
export function encodeGetQuery(query: GetQuery = {}, options: EncodeOptions = {}): EncodedQuery {
  const paging = options.paging ?? true;
  const known = paging ? encodedQueries.get(query) : undefined;
  if (known !== undefined) return known;
  const params: [string, string][] = [];
  if (paging) {
    const { skip, take } = resolvePaging(query);
    params.push(['skip', String(skip)], ['take', String(take)]);
    const sort = sortParam(query);
    if (sort !== undefined) params.push(['orderbyfieldids', sort]);
  }
  const filter = filterParams(prepareFilter(query.filter));
  params.push(...filter.params);
  const encoded = { params, filterForm: filter.form, queryString: toQueryString(params) };
  if (paging) encodedQueries.set(query, encoded);
  return encoded;
}

/**
 * A GetConnector query's encoding, by query object: the loaders encode a query for its memo key and length check,
 * and the client encodes it again to send it. Queries are immutable values (every field `readonly`), built per
 * call and never changed after, so the same object always encodes the same.
 */
const encodedQueries = new WeakMap<GetQuery, EncodedQuery>();

/** Length of the query string as sent (from `?` inclusive, as sent). Pure. */
export function queryStringLength(query: GetQuery = {}, options: EncodeOptions = {}): number {
  return encodeGetQuery(query, options).queryString.length;
}

/** Throws `ProfitError` kind `query-too-long` (no request is made) when the encoded query exceeds the limit. */
export function assertQueryFits(
  encoded: EncodedQuery,
  context: { readonly method?: string; readonly path?: string; readonly maxLength?: number } = {},
): void {
  const max = context.maxLength ?? MAX_QUERY_STRING_LENGTH;
  const length = encoded.queryString.length;
  if (length <= max) return;
  throw new ProfitError(
    'query-too-long',
    `the query string${context.path ? ` for ${context.path}` : ''} would be ${length} characters (${encoded.filterForm} filter form); Profit refuses more than ${max} with a bare 404, so the request was not sent. Split the filter (chunkFilterGroups) or narrow it.`,
    { method: context.method, path: context.path, requestSent: false },
  );
}

export interface ChunkOptions extends EncodeOptions {
  /** @default MAX_QUERY_STRING_LENGTH (2049) */
  readonly maxLength?: number;
}

/**
 * Packs filter OR-groups into as few queries as possible such that each query string fits the limit.
 * Each returned query keeps `query`'s orderBy/skip/take; its filter is `query.filter AND (OR of its groups)`,
 * expanded into OR-groups (every base group × every chunk group). List-safe groups are packed apart from groups
 * that need `filterjson`, since one such group would force a whole chunk into the longer JSON form; groups are
 * otherwise kept in order. Returns `[]` for no groups. Throws `ProfitError` kind `query-too-long` when one group
 * alone cannot fit. Pure; the connector id does not count towards the limit (it is in the path).
 */
export function chunkFilterGroups(
  query: GetQuery,
  groups: readonly FilterGroup[],
  options: ChunkOptions = {},
): GetQuery[] {
  const max = options.maxLength ?? MAX_QUERY_STRING_LENGTH;
  const base = query.filter ?? [];
  if (base.length === 0 && (options.paging ?? true)) {
    const keys = packKeyConditions(query, groups, max);
    if (keys !== undefined) return keys;
  }
  const combine = (chunk: readonly FilterGroup[]): FilterGroup[] =>
    base.length === 0 ? [...chunk] : base.flatMap((b) => chunk.map((g) => [...b, ...g]));
  const withFilter = (chunk: readonly FilterGroup[]): GetQuery => ({ ...query, filter: combine(chunk) });
  const length = (chunk: readonly FilterGroup[]) => encodeGetQuery(withFilter(chunk), options).queryString.length;

  // Each group's conditions prepared once: they decide its partition and its length.
  const prepared = new Map<FilterGroup, PreparedGroup>();
  const listSafe: FilterGroup[] = [];
  const others: FilterGroup[] = [];
  for (const g of groups) {
    const group = g.length > 0 ? prepareGroup(g) : undefined;
    if (group !== undefined) prepared.set(g, group);
    (group?.listSafe ? listSafe : others).push(g);
  }
  const partitions = [listSafe, others];
  let chunks: FilterGroup[][];
  let basePrepared: PreparedGroup[];
  const unfiltered = encodeGetQuery({ ...query, filter: undefined }, options);
  try {
    basePrepared = base.map((g) => {
      if (g.length === 0) invalidArgument('an empty base filter group');
      return prepareGroup(g);
    });
    const sized = sizer(unfiltered, basePrepared, prepared);
    chunks = partitions.flatMap((partition) => packLinear(partition, sized, max));
  } catch {
    // A group Profit cannot take (or one too long alone): the one-by-one packing throws exactly the error, with
    // the group's position in its chunk, that it always threw.
    return partitions.flatMap((partition) => packOneByOne(partition, length, max)).map(withFilter);
  }
  return chunks.map((chunk) => {
    const chunkQuery = withFilter(chunk);
    // Each query's encoding assembled from its conditions' parts, already encoded for sizing it: sending the query
    // (`encodeGetQuery` finds it by object) encodes no value again.
    if (options.paging ?? true) {
      encodedQueries.set(
        chunkQuery,
        encodeChunk(
          unfiltered,
          basePrepared,
          chunk.map((g) => prepared.get(g)),
        ),
      );
    }
    return chunkQuery;
  });
}

/**
 * `chunkFilterGroups` for the loaders' usual call: no base filter, paging on, and each group one condition the list
 * form carries (`EmployeeId = E100`, one group per key). The same chunks and encodings as the general packing (the
 * tests compare both with encoding every candidate chunk), without its records per group: each condition is
 * prepared and encoded once into four lists, a chunk's length is the sum of its conditions' parts, and a chunk's
 * parameters are slices of the lists joined by `;`. `undefined` when any group is not of that kind, or a condition
 * is refused or too long alone: the general packing then decides and reports the error as it always has.
 */
function packKeyConditions(query: GetQuery, groups: readonly FilterGroup[], max: number): GetQuery[] | undefined {
  const n = groups.length;
  if (n === 0) return undefined;
  const parts: KeyParts = { fields: [], values: [], encodedValues: [], ops: [] };
  for (let i = 0; i < n; i++) {
    const group = groups[i] as FilterGroup;
    if (group.length !== 1) return undefined;
    let c: PreparedCondition;
    try {
      c = prepareCondition(group[0] as Condition);
    } catch {
      return undefined;
    }
    if (!isListSafe(c)) return undefined;
    // A list-safe field id is letters, digits and `_`: its own encoding.
    parts.fields.push(c.field);
    parts.values.push(c.value);
    parts.encodedValues.push(encodeValue('filtervalues', c.value));
    parts.ops.push(String(c.op));
  }
  const unfiltered = encodeGetQuery({ ...query, filter: undefined });
  // `&filterfieldids=…&filtervalues=…&operatortypes=…` after the unfiltered query; each condition adds its three
  // parts and a `;` to each list but the first condition of a chunk, whose `;`s the `- 3` takes back.
  const empty = unfiltered.queryString.length + 1 + LISTS_NAMES - 3;
  const queries: GetQuery[] = [];
  let start = 0;
  let length = empty;
  for (let i = 0; i < n; i++) {
    const part =
      (parts.fields[i] as string).length +
      (parts.encodedValues[i] as string).length +
      (parts.ops[i] as string).length +
      3;
    if (length + part <= max) {
      length += part;
      continue;
    }
    if (i === start || empty + part > max) return undefined;
    queries.push(keyChunk(query, unfiltered, groups, parts, start, i));
    start = i;
    length = empty + part;
  }
  queries.push(keyChunk(query, unfiltered, groups, parts, start, n));
  return queries;
}

/** Per condition of `packKeyConditions`, in the groups' order: its parts in the list form. */
interface KeyParts {
  readonly fields: string[];
  /** As given (the `params`); `encodedValues` as sent. */
  readonly values: string[];
  readonly encodedValues: string[];
  readonly ops: string[];
}

/** The query of groups `[start, end)` for `packKeyConditions`, its encoding kept for `encodeGetQuery`. */
function keyChunk(
  query: GetQuery,
  unfiltered: EncodedQuery,
  groups: readonly FilterGroup[],
  parts: KeyParts,
  start: number,
  end: number,
): GetQuery {
  const join = (list: readonly string[]) => list.slice(start, end).join(';');
  const fieldIds = join(parts.fields);
  const operators = join(parts.ops);
  const chunkQuery: GetQuery = { ...query, filter: groups.slice(start, end) };
  encodedQueries.set(chunkQuery, {
    params: [
      ...unfiltered.params,
      ['filterfieldids', fieldIds],
      ['filtervalues', join(parts.values)],
      ['operatortypes', operators],
    ],
    filterForm: 'lists',
    queryString: `${unfiltered.queryString}&filterfieldids=${fieldIds}&filtervalues=${join(parts.encodedValues)}&operatortypes=${operators}`,
  });
  return chunkQuery;
}

/**
 * A chunk's `EncodedQuery` from its parts: exactly what `encodeGetQuery` gives for `combine(chunk)` (the test
 * compares them), by concatenation, since the encoding of a parameter is the concatenation of its parts' encodings.
 */
function encodeChunk(
  unfiltered: EncodedQuery,
  base: readonly PreparedGroup[],
  chunk: readonly (PreparedGroup | undefined)[],
): EncodedQuery {
  const groups: (readonly PreparedCondition[])[] = [];
  let lists = base.every((b) => b.listSafe);
  for (const g of chunk) {
    if (g === undefined) throw new Error('a chunk group was not prepared');
    lists &&= g.listSafe;
    // Prepared groups are never changed: a chunk without base groups sends them as they are.
    if (base.length === 0) groups.push(g.conditions);
  }
  for (const b of base) for (const g of chunk) groups.push([...b.conditions, ...(g as PreparedGroup).conditions]);
  const params: (readonly [string, string])[] = [...unfiltered.params];
  let filter: string;
  if (lists) {
    const join = (pick: (c: PreparedCondition) => string) => joinGroups(groups, pick);
    const ops = join((c) => listParts(c).op);
    params.push(
      ['filterfieldids', join((c) => c.field)],
      ['filtervalues', join((c) => c.value)],
      ['operatortypes', ops],
    );
    filter = `filterfieldids=${join((c) => listParts(c).field)}&filtervalues=${join((c) => listParts(c).value)}&operatortypes=${ops}`;
  } else {
    const frame = (i: number) => `{"@FilterId":"Filter ${i + 1}","Field":[`;
    const raw = groups.map((g, i) => `${frame(i)}${g.map((c) => jsonParts(c).text).join(',')}]}`).join(',');
    const sent = groups
      .map(
        (g, i) =>
          `${encodeValue('filterjson', frame(i))}${g.map((c) => jsonParts(c).encoded).join(',')}${ENCODED_GROUP_END}`,
      )
      .join(',');
    params.push(['filterjson', `{"Filters":{"Filter":[${raw}]}}`]);
    filter = `filterjson=${ENCODED_FILTER_START}${sent}${ENCODED_FILTER_END}`;
  }
  const queryString = `${unfiltered.queryString}${unfiltered.queryString === '' ? '?' : '&'}${filter}`;
  return { params, filterForm: lists ? 'lists' : 'json', queryString };
}

/**
 * The conditions' `pick`s, `,` within a group and `;` between groups, as `filterParams` joins them: one flat string
 * from one array of parts (not a rope of hundreds of appended parts, nor an array and a string per group).
 */
function joinGroups(groups: readonly (readonly PreparedCondition[])[], pick: (c: PreparedCondition) => string): string {
  const parts: string[] = [];
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i] as readonly PreparedCondition[];
    if (i > 0) parts.push(';');
    for (let j = 0; j < group.length; j++) {
      if (j > 0) parts.push(',');
      parts.push(pick(group[j] as PreparedCondition));
    }
  }
  return parts.join('');
}

const ENCODED_FILTER_START = encodeValue('filterjson', '{"Filters":{"Filter":[');
const ENCODED_GROUP_END = encodeURIComponent(']}');
const ENCODED_FILTER_END = encodeURIComponent(']}}');

/**
 * The length of a chunk's query string, computed from each group's own encoded length instead of encoding the
 * chunk: percent-encoding is per character and Profit's separators (`,` `;` and JSON's `,` `:` `@`) are sent
 * literally, so the encoded parameter is the concatenation of its parts' encodings. A chunk of `k` groups under
 * `m` base groups carries the `m × k` combined groups `[...b, ...g]`, base-major, as `combine` builds them.
 * `packOneByOne`, which encodes every candidate chunk, is the reference it is tested against.
 */
interface Sizer {
  /** One group's sizes (its conditions prepared and encoded once). */
  readonly partOf: (group: FilterGroup) => GroupPart;
  /** Query-string length of the chunk whose groups' sizes add up to `chunk` (`total`). */
  readonly length: (chunk: GroupPart) => number;
}

/** Sizes of one group, or summed over a chunk's groups. */
interface GroupPart {
  readonly groups: number;
  /** Encoded length of the conditions, per parameter (lists: field ids, values, operators; then the JSON form). */
  readonly lengths: readonly number[];
  readonly conditions: number;
  /** Whether every condition can be sent in the list form. */
  readonly listSafe: boolean;
}

const LISTS_NAMES = 'filterfieldids=&filtervalues=&operatortypes='.length;
const JSON_NAME = 'filterjson='.length;

function total(parts: readonly GroupPart[]): GroupPart {
  return parts.reduce<PartSum>((sum, part) => addInto(sum, sum, part), noPart());
}

/** A `GroupPart` that `addInto` fills. */
interface PartSum {
  groups: number;
  lengths: number[];
  conditions: number;
  listSafe: boolean;
}

/** The sizes of no group: a new record each call. */
function noPart(): PartSum {
  return { groups: 0, lengths: [0, 0, 0, 0], conditions: 0, listSafe: true };
}
const NO_PART: GroupPart = noPart();

/**
 * `a` + `b` written into `into` (which may be `a` or `b`: each field is read before it is written), returned: the
 * packing's sums without an object per group.
 */
function addInto(into: PartSum, a: GroupPart, b: GroupPart): PartSum {
  into.groups = a.groups + b.groups;
  for (let i = 0; i < 4; i++) into.lengths[i] = (a.lengths[i] as number) + (b.lengths[i] as number);
  into.conditions = a.conditions + b.conditions;
  into.listSafe = a.listSafe && b.listSafe;
  return into;
}

function sizer(
  unfilteredQuery: EncodedQuery,
  base: readonly PreparedGroup[],
  preparedGroups: ReadonlyMap<FilterGroup, PreparedGroup>,
): Sizer {
  const unfiltered = unfilteredQuery.queryString.length;
  let baseListSafe = true;
  const sizeOf = ({ conditions: prepared, listSafe }: PreparedGroup): GroupPart => {
    let fields = 0;
    let values = 0;
    let operators = 0;
    let json = 0;
    for (const c of prepared) {
      if (listSafe) {
        const part = listParts(c);
        fields += part.field.length;
        values += part.value.length;
        operators += part.op.length;
      }
      // Only a chunk in the JSON form needs it.
      if (!(listSafe && baseListSafe)) json += jsonParts(c).encoded.length;
    }
    return { groups: 1, lengths: [fields, values, operators, json], conditions: prepared.length, listSafe };
  };
  const partOf = (group: FilterGroup): GroupPart => sizeOf(preparedGroups.get(group) ?? prepareGroup(group));
  // Base groups are sized for both forms first: whether they are list-safe decides what the chunk groups need.
  baseListSafe = false;
  const baseParts = base.map(sizeOf);
  const json = (text: string) => encodeValue('filterjson', asciiJson(JSON.parse(text))).length;
  const jsonFrame = json('{"Filters":{"Filter":[]}}');
  const elementFrames: number[] = [0];
  /** Sum of the frames `{"@FilterId":"Filter i","Field":[]}` of elements 1..n. */
  const framesUpTo = (n: number): number => {
    for (let i = elementFrames.length; i <= n; i++) {
      elementFrames.push(
        (elementFrames[i - 1] as number) + json(JSON.stringify({ '@FilterId': `Filter ${i}`, Field: [] })),
      );
    }
    return elementFrames[n] as number;
  };
  const prefix = unfiltered + 1; // `?` or `&`
  const baseTotal = total(baseParts);
  baseListSafe = baseTotal.listSafe;
  const length = (chunk: GroupPart): number => {
    const k = chunk.groups;
    const m = Math.max(1, baseTotal.groups);
    const combinedGroups = m * k;
    const lists = chunk.listSafe && baseTotal.listSafe;
    /** Sum over the combined groups of parameter `i`'s encoded conditions and the `,` between them. */
    const combined = (i: number): number =>
      ((chunk.lengths[i] as number) + chunk.conditions) * m +
      ((baseTotal.lengths[i] as number) + baseTotal.conditions) * k -
      combinedGroups;
    if (lists) {
      // `filterfieldids=…&filtervalues=…&operatortypes=…`, the combined groups joined by `;`.
      return prefix + LISTS_NAMES + combined(0) + combined(1) + combined(2) + 3 * (combinedGroups - 1);
    }
    return prefix + JSON_NAME + jsonFrame + framesUpTo(combinedGroups) + combined(3) + (combinedGroups - 1);
  };
  return { partOf, length };
}

/**
 * The greedy packing of `packOneByOne` (each chunk: the longest run of the next groups that fits), in one pass:
 * each group is encoded once and a chunk's length is summed from its groups' (`sizer`). Packing 100 keys by
 * encoding candidate chunks re-encoded every group several times. Throws on any group that does not fit alone
 * (the caller then reports it one by one).
 */
function packLinear(partition: readonly FilterGroup[], sized: Sizer, max: number): FilterGroup[][] {
  const chunks: FilterGroup[][] = [];
  let current: FilterGroup[] = [];
  // The current chunk's sizes and the candidate's (the chunk with the next group): two records, swapped.
  let sum = noPart();
  let grown = noPart();
  for (const group of partition) {
    if (group.length === 0) throw new Error('an empty group');
    const part = sized.partOf(group);
    addInto(grown, sum, part);
    if (sized.length(grown) <= max) {
      current.push(group);
      const previous = sum;
      sum = grown;
      grown = previous;
      continue;
    }
    if (current.length === 0 || sized.length(part) > max) throw new Error('a group does not fit alone');
    chunks.push(current);
    current = [group];
    addInto(sum, NO_PART, part);
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Adds groups to the current chunk while the query string fits, then starts the next chunk. */
function packOneByOne(
  partition: readonly FilterGroup[],
  length: (chunk: readonly FilterGroup[]) => number,
  max: number,
): FilterGroup[][] {
  const chunks: FilterGroup[][] = [];
  let current: FilterGroup[] = [];
  for (const group of partition) {
    if (length([...current, group]) <= max) {
      current.push(group);
      continue;
    }
    const alone = length([group]);
    if (alone > max) {
      throw new ProfitError(
        'query-too-long',
        `one filter group alone needs a ${alone}-character query string (limit ${max}): it cannot be sent to Profit`,
        { requestSent: false },
      );
    }
    chunks.push(current);
    current = [group];
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

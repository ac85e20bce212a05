/**
 * Loaders, created per request (`new Loaders(client)`), so nothing is cached across callers or credentials.
 *
 * - `get` memoises GetConnector calls by connector and encoded query: identical calls in one request are made once.
 * - `page(binding, query)` reads one page of a list: one call when its query string fits Profit's 2049 characters,
 *   else the filter's OR groups split over several calls whose rows are merged in the list's order (`#splitPage`).
 * - `entity(binding)` loads rows by key: the keys of one tick become OR filter groups (one per key), packed into as
 *   few calls as Profit's 2049-character query string allows (`chunkFilterGroups`).
 * - `matching(binding, …)` loads, for many parents at once, every row whose fields equal each parent's values
 *   (relations), combined with the relation's own where by DNF product, paged in large pages and grouped back per
 *   parent; `first` / `after` are applied per parent in memory by the caller.
 *
 * Every loader keeps the DataLoader contract: results in the keys' order and number, and a failed call puts its
 * Error in the slots of the keys it carried, not in the others.
 *
 * On `maxBatchSize`: the real limit on one Profit call is the query string, and it depends on the keys' text, so it
 * is enforced per call by `chunkFilterGroups`, which packs greedily. A fixed DataLoader `maxBatchSize` could only
 * add calls (a batch cut at N keys can leave two part-filled chunks where one would have been full), so the batch
 * bound here (`MAX_KEYS_PER_BATCH`) is far above what one call carries and only bounds one batch's work.
 */
import { type Attributes, SpanStatusCode, trace } from '@opentelemetry/api';
import DataLoader from 'dataloader';
import {
  type ColumnType,
  type Condition,
  chunkFilterGroups,
  type ExactReading,
  encodeGetQuery,
  type FilterGroup,
  type FilterValue,
  type GetQuery,
  type GetResult,
  MAX_QUERY_STRING_LENGTH,
  mergeSortedRows,
  type ProfitClient,
  ProfitError,
  type ProfitRow,
  resolvePaging,
  rowComparator,
  type SortKey,
} from '../profit/index.js';
import { type EntityBinding, type FieldBinding, fromProfitRow, normalizeKey, numbersOf } from './binding.js';
import { queryTooLong } from './errors.js';

/** A key or join value as it arrives from GraphQL (ID strings) or from a row. */
export type KeyValue = string | number | boolean | Date | { toString(): string } | null | undefined;
export type KeyTuple = readonly KeyValue[];

/**
 * Keys one batch may hold; one call carries far fewer (about 70 seven-character keys), the rest go in further
 * calls of the same batch.
 * @default 5000
 */
export const MAX_KEYS_PER_BATCH = 5000;

/**
 * Profit's guideline: columns × rows per call below 150,000. Relation lists are read in pages of this many rows
 * (at least 100).
 */
export const PROFIT_CELLS_PER_CALL = 150_000;

export function pageRowsFor(binding: EntityBinding): number {
  return Math.max(100, Math.floor((PROFIT_CELLS_PER_CALL - 1) / Math.max(1, binding.fields.size)));
}

/**
 * Most GetConnector calls one list's filter is split into when its query string is over Profit's 2049 characters
 * (each call carries as many of the filter's OR groups as fit). Beyond it the list is refused (QUERY_TOO_LONG,
 * reason `too-many-calls`) rather than fanning one field out into a flood of calls.
 * @default 50
 */
export const MAX_SPLIT_CALLS = 50;

const INTEGER_TEXT = /^\s*-?\d+\s*$/;

/** The value to filter on for a key or join field; `undefined` when no row can have it (empty, or not an int). */
function filterValue(field: FieldBinding, value: KeyValue): FilterValue | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  if (field.dataType === 'int') {
    if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
    const text = String(value);
    return INTEGER_TEXT.test(text) ? Number(text.trim()) : undefined;
  }
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) {
    return value;
  }
  return String(value);
}

/** The identity of a value for grouping: ints by number, text case-insensitively (as Profit compares). */
function valueId(field: FieldBinding, value: KeyValue): string {
  if (field.dataType === 'int' && value !== null && value !== undefined && INTEGER_TEXT.test(String(value))) {
    return String(Number(String(value).trim()));
  }
  if (value instanceof Date) return `@${value.getTime()}`;
  return normalizeKey(value);
}

function tupleId(fields: readonly FieldBinding[], values: KeyTuple): string {
  if (fields.length === 1) return valueId(fields[0] as FieldBinding, values[0]);
  return fields.map((f, i) => valueId(f, values[i])).join('\u0000');
}

/** A call's result with its deferred decimal cells read (`GetResult.exact`), for callers that read the rows. */
function exactly(result: GetResult): GetResult {
  result.exact?.();
  return result;
}

/** `tupleId` of a row's values of `fields`, read without building the tuple (once per row on the row path). */
function rowTupleId(fields: readonly FieldBinding[], row: ProfitRow): string {
  let id = '';
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i] as FieldBinding;
    const part = valueId(f, row[f.connectorField] ?? null);
    id = i === 0 ? part : `${id}\u0000${part}`;
  }
  return id;
}

function fieldsOf(binding: EntityBinding, properties: readonly string[]): FieldBinding[] {
  return properties.map((p) => {
    const f = binding.fields.get(p);
    if (!f) throw new Error(`${binding.name} has no bound property '${p}'`);
    return f;
  });
}

/**
 * A DataLoader `cacheKeyFn` for keys of `properties` of `binding`: one function per binding and properties for the
 * process's life, shared by every request's loaders. Made per request instead, V8 compiled the closure again and
 * again under load (`--trace-opt`: 14 TurboFan compiles in ~2.5 min of mixed load; one function per binding: one
 * compile; issue 12).
 */
function keyIdOf(binding: EntityBinding, properties: readonly string[]): (key: KeyTuple) => string {
  let byProperties = keyIds.get(binding);
  if (byProperties === undefined) {
    byProperties = new Map();
    keyIds.set(binding, byProperties);
  }
  const id = properties.join('\u0000');
  let keyId = byProperties.get(id);
  if (keyId === undefined) {
    const fields = fieldsOf(binding, properties);
    keyId = (key) => tupleId(fields, key);
    byProperties.set(id, keyId);
  }
  return keyId;
}
const keyIds = new WeakMap<EntityBinding, Map<string, (key: KeyTuple) => string>>();

export interface MatchingSpec {
  /** Target properties whose values must equal the parent's. */
  readonly properties: readonly string[];
  /** The relation's own where, compiled (an OR of AND-groups; `[]` for none). */
  readonly filter: readonly FilterGroup[];
  /** The complete sort (compileOrderBy appends the key). */
  readonly orderBy: readonly SortKey[];
  /** Identifies filter + orderBy: one loader per distinct relation query. */
  readonly fingerprint: string;
}

/** Counts of what this request's loaders did upstream. */
export interface LoaderStats {
  /** GetConnector calls sent. */
  calls: number;
  /** Calls answered from the request's memo (identical connector and query). */
  memoized: number;
}

export interface LoaderOptions {
  /**
   * Runs before every GetConnector call and may refuse it by throwing (the authorization check: connector granted,
   * fields it filters and sorts on present). A refused call is not sent; its error fills the slots it carried.
   */
  readonly guard?: (connector: string, query: GetQuery) => Promise<void>;
  /** Sees every failed GetConnector call (to drop a cached grant Profit contradicts). */
  readonly observe?: (error: unknown) => void;
}

export class Loaders {
  readonly stats: LoaderStats = { calls: 0, memoized: 0 };
  readonly #calls = new Map<string, Promise<GetResult>>();
  readonly #entityLoaders = new Map<EntityBinding, DataLoader<KeyTuple, object | null, string>>();
  /**
   * Entities read by any call of this request, by key id: the key loader answers from here before calling
   * Profit. Kept apart from the DataLoader cache (rather than `prime`d into it) because most rows are never asked
   * for by key, and priming costs a key tuple and a promise per row.
   */
  readonly #seen = new Map<EntityBinding, Map<string, object>>();
  readonly #matchingLoaders = new Map<string, DataLoader<KeyTuple, object[], string>>();
  /** `#matchingLoaders` by the spec object asked with: found without building the id string per parent row. */
  #matchingBySpec = new WeakMap<
    MatchingSpec,
    { readonly binding: EntityBinding; readonly loader: DataLoader<KeyTuple, object[], string> }
  >();
  readonly #options: LoaderOptions;

  constructor(
    readonly client: ProfitClient,
    options: LoaderOptions = {},
  ) {
    this.#options = options;
  }

  /**
   * Lets go of everything read for this request (memo, loaders, the entities seen), once its answer is sent; a
   * call after it starts afresh. Why: a request's context stays reachable after the request from objects V8 frees
   * only in a full GC (Apollo's gateway request context gives its `response.http` accessor closures, see
   * docs/benchmarks.md), so whatever the loaders hold (rows, their promises, a DataLoader's last batch with the
   * resolvers waiting on it, and through those the answer's tree) would be copied and promoted by every
   * young-generation GC in between (issue 12).
   */
  release(): void {
    this.#calls.clear();
    this.#entityLoaders.clear();
    this.#seen.clear();
    this.#matchingLoaders.clear();
    this.#matchingBySpec = new WeakMap();
  }

  /** One GetConnector call, made once per request for the same connector and query; its rows read exactly. */
  get(connector: string, query: GetQuery): Promise<GetResult> {
    return this.#deferring(connector, query).then(exactly);
  }

  /** `get` whose result may still defer the exact reading of decimal columns (`GetResult.exact`). */
  #deferring(connector: string, query: GetQuery): Promise<GetResult> {
    let queryString: string;
    try {
      queryString = encodeGetQuery(query).queryString;
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#get(connector, query, queryString);
  }

  /** `#deferring` with the query already encoded (its query string is the memo key). */
  #get(connector: string, query: GetQuery, queryString: string): Promise<GetResult> {
    const memoKey = `${connector}${queryString}`;
    const known = this.#calls.get(memoKey);
    if (known) {
      this.stats.memoized++;
      return known;
    }
    this.stats.calls++;
    const { guard, observe } = this.#options;
    // The columns bound as `decimal` are read exactly, the others by JSON.parse; most decimal columns only when a
    // field reads one or a caller asks (`GetResult.exact`, binding.ts `numbersOf`).
    const options = numbersOf(connector);
    const call = guard
      ? guard(connector, query).then(() => this.client.get(connector, query, options))
      : this.client.get(connector, query, options);
    if (observe) call.catch(observe);
    this.#calls.set(memoKey, call);
    return call;
  }

  /**
   * Drops what this request has read of an entity after a write to it: the row by `key` (in the binding's key
   * order), every memoised call of its GetConnector (a list page may hold the old row) and its relation loaders,
   * so the next read goes to Profit and sees the written state.
   */
  forget(binding: EntityBinding, key?: KeyTuple): void {
    if (key !== undefined) {
      this.#entityLoaders.get(binding)?.clear(key);
      this.#seen.get(binding)?.delete(tupleId(fieldsOf(binding, binding.key), key));
    } else {
      this.#entityLoaders.get(binding)?.clearAll();
      this.#seen.delete(binding);
    }
    for (const memoKey of [...this.#calls.keys()]) {
      if (memoKey === binding.connector || memoKey.startsWith(`${binding.connector}?`)) this.#calls.delete(memoKey);
    }
    for (const [id, loader] of this.#matchingLoaders) if (id.startsWith(`${binding.name}\u0000`)) loader.clearAll();
  }

  /**
   * One page of an entity's rows, as entity instances (which the key loader then answers from). `query.orderBy`
   * must end on the binding's key (`compileOrderBy` appends it) when the filter may need splitting: the merge relies
   * on a total order and drops rows matched by several calls by their key.
   */
  async page<T extends object>(binding: EntityBinding, query: GetQuery): Promise<T[]> {
    let queryString: string | undefined;
    try {
      queryString = encodeGetQuery(query).queryString;
    } catch {
      // A query that cannot be encoded at all is refused by `get`.
    }
    if (queryString === undefined) return this.#entities<T>(binding, (await this.get(binding.connector, query)).rows);
    if (queryString.length <= MAX_QUERY_STRING_LENGTH) {
      const { rows, exact } = await this.#get(binding.connector, query, queryString);
      return this.#entities<T>(binding, rows, exact);
    }
    return this.#entities<T>(binding, await this.#splitPage(binding, query));
  }

  /**
   * A page whose filter is too long for one query string. Each call carries some of the filter's OR groups
   * (`chunkFilterGroups`) with the same sort, from row 0 to the page's end (skip + take): any row of the page is
   * among the first skip + take rows of every call whose groups it matches. The answers are merged in the sort
   * order (ties broken by the key, which ends the sort), a row matched by several calls is kept once (OR groups
   * may overlap), and the page is cut from the merged list: the rows and order one call would have given.
   *
   * Refused with QUERY_TOO_LONG before any call: one OR group that alone exceeds the limit (`group-too-long`),
   * more than `MAX_SPLIT_CALLS` calls (`too-many-calls`), a page ending beyond the rows one call reads
   * (`page-too-deep`: `pageRowsFor`, Profit's cells-per-call guideline); after the calls, answers whose own order
   * this service does not reproduce (`order-unverifiable`, see src/profit/sort-order.ts): a merge would guess.
   */
  async #splitPage(binding: EntityBinding, query: GetQuery): Promise<ProfitRow[]> {
    const groups = query.filter ?? [];
    const { skip, take } = resolvePaging(query);
    const all = skip === -1;
    const end = all ? -1 : skip + take;
    const maxRows = pageRowsFor(binding);
    if (groups.length < 2) throw groupTooLong(binding, query, undefined);
    let queries: GetQuery[];
    try {
      queries = splitQueries(query);
    } catch (error) {
      throw error instanceof ProfitError && error.kind === 'query-too-long'
        ? groupTooLong(binding, query, error)
        : error;
    }
    const calls = queries.length;
    if (calls > MAX_SPLIT_CALLS) {
      throw queryTooLong(
        'too-many-calls',
        `the where of this ${binding.name} list has ${groups.length} OR groups (in / or alternatives) and needs ${calls} Profit calls of at most ${MAX_QUERY_STRING_LENGTH} query-string characters each; at most ${MAX_SPLIT_CALLS} are made for one list. Use fewer or shorter in / or values, or a condition that selects the same rows more briefly (a range, startsWith).`,
        { connector: binding.connector, groups: groups.length, calls, maxCalls: MAX_SPLIT_CALLS },
      );
    }
    if (!all && end > maxRows) {
      throw queryTooLong(
        'page-too-deep',
        `the where of this ${binding.name} list is split over ${calls} Profit calls (its query string is over ${MAX_QUERY_STRING_LENGTH} characters); a page ending at row ${end} would need the first ${end} rows of each, more than the ${maxRows} one call reads. Page less deep (a smaller first, or narrow the where and start again), or use fewer in / or values so the where fits one call.`,
        { connector: binding.connector, calls, pageEnd: end, maxRows },
      );
    }
    const answers = await Promise.all(queries.map((q) => this.get(binding.connector, q)));
    const keyFields = fieldsOf(binding, binding.key);
    const merged = mergeSortedRows(
      answers.map((a) => a.rows),
      rowComparator(query.orderBy ?? [], dataTypesOf(binding)),
      (row) => rowTupleId(keyFields, row),
      all ? undefined : end,
    );
    if (!merged.ok) throw orderUnverifiable(binding, calls);
    return all ? merged.rows : merged.rows.slice(skip, end);
  }

  /**
   * `entity(binding).loadMany(keys)` without a promise and a cache entry per key: the distinct keys in batches of
   * `MAX_KEYS_PER_BATCH`, each answered as `#loadByKey` answers (an entity, `null` for no row, or the Error of the
   * call that carried it; a key whose row this request has read already costs no call). For `_entities`, which
   * asks hundreds of keys at once: DataLoader's per-key promises were a tenth of such a request's allocations
   * (issue 12). Keys asked through `entity` in the same tick are not merged into these calls.
   */
  async entitiesByKey(binding: EntityBinding, keys: readonly KeyTuple[]): Promise<(object | null | Error)[]> {
    const fields = fieldsOf(binding, binding.key);
    const ids = keys.map((key) => tupleId(fields, key));
    // The distinct keys with their ids, in the order first asked.
    const distinct = new Map<string, KeyTuple>();
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as string;
      if (!distinct.has(id)) distinct.set(id, keys[i] as KeyTuple);
    }
    const uniqueIds = [...distinct.keys()];
    const unique = [...distinct.values()];
    const batches: number[] = [];
    for (let i = 0; i < unique.length; i += MAX_KEYS_PER_BATCH) batches.push(i);
    const answers = await Promise.all(
      batches.map((from) => {
        const batch = unique.slice(from, from + MAX_KEYS_PER_BATCH);
        const batchIds = uniqueIds.slice(from, from + MAX_KEYS_PER_BATCH);
        return this.#keyBatch(binding, fields, batch, batchIds).catch((error: unknown) =>
          new Array<Error>(batch.length).fill(asError(error)),
        );
      }),
    );
    // The batches' answers in the order of `uniqueIds`, whose keys they are.
    const results = answers.flat();
    const byId = new Map<string, object | null | Error>();
    for (let i = 0; i < uniqueIds.length; i++) byId.set(uniqueIds[i] as string, results[i] ?? null);
    return ids.map((id) => byId.get(id) ?? null);
  }

  /** One batch of keys (the key loader's, or `entitiesByKey`'s) read by `#loadByKey`, in its trace span. */
  #keyBatch(
    binding: EntityBinding,
    fields: readonly FieldBinding[],
    keys: readonly KeyTuple[],
    ids?: readonly string[],
  ): Promise<readonly (object | null | Error)[]> {
    return inBatchSpan(binding, `${binding.name} by key`, keys, () => this.#loadByKey(binding, fields, keys, ids));
  }

  /** Loads entities by their key (in the binding's key order); `null` for a key no row has. */
  entity<T extends object>(binding: EntityBinding): DataLoader<KeyTuple, T | null, string> {
    let loader = this.#entityLoaders.get(binding);
    if (!loader) {
      const fields = fieldsOf(binding, binding.key);
      loader = new DataLoader<KeyTuple, object | null, string>((keys) => this.#keyBatch(binding, fields, keys), {
        cacheKeyFn: keyIdOf(binding, binding.key),
        maxBatchSize: MAX_KEYS_PER_BATCH,
      });
      this.#entityLoaders.set(binding, loader);
    }
    return loader as DataLoader<KeyTuple, T | null, string>;
  }

  /** Loads, per parent value tuple, every row of `binding` matching it and the spec's filter, in the spec's order. */
  matching<T extends object>(binding: EntityBinding, spec: MatchingSpec): DataLoader<KeyTuple, T[], string> {
    // The same spec object comes back for every parent row of a relation (resolvers.ts keeps one per relation).
    const bySpec = this.#matchingBySpec.get(spec);
    if (bySpec !== undefined && bySpec.binding === binding) return bySpec.loader as DataLoader<KeyTuple, T[], string>;
    const id = `${binding.name}\u0000${spec.properties.join(',')}\u0000${spec.fingerprint}`;
    let loader = this.#matchingLoaders.get(id);
    if (!loader) {
      const fields = fieldsOf(binding, spec.properties);
      const name = `${binding.name} matching ${spec.properties.join(', ')}`;
      loader = new DataLoader<KeyTuple, object[], string>(
        (keys) => inBatchSpan(binding, name, keys, () => this.#loadMatching(binding, fields, spec, keys)),
        { cacheKeyFn: keyIdOf(binding, spec.properties), maxBatchSize: MAX_KEYS_PER_BATCH },
      );
      this.#matchingLoaders.set(id, loader);
    }
    this.#matchingBySpec.set(spec, { binding, loader });
    return loader as DataLoader<KeyTuple, T[], string>;
  }

  /**
   * The rows as entities, each remembered by its key for the key loader (the first one read of a key is kept).
   * `exact`: their call's, when it deferred decimal columns (the rows are one call's, unmerged).
   */
  #entities<T extends object>(binding: EntityBinding, rows: readonly ProfitRow[], exact?: ExactReading): T[] {
    const keyFields = fieldsOf(binding, binding.key);
    let seen = this.#seen.get(binding);
    if (seen === undefined) {
      seen = new Map();
      this.#seen.set(binding, seen);
    }
    const entities = new Array<T>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as ProfitRow;
      const entity = fromProfitRow<T>(binding, row, exact);
      const id = rowTupleId(keyFields, row);
      if (!seen.has(id)) seen.set(id, entity);
      entities[i] = entity;
    }
    return entities;
  }

  async #loadByKey(
    binding: EntityBinding,
    fields: readonly FieldBinding[],
    keys: readonly KeyTuple[],
    // Each key's identity once (given by a caller that has them already). Keys whose row this request has already
    // read are answered with that entity, without a call.
    ids: readonly string[] = keys.map((key) => tupleId(fields, key)),
  ): Promise<(object | null | Error)[]> {
    const seen = this.#seen.get(binding);
    const known = new Map<string, object>();
    if (seen !== undefined) {
      for (const id of ids) {
        const entity = seen.get(id);
        if (entity !== undefined) known.set(id, entity);
      }
    }
    const groups = groupsFor(fields, keys, ids, known);
    // Keys are unique, so each group matches at most one row: one page of `groups.size` rows holds them all.
    const base: GetQuery = { orderBy: fields.map((f) => ({ field: f.connectorField })), take: groups.size };
    // Each call's rows become entities as it arrives (while others are still out), remembered by key in `seen`.
    const { failed } = await this.#fetchGroups(binding, groups, base, false, (rows, exact) =>
      this.#entities(binding, rows, exact),
    );
    const read = this.#seen.get(binding);
    return ids.map((id) => known.get(id) ?? failed.get(id) ?? read?.get(id) ?? null);
  }

  /**
   * Each parent's rows come from one call per part of the relation's where (one part unless the where is split,
   * see `#fetchGroups`); several parts are merged in the relation's order, a row matched by several kept once.
   */
  async #loadMatching(
    binding: EntityBinding,
    fields: readonly FieldBinding[],
    spec: MatchingSpec,
    keys: readonly KeyTuple[],
  ): Promise<(object[] | Error)[]> {
    const ids = keys.map((key) => tupleId(fields, key));
    const groups = groupsFor(fields, keys, ids);
    const base: GetQuery = { filter: spec.filter, orderBy: spec.orderBy, take: pageRowsFor(binding) };
    const { lists, failed } = await this.#fetchGroups(binding, groups, base, true);
    const parentOf = (row: ProfitRow) => rowTupleId(fields, row);
    // Parent id → its rows, one list per call that returned some.
    const parts = new Map<string, ProfitRow[][]>();
    for (const list of lists) {
      const here = new Map<string, ProfitRow[]>();
      for (const row of list) {
        const id = parentOf(row);
        let rows = here.get(id);
        if (!rows) {
          rows = [];
          here.set(id, rows);
          const known = parts.get(id);
          if (known) known.push(rows);
          else parts.set(id, [rows]);
        }
        rows.push(row);
      }
    }
    const keyFields = fieldsOf(binding, binding.key);
    const compare = rowComparator(spec.orderBy, dataTypesOf(binding));
    const identity = (row: ProfitRow) => rowTupleId(keyFields, row);
    const byKey = new Map<string, object[] | Error>();
    for (const [id, lists] of parts) {
      const merged =
        lists.length === 1
          ? { ok: true as const, rows: lists[0] as ProfitRow[] }
          : mergeSortedRows(lists, compare, identity);
      byKey.set(
        id,
        merged.ok ? this.#entities<object>(binding, merged.rows) : orderUnverifiable(binding, lists.length),
      );
    }
    return ids.map((id) => failed.get(id) ?? byKey.get(id) ?? []);
  }

  /**
   * Reads the rows matching any of `groups` (AND `base.filter`), in as few calls as the query-string limit allows;
   * with `allPages`, each call's query is paged until a short page. A failed call fails the keys it carried.
   * Returns each call's rows apart (each in `base.orderBy`); `arrived` sees each call's rows as they come, while
   * the other calls may still be out, with the call's `exact` when it deferred decimal columns (then the returned
   * rows may hold them unread: without `allPages`, `arrived` is the rows' only reader).
   *
   * Each call's filter is `base.filter` × its groups (DNF). When `base.filter` (a relation's own where) is too
   * long to go with even one group, it is split first: into parts that each fit beside the longest group, and the
   * groups are packed per part. A row then comes from each part whose groups it matches (`#loadMatching` merges).
   */
  async #fetchGroups(
    binding: EntityBinding,
    groups: ReadonlyMap<string, FilterGroup>,
    base: GetQuery,
    allPages: boolean,
    arrived?: (rows: ProfitRow[], exact: ExactReading | undefined) => void,
  ): Promise<{ lists: ProfitRow[][]; failed: Map<string, Error> }> {
    const failed = new Map<string, Error>();
    if (groups.size === 0) return { lists: [], failed };
    const keyOf = new Map<Condition, string>();
    for (const [id, group] of groups) for (const c of group) keyOf.set(c, id);
    // Later pages send a longer `skip`: pack the chunks as if it already had eight digits.
    const packed: GetQuery = allPages ? { ...base, skip: 99_999_999 } : base;
    let queries: GetQuery[];
    try {
      queries = this.#packGroups(binding, packed, [...groups.values()]);
    } catch (error) {
      for (const id of groups.keys()) failed.set(id, asError(error));
      return { lists: [], failed };
    }
    const results = await Promise.allSettled(
      queries.map((q) => {
        if (arrived === undefined) {
          return allPages ? this.#allPages(binding.connector, q) : this.get(binding.connector, q).then((r) => r.rows);
        }
        const result = allPages
          ? this.#allPages(binding.connector, q).then((rows) => ({ rows, exact: undefined }))
          : this.#deferring(binding.connector, q);
        return result.then(({ rows, exact }) => {
          arrived(rows, exact);
          return rows;
        });
      }),
    );
    const lists: ProfitRow[][] = [];
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') {
        lists.push(result.value);
        return;
      }
      for (const group of queries[i]?.filter ?? []) {
        for (const c of group) {
          const id = keyOf.get(c);
          if (id !== undefined) failed.set(id, asError(result.reason));
        }
      }
    });
    return { lists, failed };
  }

  /** `chunkFilterGroups(query, groups)`, with `query.filter` split into parts first when it is too long. */
  #packGroups(binding: EntityBinding, query: GetQuery, groups: readonly FilterGroup[]): GetQuery[] {
    const where = query.filter ?? [];
    try {
      return chunkFilterGroups(query, groups);
    } catch (error) {
      if (!(error instanceof ProfitError && error.kind === 'query-too-long') || where.length < 2) throw error;
    }
    // The parts of the where that fit beside the longest group: packed as that group AND each where group.
    const longest = groups.reduce((a, b) =>
      encodeGetQuery({ filter: [b] }).queryString.length > encodeGetQuery({ filter: [a] }).queryString.length ? b : a,
    );
    const parts = chunkFilterGroups({ ...query, filter: [longest] }, where).map((q) =>
      (q.filter ?? []).map((g) => g.slice(longest.length)),
    );
    if (parts.length > MAX_SPLIT_CALLS) {
      throw queryTooLong(
        'too-many-calls',
        `the where of this ${binding.name} relation has ${where.length} OR groups (in / or alternatives) and needs ${parts.length} parts of at most ${MAX_QUERY_STRING_LENGTH} query-string characters each; at most ${MAX_SPLIT_CALLS} are made. Use fewer or shorter in / or values.`,
        { connector: binding.connector, groups: where.length, calls: parts.length, maxCalls: MAX_SPLIT_CALLS },
      );
    }
    return parts.flatMap((part) => chunkFilterGroups({ ...query, filter: part }, groups));
  }

  async #allPages(connector: string, query: GetQuery): Promise<ProfitRow[]> {
    const take = query.take ?? 100;
    const rows: ProfitRow[] = [];
    for (let skip = 0; ; skip += take) {
      const page = await this.get(connector, { ...query, skip, take });
      rows.push(...page.rows);
      if (page.rows.length < take) return rows;
    }
  }
}

/** The GetConnector calls `query` makes as one page (`Loaders.page`): 1 when it fits, else the calls of its split. */
export function splitCallCount(query: GetQuery): number {
  if (fits(query)) return 1;
  try {
    return Math.max(1, splitQueries(query).length);
  } catch {
    return 1;
  }
}

/**
 * The calls a page too long for one query string is split into: the filter's OR groups packed as few per call as
 * fit (`chunkFilterGroups`), each call with the page's sort, from row 0 to the page's end (all rows for -1/-1).
 */
function splitQueries(query: GetQuery): GetQuery[] {
  const { skip, take } = resolvePaging(query);
  const all = skip === -1;
  return chunkFilterGroups(
    { orderBy: query.orderBy, skip: all ? -1 : 0, take: all ? -1 : skip + take },
    query.filter ?? [],
  );
}

/** Whether the query's string fits Profit's limit (a query that cannot be encoded at all is left to `get`). */
function fits(query: GetQuery): boolean {
  try {
    return encodeGetQuery(query).queryString.length <= MAX_QUERY_STRING_LENGTH;
  } catch {
    return true;
  }
}

function dataTypesOf(binding: EntityBinding): Map<string, ColumnType> {
  return new Map([...binding.fields.values()].map((f) => [f.connectorField, f.dataType]));
}

function orderUnverifiable(binding: EntityBinding, calls: number) {
  return queryTooLong(
    'order-unverifiable',
    `the where of this ${binding.name} list is split over ${calls} Profit calls (its query string is over ${MAX_QUERY_STRING_LENGTH} characters), and Profit sorted their rows in an order this service cannot reproduce (text in another collation), so their merged order would be a guess. Sort on another field, or use fewer in / or values so the where fits one call.`,
    { connector: binding.connector, calls },
  );
}

function groupTooLong(binding: EntityBinding, query: GetQuery, cause: ProfitError | undefined) {
  const length = encodeGetQuery(query).queryString.length;
  return queryTooLong(
    'group-too-long',
    `the where of this ${binding.name} list needs a ${length}-character query string, and one of its AND groups (the conditions that must hold together) is over Profit's ${MAX_QUERY_STRING_LENGTH} characters on its own, so it cannot be split over several calls. Shorten its values, or move alternatives into or / in so they can be sent apart.`,
    { connector: binding.connector, length },
    cause,
  );
}

/**
 * One AND-group per distinct key tuple (case-insensitively: by its `tupleId`, given in `ids` in the keys' order),
 * skipping tuples no row can match and those in `except`.
 */
function groupsFor(
  fields: readonly FieldBinding[],
  keys: readonly KeyTuple[],
  ids: readonly string[],
  except?: ReadonlyMap<string, unknown>,
): Map<string, FilterGroup> {
  const groups = new Map<string, FilterGroup>();
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k] as KeyTuple;
    const id = ids[k] as string;
    if (groups.has(id) || except?.has(id)) continue;
    const values = fields.map((f, i) => filterValue(f, key[i]));
    if (values.some((v) => v === undefined)) continue;
    groups.set(
      id,
      fields.map((f, i) => ({ field: f.connectorField, op: 'eq', value: values[i] as FilterValue })),
    );
  }
  return groups;
}

/**
 * Runs one DataLoader batch inside a span (`dataloader.batch Employee`), so the Profit calls it makes are its
 * children in a trace. Only `@opentelemetry/api`: without an SDK (tracing off) its tracer is a no-op. The tracer is
 * asked for per batch, not kept: the SDK may be registered after this module loads, or stopped and started again.
 * Attributes name the entity, its connector and the number of keys, never a key's value (it may be personal).
 */
function inBatchSpan<T>(
  binding: EntityBinding,
  loader: string,
  keys: readonly KeyTuple[],
  batch: () => Promise<readonly (T | Error)[]>,
): Promise<readonly (T | Error)[]> {
  const attributes: Attributes = {
    'dataloader.name': loader,
    'dataloader.batch.keys': keys.length,
    'profit.connector': binding.connector,
  };
  return trace
    .getTracer('profit-subgraph')
    .startActiveSpan(`dataloader.batch ${binding.name}`, { attributes }, async (span) => {
      try {
        const results = await batch();
        // A failed call fills only its keys' slots (the DataLoader contract): the batch is marked failed if any is.
        const failed = results.filter((r) => r instanceof Error);
        if (failed.length > 0) {
          span.setAttribute('dataloader.batch.failed_keys', failed.length);
          span.setStatus({ code: SpanStatusCode.ERROR, message: errorName(failed[0]) });
        }
        return results;
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: errorName(error) });
        throw error;
      } finally {
        span.end();
      }
    });
}

/** The kind of an error for a span's status: its code or class, never its message (it may quote a value). */
function errorName(error: unknown): string {
  const code = (error as { extensions?: { code?: unknown } } | undefined)?.extensions?.code;
  if (typeof code === 'string') return code;
  if (error instanceof ProfitError) return `ProfitError ${error.kind}`;
  return error instanceof Error ? error.name : typeof error;
}

/** `error` if it is an Error, else an Error saying it. */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

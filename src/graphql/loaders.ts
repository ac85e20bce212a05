/**
 * Loaders, created per request (`new Loaders(client)`), so nothing is cached across callers or credentials.
 *
 * - `get` memoises GetConnector calls by connector and encoded query: identical calls in one request are made once.
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
import DataLoader from 'dataloader';
import {
  type Condition,
  chunkFilterGroups,
  encodeGetQuery,
  type FilterGroup,
  type FilterValue,
  type GetQuery,
  type GetResult,
  type ProfitClient,
  type ProfitRow,
  type SortKey,
} from '../profit/index.js';
import { type EntityBinding, type FieldBinding, fromProfitRow, normalizeKey } from './binding.js';

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
  return fields.map((f, i) => valueId(f, values[i])).join('\u0000');
}

function fieldsOf(binding: EntityBinding, properties: readonly string[]): FieldBinding[] {
  return properties.map((p) => {
    const f = binding.fields.get(p);
    if (!f) throw new Error(`${binding.name} has no bound property '${p}'`);
    return f;
  });
}

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
  readonly #matchingLoaders = new Map<string, DataLoader<KeyTuple, object[], string>>();
  readonly #options: LoaderOptions;

  constructor(
    readonly client: ProfitClient,
    options: LoaderOptions = {},
  ) {
    this.#options = options;
  }

  /** One GetConnector call, made once per request for the same connector and query. */
  get(connector: string, query: GetQuery): Promise<GetResult> {
    let memoKey: string;
    try {
      memoKey = `${connector}${encodeGetQuery(query).queryString}`;
    } catch (error) {
      return Promise.reject(error);
    }
    const known = this.#calls.get(memoKey);
    if (known) {
      this.stats.memoized++;
      return known;
    }
    this.stats.calls++;
    const { guard, observe } = this.#options;
    const call = guard
      ? guard(connector, query).then(() => this.client.get(connector, query))
      : this.client.get(connector, query);
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
    if (key !== undefined) this.#entityLoaders.get(binding)?.clear(key);
    else this.#entityLoaders.get(binding)?.clearAll();
    for (const memoKey of [...this.#calls.keys()]) {
      if (memoKey === binding.connector || memoKey.startsWith(`${binding.connector}?`)) this.#calls.delete(memoKey);
    }
    for (const [id, loader] of this.#matchingLoaders) if (id.startsWith(`${binding.name}\u0000`)) loader.clearAll();
  }

  /** One page of an entity's rows, as entity instances (which also prime the key loader). */
  async page<T extends object>(binding: EntityBinding, query: GetQuery): Promise<T[]> {
    const { rows } = await this.get(binding.connector, query);
    return this.#entities<T>(binding, rows);
  }

  /** Loads entities by their key (in the binding's key order); `null` for a key no row has. */
  entity<T extends object>(binding: EntityBinding): DataLoader<KeyTuple, T | null, string> {
    let loader = this.#entityLoaders.get(binding);
    if (!loader) {
      const fields = fieldsOf(binding, binding.key);
      loader = new DataLoader<KeyTuple, object | null, string>((keys) => this.#loadByKey(binding, fields, keys), {
        cacheKeyFn: (key) => tupleId(fields, key),
        maxBatchSize: MAX_KEYS_PER_BATCH,
      });
      this.#entityLoaders.set(binding, loader);
    }
    return loader as DataLoader<KeyTuple, T | null, string>;
  }

  /** Loads, per parent value tuple, every row of `binding` matching it and the spec's filter, in the spec's order. */
  matching<T extends object>(binding: EntityBinding, spec: MatchingSpec): DataLoader<KeyTuple, T[], string> {
    const id = `${binding.name}\u0000${spec.properties.join(',')}\u0000${spec.fingerprint}`;
    let loader = this.#matchingLoaders.get(id);
    if (!loader) {
      const fields = fieldsOf(binding, spec.properties);
      loader = new DataLoader<KeyTuple, object[], string>((keys) => this.#loadMatching(binding, fields, spec, keys), {
        cacheKeyFn: (key) => tupleId(fields, key),
        maxBatchSize: MAX_KEYS_PER_BATCH,
      });
      this.#matchingLoaders.set(id, loader);
    }
    return loader as DataLoader<KeyTuple, T[], string>;
  }

  #entities<T extends object>(binding: EntityBinding, rows: readonly ProfitRow[]): T[] {
    const keyFields = fieldsOf(binding, binding.key);
    const loader = this.entity(binding);
    return rows.map((row) => {
      const entity = fromProfitRow<T>(binding, row);
      loader.prime(
        keyFields.map((f) => row[f.connectorField] ?? null),
        entity,
      );
      return entity;
    });
  }

  async #loadByKey(
    binding: EntityBinding,
    fields: readonly FieldBinding[],
    keys: readonly KeyTuple[],
  ): Promise<(object | null | Error)[]> {
    const groups = groupsFor(fields, keys);
    // Keys are unique, so each group matches at most one row: one page of `groups.size` rows holds them all.
    const base: GetQuery = { orderBy: fields.map((f) => ({ field: f.connectorField })), take: groups.size };
    const { rows, failed } = await this.#fetchGroups(binding, groups, base, false);
    const byKey = new Map<string, object>();
    const entities = this.#entities<object>(binding, rows);
    rows.forEach((row, i) => {
      byKey.set(
        tupleId(
          fields,
          fields.map((f) => row[f.connectorField] ?? null),
        ),
        entities[i] as object,
      );
    });
    return keys.map((key) => {
      const id = tupleId(fields, key);
      return failed.get(id) ?? byKey.get(id) ?? null;
    });
  }

  async #loadMatching(
    binding: EntityBinding,
    fields: readonly FieldBinding[],
    spec: MatchingSpec,
    keys: readonly KeyTuple[],
  ): Promise<(object[] | Error)[]> {
    const groups = groupsFor(fields, keys);
    const base: GetQuery = { filter: spec.filter, orderBy: spec.orderBy, take: pageRowsFor(binding) };
    const { rows, failed } = await this.#fetchGroups(binding, groups, base, true);
    const entities = this.#entities<object>(binding, rows);
    const byKey = new Map<string, object[]>();
    rows.forEach((row, i) => {
      const id = tupleId(
        fields,
        fields.map((f) => row[f.connectorField] ?? null),
      );
      const list = byKey.get(id) ?? [];
      byKey.set(id, list);
      list.push(entities[i] as object);
    });
    return keys.map((key) => {
      const id = tupleId(fields, key);
      return failed.get(id) ?? byKey.get(id) ?? [];
    });
  }

  /**
   * Reads the rows matching any of `groups` (AND `base.filter`), in as few calls as the query-string limit allows;
   * with `allPages`, each call's query is paged until a short page. A failed call fails the keys it carried.
   */
  async #fetchGroups(
    binding: EntityBinding,
    groups: ReadonlyMap<string, FilterGroup>,
    base: GetQuery,
    allPages: boolean,
  ): Promise<{ rows: ProfitRow[]; failed: Map<string, Error> }> {
    const failed = new Map<string, Error>();
    if (groups.size === 0) return { rows: [], failed };
    const keyOf = new Map<Condition, string>();
    for (const [id, group] of groups) for (const c of group) keyOf.set(c, id);
    let queries: GetQuery[];
    try {
      // Later pages send a longer `skip`: pack the chunks as if it already had eight digits.
      queries = chunkFilterGroups(allPages ? { ...base, skip: 99_999_999 } : base, [...groups.values()]);
    } catch (error) {
      for (const id of groups.keys()) failed.set(id, asError(error));
      return { rows: [], failed };
    }
    const results = await Promise.allSettled(
      queries.map((q) => (allPages ? this.#allPages(binding.connector, q) : this.get(binding.connector, q))),
    );
    const rows: ProfitRow[] = [];
    results.forEach((result, i) => {
      if (result.status === 'fulfilled') {
        rows.push(...(Array.isArray(result.value) ? result.value : result.value.rows));
        return;
      }
      for (const group of queries[i]?.filter ?? []) {
        for (const c of group) {
          const id = keyOf.get(c);
          if (id !== undefined) failed.set(id, asError(result.reason));
        }
      }
    });
    return { rows, failed };
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

/** One AND-group per distinct key tuple (case-insensitively), skipping tuples no row can match. */
function groupsFor(fields: readonly FieldBinding[], keys: readonly KeyTuple[]): Map<string, FilterGroup> {
  const groups = new Map<string, FilterGroup>();
  for (const key of keys) {
    const id = tupleId(fields, key);
    if (groups.has(id)) continue;
    const values = fields.map((f, i) => filterValue(f, key[i]));
    if (values.some((v) => v === undefined)) continue;
    groups.set(
      id,
      fields.map((f, i) => ({ field: f.connectorField, op: 'eq', value: values[i] as FilterValue })),
    );
  }
  return groups;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * What each credential's app connector grants, read from Profit and cached per credential.
 *
 * - `GET /metainfo` gives the granted Get- and UpdateConnectors (one call per credential per TTL);
 * - `GET /metainfo/get/{id}` gives the fields a GetConnector exposes to that credential; it is read lazily, only
 *   for a connector a request touches and only once `/metainfo` says it is granted, so the permission lookup itself
 *   never calls a connector the credential lacks.
 * - `GET /metainfo/update/{id}` gives an UpdateConnector's code tables, read when a write first carries a code.
 *
 * Entries are keyed by the credential's fingerprint (a salted SHA-256, never the credential itself), expire after
 * `ttlMs`, and hold promises: concurrent first requests of one credential share one load. A failed load is not
 * kept, so the next request tries again. `invalidate` drops a credential's entry when Profit answers as if its
 * grant changed (a "not granted" or "field not found" for something the cache said was there, or a 401).
 *
 * Unknown credentials cannot starve known ones: the first `/metainfo` of a credential this store has not seen
 * accepted yet is a verification, sent on the connection's own small cap for verifications
 * (`CallOptions.verification`) rather than the shared one, so a flood of made-up tokens waits for those slots while
 * known callers' calls go on. A credential Profit refuses (401) is remembered, by fingerprint only, for
 * `refusedTtlMs`: repeating it within that time is refused again without calling Profit.
 *
 * Replicas can share what they read (`shared`, a `SharedGrantCache` such as src/redis/grant-cache.ts): a grant or a
 * connector's metainfo one replica read is not read again by another, and an invalidation reaches them all. This
 * process's Map stays in front of it (it holds the promises concurrent requests share); without `shared` it is all.
 * Refusals (a credential's 401, a file connector's refusal) stay per process: they are cheap to learn again.
 */
import { type ProfitClient, ProfitError, type UpdateConnectorMetainfo } from '../../profit/index.js';

export interface CredentialGrants {
  /** The app connector's name (`info.appName`). */
  readonly appName: string | undefined;
  /** Granted GetConnector ids, as Profit spells them. */
  readonly getConnectors: readonly string[];
  /** Granted UpdateConnector ids, as Profit spells them. */
  readonly updateConnectors: readonly string[];
}

/**
 * What replicas share of the grant cache: JSON values per credential fingerprint (never the credential) and part
 * (`grants`, `get:{connector}`, `update:{connector}`), all of a fingerprint expiring together. An implementation
 * never rejects: when its store is unavailable, `get` misses and the rest do nothing.
 */
export interface SharedGrantCache {
  /** A part's value and how long it still lives, in ms. */
  get(fingerprint: string, part: string): Promise<{ readonly value: unknown; readonly ttlMs: number } | undefined>;
  /** Stores a part; the fingerprint's first part sets the expiry of all. */
  set(fingerprint: string, part: string, value: unknown, ttlMs: number): Promise<void>;
  /** Drops all parts of the fingerprint and tells every other sharer (their `onInvalidate` listeners). */
  invalidate(fingerprint: string): Promise<void>;
  /** Called when another sharer invalidated a fingerprint. */
  onInvalidate(listener: (fingerprint: string) => void): void;
}

export interface PermissionStoreOptions {
  /** How long a credential's grant is trusted before Profit is asked again. @default 300_000 ms */
  readonly ttlMs?: number;
  /** Credentials kept at most (the least recently used are dropped beyond it). @default 10_000 */
  readonly maxCredentials?: number;
  /** How long a credential Profit refused (401) is refused again without asking Profit. 0: not at all. @default 30_000 ms */
  readonly refusedTtlMs?: number;
  /** Refused credentials remembered at most (the oldest are dropped beyond it). @default 10_000 */
  readonly maxRefused?: number;
  /** @default Date.now */
  readonly now?: () => number;
  /** What replicas share. @default none: this process only */
  readonly shared?: SharedGrantCache;
}

/** A GetConnector's fields for one credential: lower-cased id → the id as Profit spells it and its `dataType`. */
export type ConnectorFields = ReadonlyMap<string, { readonly id: string; readonly dataType: string }>;

interface Entry {
  /** Lowered to a shared part's own expiry when one is read from `shared`. */
  expiresAt: number;
  grants?: Promise<CredentialGrants>;
  /** Lower-cased connector id → lower-cased field ids. */
  readonly fields: Map<string, Promise<ReadonlySet<string>>>;
  /** Lower-cased UpdateConnector id → its `GET /metainfo/update/{id}` (code tables); created on first use. */
  updates?: Map<string, Promise<UpdateConnectorMetainfo>>;
  /** Lower-cased connector id → its fields with their types (the same `metainfo/get` call as `fields`). */
  readonly typed: Map<string, Promise<ConnectorFields>>;
  /**
   * File connector and report roles Profit refused this credential (`profit:file:image`, …). Profit's metainfo
   * does not list those connectors, so a refusal is the only word on them; kept as long as the rest of the grant.
   */
  readonly refused: Set<string>;
}

/** Counts of the metainfo calls the store made (for tests and the bench). */
export interface PermissionStoreStats {
  metainfo: number;
  connectorMetainfo: number;
}

/** Counts of the credential checks (for tests and the bench). */
export interface VerificationStats {
  /** `/metainfo` calls (of `stats.metainfo`) verifying a credential not yet known, on the verification cap. */
  verifications: number;
  /** Requests refused from the refused-credential cache, without a call. */
  refusedFromCache: number;
}

/** A refusal remembered: Profit's 401 for a credential, until `until`. */
interface Refusal {
  readonly until: number;
  readonly error: ProfitError;
}

export class PermissionStore {
  readonly ttlMs: number;
  readonly maxCredentials: number;
  readonly refusedTtlMs: number;
  readonly maxRefused: number;
  readonly stats: PermissionStoreStats = { metainfo: 0, connectorMetainfo: 0 };
  readonly verificationStats: VerificationStats = { verifications: 0, refusedFromCache: 0 };
  /** `grants` lookups answered from the cache (`hits`) and those that asked Profit (`misses`), for the metrics. */
  readonly cache = { hits: 0, misses: 0 };
  readonly #now: () => number;
  readonly #shared: SharedGrantCache | undefined;
  readonly #entries = new Map<string, Entry>();
  /** Fingerprints whose `/metainfo` Profit has answered (oldest first): their grant is read on the shared cap. */
  readonly #known = new Set<string>();
  /** Fingerprints Profit refused (oldest first). */
  readonly #refused = new Map<string, Refusal>();

  constructor(options: PermissionStoreOptions = {}) {
    this.ttlMs = options.ttlMs ?? 300_000;
    this.maxCredentials = options.maxCredentials ?? 10_000;
    this.refusedTtlMs = options.refusedTtlMs ?? 30_000;
    this.maxRefused = options.maxRefused ?? 10_000;
    this.#now = options.now ?? Date.now;
    this.#shared = options.shared;
    this.#shared?.onInvalidate((fingerprint) => this.#entries.delete(fingerprint));
  }

  /**
   * A part from the shared cache, else `load`ed (from Profit) and stored there for the others. The local entry
   * expires no later than the shared part, so a grant is never trusted longer than `ttlMs` after Profit gave it.
   */
  async #viaShared<T>(
    entry: Entry,
    fingerprint: string,
    part: string,
    load: () => Promise<T>,
    codec?: { encode(value: T): unknown; decode(value: unknown): T },
  ): Promise<T> {
    const shared = this.#shared;
    if (shared === undefined) return load();
    const hit = await shared.get(fingerprint, part);
    if (hit !== undefined) {
      entry.expiresAt = Math.min(entry.expiresAt, this.#now() + hit.ttlMs);
      return codec ? codec.decode(hit.value) : (hit.value as T);
    }
    const value = await load();
    const ttlMs = entry.expiresAt - this.#now();
    if (ttlMs > 0) void shared.set(fingerprint, part, codec ? codec.encode(value) : value, ttlMs);
    return value;
  }

  #entry(fingerprint: string): Entry {
    const now = this.#now();
    let entry = this.#entries.get(fingerprint);
    if (entry && entry.expiresAt <= now) entry = undefined;
    if (entry) {
      // Most recently used last, so the first key is the one to drop.
      this.#entries.delete(fingerprint);
    } else {
      entry = { expiresAt: now + this.ttlMs, fields: new Map(), typed: new Map(), refused: new Set() };
    }
    this.#entries.set(fingerprint, entry);
    while (this.#entries.size > this.maxCredentials) {
      const oldest = this.#entries.keys().next().value as string;
      this.#entries.delete(oldest);
    }
    return entry;
  }

  /**
   * The credential's granted connectors (`GET /metainfo`, shared and cached). Rejects at once, without a call,
   * while the credential is remembered as refused.
   */
  grants(client: ProfitClient): Promise<CredentialGrants> {
    const fingerprint = client.fingerprint;
    const refusal = this.#refused.get(fingerprint);
    if (refusal !== undefined) {
      if (refusal.until > this.#now()) {
        this.verificationStats.refusedFromCache++;
        return Promise.reject(refusal.error);
      }
      this.#refused.delete(fingerprint);
    }
    const entry = this.#entry(fingerprint);
    if (entry.grants) this.cache.hits++;
    else {
      this.cache.misses++;
      const load = this.#viaShared(entry, fingerprint, 'grants', () => {
        this.stats.metainfo++;
        const verification = !this.#known.has(fingerprint);
        if (verification) this.verificationStats.verifications++;
        return client.metainfo({ verification }).then(
          (m): CredentialGrants => ({
            appName: m.info?.appName,
            getConnectors: m.getConnectors.map((c) => c.id),
            updateConnectors: m.updateConnectors.map((c) => c.id),
          }),
        );
      }).then((grants) => {
        // Profit accepted the credential (here or on another replica): its grant is read on the shared cap.
        this.#remember(this.#known, fingerprint);
        return grants;
      });
      entry.grants = load;
      load.catch((error: unknown) => {
        if (entry.grants === load) entry.grants = undefined;
        if (error instanceof ProfitError && error.kind === 'unauthorized') this.#refuse(fingerprint, error);
      });
    }
    return entry.grants;
  }

  /** Remembers Profit's 401 for this fingerprint (and forgets the credential as known: it is checked anew after). */
  #refuse(fingerprint: string, error: ProfitError): void {
    this.#known.delete(fingerprint);
    this.invalidate(fingerprint);
    if (this.refusedTtlMs <= 0) return;
    this.#refused.delete(fingerprint);
    this.#refused.set(fingerprint, { until: this.#now() + this.refusedTtlMs, error });
    while (this.#refused.size > this.maxRefused) this.#refused.delete(this.#refused.keys().next().value as string);
  }

  /** Adds a fingerprint as the newest of a bounded set (the oldest dropped beyond `maxCredentials`). */
  #remember(set: Set<string>, fingerprint: string): void {
    set.delete(fingerprint);
    set.add(fingerprint);
    while (set.size > this.maxCredentials) set.delete(set.keys().next().value as string);
  }

  /**
   * The fields (lower-cased ids) a GetConnector gives this credential (`GET /metainfo/get/{id}`, shared and
   * cached). Call it only for a connector `grants` lists: for another, Profit answers "not granted".
   */
  fields(client: ProfitClient, connector: string): Promise<ReadonlySet<string>> {
    const entry = this.#entry(client.fingerprint);
    const key = connector.toLowerCase();
    let known = entry.fields.get(key);
    if (!known) {
      const load = this.#typed(entry, client, connector).then((typed) => new Set(typed.keys()) as ReadonlySet<string>);
      known = load;
      entry.fields.set(key, load);
      load.catch(() => {
        if (entry.fields.get(key) === load) entry.fields.delete(key);
      });
    }
    return known;
  }

  /**
   * An UpdateConnector's metainfo as this credential's environment gives it (`GET /metainfo/update/{id}`, shared
   * and cached with the grant, so one call per connector per credential and TTL): the write side checks codes
   * against its `values`, so an environment's own codes work. Call it only for a connector `grants` lists.
   */
  updateMetainfo(client: ProfitClient, connector: string): Promise<UpdateConnectorMetainfo> {
    const entry = this.#entry(client.fingerprint);
    entry.updates ??= new Map();
    const updates = entry.updates;
    const key = connector.toLowerCase();
    let known = updates.get(key);
    if (!known) {
      const load = this.#viaShared(entry, client.fingerprint, `update:${key}`, () =>
        client.updateConnectorMetainfo(connector),
      );
      known = load;
      updates.set(key, load);
      load.catch(() => {
        if (updates.get(key) === load) updates.delete(key);
      });
    }
    return known;
  }

  /**
   * The fields a GetConnector gives this credential, with Profit's `dataType` for each: what a filter that names
   * connector fields directly (a report's `where`) is typed by. Shares `fields`' call and cache.
   */
  fieldTypes(client: ProfitClient, connector: string): Promise<ConnectorFields> {
    return this.#typed(this.#entry(client.fingerprint), client, connector);
  }

  #typed(entry: Entry, client: ProfitClient, connector: string): Promise<ConnectorFields> {
    const key = connector.toLowerCase();
    let known = entry.typed.get(key);
    if (!known) {
      const load = this.#viaShared(
        entry,
        client.fingerprint,
        `get:${key}`,
        () => {
          this.stats.connectorMetainfo++;
          return client
            .getConnectorMetainfo(connector)
            .then(
              (m) =>
                new Map(
                  m.fields.map((f) => [f.id.toLowerCase(), { id: f.id, dataType: f.dataType }]),
                ) as ConnectorFields,
            );
        },
        FIELDS_CODEC,
      );
      known = load;
      entry.typed.set(key, load);
      load.catch(() => {
        if (entry.typed.get(key) === load) entry.typed.delete(key);
      });
    }
    return known;
  }

  /**
   * Loads a credential's grant and the fields of each of `connectors` it grants (for example every connector the
   * schema binds), so later requests find them cached.
   */
  async warm(client: ProfitClient, connectors: readonly string[]): Promise<void> {
    const grants = await this.grants(client);
    const granted = new Map(grants.getConnectors.map((c) => [c.toLowerCase(), c]));
    await Promise.all(
      connectors.flatMap((c) => {
        const id = granted.get(c.toLowerCase());
        return id === undefined ? [] : [this.fields(client, id)];
      }),
    );
  }

  /** Remembers that Profit refused this credential a file connector or report (`role`, see roles.ts). */
  refuse(client: ProfitClient, role: string): void {
    this.#entry(client.fingerprint).refused.add(role.toLowerCase());
  }

  /** Whether Profit refused this credential `role` within the TTL. */
  isRefused(client: ProfitClient, role: string): boolean {
    return this.#entries.get(client.fingerprint)?.refused.has(role.toLowerCase()) === true && this.#live(client);
  }

  #live(client: ProfitClient): boolean {
    const entry = this.#entries.get(client.fingerprint);
    return entry !== undefined && entry.expiresAt > this.#now();
  }

  /**
   * Forgets what is known of one credential (by fingerprint): its next request reads /metainfo again, on every
   * replica that shares the cache.
   */
  invalidate(fingerprint: string): void {
    this.#entries.delete(fingerprint);
    void this.#shared?.invalidate(fingerprint);
  }

  /** Credentials currently cached. */
  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
    this.#known.clear();
    this.#refused.clear();
  }
}

/** `ConnectorFields` as JSON: its entries. */
const FIELDS_CODEC = {
  encode: (fields: ConnectorFields): unknown => [...fields],
  decode: (value: unknown): ConnectorFields =>
    new Map(value as [string, { id: string; dataType: string }][]) as ConnectorFields,
};

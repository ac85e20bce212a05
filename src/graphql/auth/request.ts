/**
 * One request's view of the caller's permissions: the credential's grant (from the shared `PermissionStore`),
 * narrowed by the scopes of a verified JWT when the deployment sends one. Decisions are memoised per role for the
 * request, so checking the same field on 500 rows costs one lookup.
 */
import { GraphQLError } from 'graphql';
import type { GetQuery, ProfitClient } from '../../profit/index.js';
import { ProfitError } from '../../profit/index.js';
import { entityBindings } from '../binding.js';
import { type Denial, forbiddenError } from '../errors.js';
import type { ConnectorFields, CredentialGrants, PermissionStore } from './permissions.js';
import { type Grant, getGrant, parseGrant, scopePrefix } from './roles.js';

export type { Denial } from '../errors.js';

/**
 * Profit's answer to a filter or sort on a field the GetConnector does not have (for this credential): the English
 * text of troubleshooting.md, or its Dutch (as Profit answers with `Accept-Language: nl-nl`; unconfirmed wording).
 */
const FIELD_NOT_FOUND = /connector field '[^']*' not found|connectorveld '[^']*' niet gevonden/i;

const lower = (s: string) => s.toLowerCase();

const parsedRoles = new Map<string, Grant>();

/** `parseGrant`, remembered: the same few role strings are read for every field of every row. */
function parseRole(role: string): Grant {
  let g = parsedRoles.get(role);
  if (!g) {
    g = parseGrant(role);
    if (parsedRoles.size < 10_000) parsedRoles.set(role, g);
  }
  return g;
}

export class RequestAuthorization {
  readonly #decisions = new Map<string, Promise<Denial | undefined>>();
  /** Decisions already made, for a synchronous answer: a list of 500 rows checks each field 500 times. */
  readonly #settled = new Map<string, Denial | null>();
  /**
   * Field sets already read (lower-cased connector → lower-cased field ids). Every GetConnector call is guarded
   * first (its sort includes the key), so the set is known before the rows arrive and each field of each row is
   * decided synchronously.
   */
  readonly #fieldSets = new Map<string, ReadonlySet<string>>();
  /** Lower-cased scopes of a verified JWT; `undefined` when no JWT narrows this request. */
  readonly #scopes: ReadonlySet<string> | undefined;

  constructor(
    readonly store: PermissionStore,
    readonly client: ProfitClient,
    /** Scopes of a verified JWT: only these (and the credential's grant) are allowed. */
    scopes?: Iterable<string>,
  ) {
    this.#scopes = scopes === undefined ? undefined : new Set([...scopes].map(lower));
  }

  /** Whether a JWT narrows this request. */
  get narrowed(): boolean {
    return this.#scopes !== undefined;
  }

  #scopeAllows(kind: Grant['kind'], connector: string): boolean {
    if (this.#scopes === undefined) return true;
    const prefix = scopePrefix(kind);
    return this.#scopes.has(lower(`${prefix}${connector}`)) || this.#scopes.has(`${prefix}*`);
  }

  /** The credential's grant, narrowed by the JWT's scopes (one `/metainfo` per credential per TTL). */
  async grants(): Promise<CredentialGrants> {
    const g = await this.store.grants(this.client);
    if (this.#scopes === undefined) return g;
    return {
      appName: g.appName,
      getConnectors: g.getConnectors.filter((c) => this.#scopeAllows('get', c)),
      updateConnectors: g.updateConnectors.filter((c) => this.#scopeAllows('update', c)),
    };
  }

  /** Why `role` is denied, or `undefined` when it is allowed. */
  decide(role: string): Promise<Denial | undefined> {
    let d = this.#decisions.get(role);
    if (!d) {
      d = this.#decide(role);
      this.#decisions.set(role, d);
      d.then(
        (denial) => {
          if (this.#decisions.get(role) === d) this.#settled.set(role, denial ?? null);
        },
        () => undefined,
      );
      // A failed lookup (Profit unreachable, 401) is not remembered: the next field asks again.
      d.catch(() => {
        if (this.#decisions.get(role) === d) this.#decisions.delete(role);
      });
    }
    return d;
  }

  async #decide(role: string): Promise<Denial | undefined> {
    const grant = parseGrant(role);
    const scope = `${scopePrefix(grant.kind)}${grant.connector}`;
    if (grant.kind === 'get' && grant.field !== undefined) {
      const connectorDenial = await this.decide(scope);
      if (connectorDenial) return connectorDenial;
      const canonical = await this.#canonical('get', grant.connector);
      const fields = await this.store.fields(this.client, canonical ?? grant.connector);
      this.#fieldSets.set(lower(grant.connector), fields);
      if (fields.has(lower(grant.field))) return undefined;
      return { reason: 'field-not-granted', kind: 'get', connector: grant.connector, field: grant.field, scope };
    }
    // The scope is checked first: it needs no Profit call.
    if (!this.#scopeAllows(grant.kind, grant.connector)) {
      return { reason: 'scope-missing', kind: grant.kind, connector: grant.connector, scope };
    }
    // A file connector or report: Profit's metainfo does not list them (roles.ts), so the credential's own grant
    // is Profit's to decide when the call is made, and its refusal is remembered (`refuse`). unconfirmed: whether
    // a metainfo of a future Profit version lists them; until then only a JWT's scopes narrow them beforehand.
    if (grant.kind === 'file' || grant.kind === 'report') {
      if (!this.store.isRefused(this.client, role)) return undefined;
      return { reason: 'not-granted', kind: grant.kind, connector: grant.connector, scope };
    }
    if ((await this.#canonical(grant.kind, grant.connector)) === undefined) {
      return { reason: 'not-granted', kind: grant.kind, connector: grant.connector, scope };
    }
    return undefined;
  }

  /** The connector id as Profit spells it in `/metainfo`, or `undefined` when it is not granted. */
  async #canonical(kind: 'get' | 'update', connector: string): Promise<string | undefined> {
    const g = await this.store.grants(this.client);
    const ids = kind === 'get' ? g.getConnectors : g.updateConnectors;
    return ids.find((id) => lower(id) === lower(connector));
  }

  /**
   * Throws a FORBIDDEN GraphQLError naming the first of `roles` that is denied (all must hold). Answers
   * synchronously (`undefined`) when every role is already decided for this request, else returns a promise.
   */
  require(roles: readonly string[]): Promise<void> | undefined {
    for (const role of roles) {
      const settled = this.#settled.has(role) ? this.#settled.get(role) : this.#settleField(role);
      if (settled === undefined) return this.#require(roles);
      if (settled !== null) throw forbiddenError(settled);
    }
    return undefined;
  }

  /** A field role decided from its connector's decision and field set, when both are known; else `undefined`. */
  #settleField(role: string): Denial | null | undefined {
    const grant = parseRole(role);
    if (grant.kind !== 'get' || grant.field === undefined) return undefined;
    const connector = this.#settled.get(getGrant(grant.connector));
    const fields = this.#fieldSets.get(lower(grant.connector));
    if (connector === undefined || (connector === null && fields === undefined)) return undefined;
    const decision: Denial | null =
      connector ??
      (fields?.has(lower(grant.field))
        ? null
        : {
            reason: 'field-not-granted',
            kind: 'get',
            connector: grant.connector,
            field: grant.field,
            scope: getGrant(grant.connector),
          });
    this.#settled.set(role, decision);
    return decision;
  }

  async #require(roles: readonly string[]): Promise<void> {
    for (const role of roles) {
      const denial = await this.decide(role);
      if (denial) throw forbiddenError(denial);
    }
  }

  /** Whether every one of `roles` holds (no error). */
  async allows(roles: readonly string[]): Promise<boolean> {
    for (const role of roles) if (await this.decide(role)) return false;
    return true;
  }

  /**
   * Before a GetConnector call: the connector must be granted and every field it filters or sorts on present, so
   * a `where` / `orderBy` on a withheld field is FORBIDDEN here instead of Profit's "Connector field 'X' not found".
   */
  async guardQuery(connector: string, query: GetQuery): Promise<void> {
    const denial = await this.decide(getGrant(connector));
    if (denial) throw forbiddenError(denial);
    const fields = new Set<string>();
    for (const group of query.filter ?? []) for (const c of group) fields.add(c.field);
    for (const s of query.orderBy ?? []) fields.add(s.field);
    for (const field of fields) {
      const d = await this.decide(getGrant(connector, field));
      if (d) throw forbiddenError(d, { usage: `Filtering or sorting on ${graphqlName(connector, field)}` });
    }
  }

  /**
   * The fields a granted GetConnector gives this credential, with Profit's data types: for a filter that names
   * connector fields directly (a report's `where`). FORBIDDEN when the connector is not allowed.
   */
  async connectorFields(connector: string): Promise<ConnectorFields> {
    const denial = await this.decide(getGrant(connector));
    if (denial) throw forbiddenError(denial);
    const canonical = await this.#canonical('get', connector);
    return this.store.fieldTypes(this.client, canonical ?? connector);
  }

  /**
   * Profit refused this credential a file connector or report (`profit:file:<kind>`, `profit:report:<id>`): kept
   * with its grant, so the next request is refused before any call and gets no download link.
   */
  refuse(role: string): void {
    this.store.refuse(this.client, role);
    this.#decisions.delete(role);
    this.#settled.delete(role);
  }

  /**
   * Looks at a failed Profit call: an answer that says the grant is not what the cache holds (not granted, field
   * not found, or the credential refused) drops the credential's cached grant, so the next request reads it anew.
   */
  observe(failure: unknown): void {
    // Resolvers translate Profit's errors into GraphQLErrors that keep the original.
    const error = failure instanceof GraphQLError ? failure.originalError : failure;
    if (!(error instanceof ProfitError)) return;
    if (
      error.kind === 'not-granted' ||
      error.kind === 'unauthorized' ||
      (error.kind === 'rejected' && FIELD_NOT_FOUND.test(error.externalMessage ?? error.message))
    ) {
      this.store.invalidate(this.client.fingerprint);
      this.#decisions.clear();
      this.#settled.clear();
      this.#fieldSets.clear();
    }
  }
}

/** `salary (Profit_Employees.Salary)` when a model binds the field, else `Profit_Employees.Salary`. */
function graphqlName(connector: string, field: string): string {
  for (const b of entityBindings()) {
    if (lower(b.connector) !== lower(connector)) continue;
    for (const f of b.fields.values()) {
      if (lower(f.connectorField) === lower(field)) return `${b.name}.${f.property} (${connector}.${field})`;
    }
  }
  return `${connector}.${field}`;
}

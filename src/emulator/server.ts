/**
 * The Profit emulator's HTTP layer on node:http: routing under `/ProfitRestServices/` (and `/ProfitServices/*.asmx`
 * to the SOAP services of soap/), authentication, GetConnectors,
 * UpdateConnectors, metainfo, the special connectors (Subject, Report, File, Image), OAuth, maintenance, faults
 * and the request log. It knows no connector by name: everything comes from the `Company` (company/types.ts).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { DateTime } from 'luxon';
import { afasTokenHeader, authenticate, findOAuthClient, type Principal, TokenStore } from './auth.js';
import { createCompany as createDemoCompany } from './company/index.js';
import {
  type Company,
  type CompanyOptions,
  type CreateCompany,
  type GetConnectorDef,
  type GetFieldDef,
  type MetainfoRequest,
  ProfitRejection,
  type StoredFile,
  type UpdateConnectorDef,
  type UpdateFieldDef,
  type UpdateMethod,
  type UpdateObjectDef,
} from './company/types.js';
import { notAuthorized, unexpectedError } from './errors.js';
import { type FaultConfig, FaultController, type OneShotFault } from './faults.js';
import {
  MAX_QUERY_STRING_LENGTH,
  parseGetRequest,
  parseQuery,
  renderGetResponse,
  selectRows,
} from './get-connector.js';
import { Exchange, type Sent } from './http.js';
import { type LogEntry, RequestLog } from './log.js';
import { handleSoap, type SoapHost, sendSoapFault } from './soap/service.js';
import { findSoapService } from './soap/wsdl.js';
import { findObject, parseBody, parseUpdateBody } from './update-connector.js';

/** The emulator's notion of now, in epoch ms. Tests pass their own to expire OAuth tokens without waiting. */
export interface Clock {
  now(): number;
}

export interface EmulatorHandlerOptions {
  /** Builds the demo company; called again by `reset()`. */
  readonly createCompany: CreateCompany;
  /** Passed to `createCompany`. @default the company's own defaults (seed 20261124, scale 1) */
  readonly company?: CompanyOptions;
  /** Lifetime of OAuth access tokens. @default 3600 s */
  readonly tokenLifetimeSeconds?: number;
  /** @default the system clock */
  readonly clock?: Clock;
  /** Initial fault configuration. @default no faults */
  readonly faults?: FaultConfig;
  /**
   * Request bodies above this get 413. endpoint-knsubject-post.md: "The maximum request size including attachments
   * is 75 MB"; MB read as SI megabytes (75 000 000 bytes), the stricter reading of the two.
   * @default 75_000_000 bytes
   */
  readonly maxBodyBytes?: number;
  /** Log entries kept. @default 10_000 */
  readonly logLimit?: number;
  /** Called with errors that are not functional rejections (bugs in a company handler). @default console.error */
  readonly onError?: (error: unknown) => void;
}

export interface EmulatorOptions extends Omit<EmulatorHandlerOptions, 'createCompany'> {
  /** @default 0 (a free port) */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** @default the demo company of src/emulator/company */
  readonly createCompany?: CreateCompany;
}

export interface EmulatorHandler {
  /** The node:http request listener. */
  readonly handle: (req: IncomingMessage, res: ServerResponse) => void;
  /** The current company (replaced by `reset`). */
  readonly company: Company;
  readonly log: RequestLog;
  readonly faults: FaultController;
  /** Rebuilds the company from its seed (optionally other options); issued OAuth tokens stay valid. */
  reset(options?: CompanyOptions): void;
  /** Ends connections held by timeout faults and pending latency; call before closing the server. */
  dispose(): void;
}

export interface Emulator extends EmulatorHandler {
  /** `http://127.0.0.1:{port}` */
  readonly url: string;
  /** `{url}/ProfitRestServices` */
  readonly baseUrl: string;
  readonly port: number;
  close(): Promise<void>;
}

/** 75 MB as endpoint-knsubject-post.md states Profit's request limit (SI megabytes). */
export const MAX_BODY_BYTES = 75_000_000;

const PREFIX = '/profitrestservices';
const ADMIN_PREFIX = '/__emulator';
const MAINTENANCE_MESSAGE =
  'Service temporarily unavailable due to scheduled maintenance. Please check afasstatus.nl for details.';

/**
 * The 503 as AFAS's OpenAPI files type it (`components.responses.503` in oas/*.json): `error.code` and
 * `error.message` are strings and `retry_after` an integer of seconds, with a `Retry-After` header of the same
 * seconds. (troubleshooting.md's sample wraps the strings in `{"example": …}`: OAS example values pasted into the
 * page, not what the schema allows.)
 */
function sendUnavailable(x: Exchange, retryAfter: number): Sent {
  const seconds = Math.max(0, Math.ceil(retryAfter));
  const body = JSON.stringify({ error: { code: '503', message: MAINTENANCE_MESSAGE }, retry_after: seconds });
  return x.send(503, body, { 'Retry-After': String(seconds) });
}

function objectNotFound(object: string, connector: string): ProfitRejection {
  return new ProfitRejection({
    nl: `Object '${object}' bestaat niet in '${connector}'.`,
    en: `Object '${object}' does not exist in '${connector}'.`,
  });
}

function findCi<V>(map: ReadonlyMap<string, V>, id: string): V | undefined {
  const exact = map.get(id);
  if (exact !== undefined) return exact;
  const lower = id.toLowerCase();
  for (const [k, v] of map) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/**
 * File answers write `/` as `\/`, as AFAS's documented SubjectConnector answer does inside `filedata`
 * (howto-bijlage-dossier.md): valid JSON that a client must unescape before decoding the base64.
 */
function escapeSlashes(json: string): string {
  return json.replace(/\//g, '\\/');
}

function decodeSegment(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

type BodyResult = { kind: 'ok'; text: string } | { kind: 'too-large' } | { kind: 'aborted' };

function readBody(req: IncomingMessage, max: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number.isFinite(declared) && declared > max;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
      // Stop swallowing a huge upload: the 413 is sent once the stream is cut.
      if (size > max * 2 + 1_048_576) req.destroy();
    });
    req.on('end', () =>
      resolve(tooLarge ? { kind: 'too-large' } : { kind: 'ok', text: Buffer.concat(chunks).toString('utf8') }),
    );
    req.on('error', () => resolve(tooLarge ? { kind: 'too-large' } : { kind: 'aborted' }));
    req.on('close', () => {
      if (!req.complete) resolve(tooLarge ? { kind: 'too-large' } : { kind: 'aborted' });
    });
  });
}

/** Amsterdam local time rendered as Profit renders datetimes (with its misleading `Z`). */
function profitDateTime(epochMs: number): string {
  return `${DateTime.fromMillis(epochMs, { zone: 'Europe/Amsterdam' }).toFormat("yyyy-LL-dd'T'HH:mm:ss")}Z`;
}

export function createEmulatorHandler(options: EmulatorHandlerOptions): EmulatorHandler {
  return new EmulatorCore(options);
}

class EmulatorCore implements EmulatorHandler {
  company: Company;
  readonly log: RequestLog;
  readonly faults: FaultController;
  private readonly tokens: TokenStore;
  private readonly clock: Clock;
  private readonly maxBodyBytes: number;
  private readonly onError: (error: unknown) => void;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly held = new Set<Socket>();
  private inFlight = 0;
  private disposed = false;

  constructor(private readonly options: EmulatorHandlerOptions) {
    this.company = options.createCompany(options.company);
    this.log = new RequestLog(options.logLimit);
    this.faults = new FaultController(options.faults);
    this.clock = options.clock ?? { now: () => Date.now() };
    this.tokens = new TokenStore(() => this.clock.now(), options.tokenLifetimeSeconds ?? 3600);
    this.maxBodyBytes = options.maxBodyBytes ?? MAX_BODY_BYTES;
    this.onError = options.onError ?? ((e) => console.error('profit emulator:', e));
  }

  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const path = q < 0 ? raw : raw.slice(0, q);
    const query = q < 0 ? '' : raw.slice(q);
    if (path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`)) {
      this.admin(req, res, path.slice(ADMIN_PREFIX.length)).catch((e) => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(String(e));
      });
      return;
    }
    this.inFlight += 1;
    const started = performance.now();
    const entry = this.log.start({
      time: new Date(this.clock.now()).toISOString(),
      method: req.method ?? 'GET',
      path,
      query,
      inFlight: this.inFlight,
    });
    const exchange = new Exchange(
      req,
      res,
      entry,
      (x, ms) => this.hold(x, ms),
      (x, rest) => this.stall(x, rest),
    );
    res.on('finish', () => {
      entry.status = res.statusCode;
    });
    res.on('close', () => {
      this.inFlight -= 1;
      entry.durationMs = Math.round((performance.now() - started) * 10) / 10;
      // Never answered: either the socket was reset on purpose, or the client gave up waiting (a held timeout
      // fault, latency, or a slow request).
      if (entry.status === 'pending') entry.status = entry.fault === 'reset' ? 'reset' : 'timeout';
    });
    this.process(exchange, path, query).catch((e) => {
      if (e instanceof ProfitRejection) exchange.sendRejection(e);
      else {
        this.onError(e);
        exchange.sendRejection(unexpectedError());
      }
    });
  };

  reset(options?: CompanyOptions): void {
    this.company = this.options.createCompany(options ?? this.options.company);
  }

  dispose(): void {
    this.disposed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const s of this.held) s.destroy();
    this.held.clear();
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  /**
   * Keeps a connection open until `ms` pass (then `onCap`), the client leaves, or the returned function lets it
   * go; `undefined` (and the connection destroyed) once the emulator is disposed.
   */
  private keep(socket: Socket, ms: number, onCap: () => void): (() => void) | undefined {
    if (this.disposed) {
      socket.destroy();
      return undefined;
    }
    this.held.add(socket);
    const letGo = () => {
      clearTimeout(t);
      this.timers.delete(t);
      this.held.delete(socket);
      socket.off('close', letGo);
    };
    const t = setTimeout(() => {
      letGo();
      onCap();
    }, ms);
    this.timers.add(t);
    socket.once('close', letGo);
    return letGo;
  }

  /** A timeout fault: keep the connection open without answering, until the client leaves or the cap passes. */
  private hold(exchange: Exchange, ms: number): void {
    const socket = exchange.req.socket;
    this.keep(socket, ms, () => socket.destroy());
  }

  /** A stall fault: the rest of the body waits for `faults.release()`, or goes out after the cap. */
  private stall(exchange: Exchange, rest: Buffer): void {
    const socket = exchange.req.socket;
    let withdraw = () => {};
    const resume = (how: 'finish' | 'reset') => {
      letGo?.();
      withdraw();
      if (how === 'reset') {
        if (exchange.entry) exchange.entry.status = 'reset';
        socket.destroy();
      } else exchange.res.end(rest);
    };
    const letGo = this.keep(socket, exchange.stall?.capMs ?? 60_000, () => resume('finish'));
    if (!letGo) return;
    withdraw = this.faults.park(resume);
    socket.once('close', () => withdraw());
  }

  private async process(x: Exchange, rawPath: string, query: string): Promise<Sent | undefined> {
    const method = (x.req.method ?? 'GET').toUpperCase();
    const entry = x.entry as LogEntry;

    // Faults come first: they model the network and the servers in front of Profit.
    const decision = this.faults.decide(method, rawPath);
    const soapService = findSoapService(rawPath);
    if (decision.kind) entry.fault = decision.kind;
    await this.sleep(decision.delayMs);
    if (x.destroyed) return;
    if (decision.maintenance) {
      entry.fault = 'maintenance';
      return sendUnavailable(x, decision.maintenance.retryAfter);
    }
    switch (decision.kind) {
      case 'reset':
        x.req.socket.destroy();
        return;
      case '500':
        return soapService ? sendSoapFault(x, unexpectedError(), this.onError) : x.sendRejection(unexpectedError());
      case '503':
        return sendUnavailable(x, decision.retryAfter);
      case '401':
      case '403':
        return x.send(Number(decision.kind));
      case 'timeout':
        x.holdForMs = decision.timeoutCapMs;
        break;
      case 'malformed':
        x.malformed = true;
        break;
      case 'stall':
        x.stall = {
          capMs: decision.timeoutCapMs,
          ...(decision.afterBytes !== undefined ? { afterBytes: decision.afterBytes } : {}),
        };
        break;
      default:
    }

    // The length limit is enforced in front of Profit (a bare 404), before authentication.
    if (query.length > MAX_QUERY_STRING_LENGTH) return x.send(404);
    const isRest = rawPath.toLowerCase().startsWith(`${PREFIX}/`) || rawPath.toLowerCase() === PREFIX;
    if (!isRest && !soapService) return x.send(404);
    const segments = rawPath
      .slice(PREFIX.length)
      .split('/')
      .filter((s) => s !== '')
      .map(decodeSegment);
    const head = segments[0]?.toLowerCase();

    let body: string | undefined;
    if (method === 'POST' || method === 'PUT') {
      const read = await readBody(x.req, this.maxBodyBytes);
      if (read.kind === 'too-large') return x.send(413, undefined, { Connection: 'close' });
      if (read.kind === 'aborted') return;
      body = read.text;
    }
    if (soapService) {
      const url = `http://${x.req.headers.host ?? '127.0.0.1'}${rawPath}`;
      return handleSoap(this.soapHost(), x, soapService, method, query, body, url);
    }

    if (head === 'oauth' && segments[1]?.toLowerCase() === 'token' && segments.length === 2) {
      if (method !== 'POST') return x.send(404);
      return this.oauthToken(x, body ?? '');
    }

    const principal = authenticate(x.req.headers.authorization, this.company, this.tokens);
    if (!principal) return x.send(401);
    entry.appConnector = principal.app.id;
    entry.user = principal.user.name;

    const params = parseQuery(query);
    const rest = segments.slice(1);
    switch (head) {
      case 'connectors':
        return this.connectors(x, method, rest, params, body, principal);
      case 'metainfo':
        if (method !== 'GET') return x.send(404);
        return this.metainfo(x, rest, principal);
      case 'profitversion':
        if (method !== 'GET' || rest.length > 0) return x.send(404);
        return x.sendJson(200, { version: this.company.profitVersion });
      case 'subjectconnector':
      case 'fileconnector':
      case 'imageconnector':
      case 'reportconnector':
        if (method !== 'GET') return x.send(404);
        return this.special(x, head, rest, params, principal);
      default:
        // unconfirmed: unknown paths and unsupported methods answer a bare 404 (no 405).
        return x.send(404);
    }
  }

  /** The SOAP services' view of this core: the company of the moment and REST's own checks. */
  private soapHost(): SoapHost {
    return {
      company: this.company,
      authenticate: (header) => authenticate(header, this.company, this.tokens),
      grantedGet: (principal, id) => this.grantedGet(principal, id),
      grantedUpdate: (principal, id) => this.grantedUpdate(principal, id),
      onError: this.onError,
    };
  }

  // ---------------------------------------------------------------- OAuth

  /**
   * RFC 6749 client credentials. The client authenticates with form fields or HTTP Basic. Errors use RFC 6749's
   * shape (`{"error":"invalid_client"}`); unconfirmed: the exact statuses Profit uses (400 for a bad request,
   * 401 for a wrong client, as RFC 6749 §5.2 allows).
   */
  private oauthToken(x: Exchange, body: string): Sent | undefined {
    const form = new URLSearchParams(body);
    let clientId = form.get('client_id') ?? undefined;
    let clientSecret = form.get('client_secret') ?? undefined;
    const basic = /^basic\s+(\S+)$/i.exec(x.req.headers.authorization ?? '');
    if (basic?.[1]) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) {
        clientId = decodeURIComponent(decoded.slice(0, colon));
        clientSecret = decodeURIComponent(decoded.slice(colon + 1));
      }
    }
    const grant = form.get('grant_type');
    if (!grant || !clientId || clientSecret === undefined) return x.sendJson(400, { error: 'invalid_request' });
    if (grant !== 'client_credentials') return x.sendJson(400, { error: 'unsupported_grant_type' });
    const client = findOAuthClient(this.company, clientId, clientSecret);
    if (!client) return x.sendJson(401, { error: 'invalid_client' });
    const { accessToken, expiresIn } = this.tokens.issue(client.app, client.user.name);
    const entry = x.entry as LogEntry;
    entry.tokenIssued = true;
    entry.appConnector = client.app.id;
    entry.user = client.user.name;
    return x.send(
      200,
      JSON.stringify({ access_token: accessToken, token_type: 'Bearer', expires_in: expiresIn, refresh_token: null }),
      { 'Cache-Control': 'no-store' },
    );
  }

  // ---------------------------------------------------------------- connectors

  private grantedGet(principal: Principal, id: string): { def: GetConnectorDef; fields: GetFieldDef[] } {
    const def = findCi(this.company.getConnectors, id);
    const grants = principal.app.getConnectors;
    const key = def && Object.keys(grants).find((k) => k.toLowerCase() === def.id.toLowerCase());
    const withheld = key === undefined ? undefined : grants[key];
    if (!def || !withheld) throw notAuthorized('GetConnector');
    return { def, fields: def.fields.filter((f) => !withheld.includes(f.id)) };
  }

  private grantedUpdate(principal: Principal, id: string): UpdateConnectorDef {
    const def = findCi(this.company.updateConnectors, id);
    if (!def || !principal.app.updateConnectors.some((u) => u.toLowerCase() === def.id.toLowerCase())) {
      throw notAuthorized('UpdateConnector');
    }
    return def;
  }

  private connectors(
    x: Exchange,
    method: string,
    rest: string[],
    params: ReadonlyMap<string, string>,
    body: string | undefined,
    principal: Principal,
  ): Sent | undefined {
    const id = rest[0];
    if (id === undefined) return x.send(404);
    if (method === 'GET') {
      if (rest.length !== 1) return x.send(404);
      const { def, fields } = this.grantedGet(principal, id);
      const request = parseGetRequest(params);
      const rows = selectRows(def.rows(this.company.store), fields, request);
      return x.send(200, renderGetResponse(request.skip, request.take, rows, fields));
    }
    if (method === 'POST' || method === 'PUT') {
      if (rest.length > 2) return x.send(404);
      return this.update(x, method, id, rest[1], body ?? '', principal);
    }
    if (method === 'DELETE') return this.remove(x, id, rest.slice(1), principal);
    return x.send(404);
  }

  private update(
    x: Exchange,
    method: UpdateMethod,
    id: string,
    subObject: string | undefined,
    body: string,
    principal: Principal,
  ): Sent | undefined {
    const def = this.grantedUpdate(principal, id);
    // unconfirmed: a method the connector does not offer is a functional error, like other unsupported calls.
    if (!def.methods.includes(method)) {
      throw new ProfitRejection({
        nl: `UpdateConnector '${def.id}' ondersteunt geen ${method}.`,
        en: `UpdateConnector '${def.id}' does not support ${method}.`,
      });
    }
    let sub: string | undefined;
    if (subObject !== undefined) {
      const obj = findObject(def, subObject);
      if (!obj || obj === def) throw objectNotFound(subObject, def.id);
      sub = obj.name;
    }
    let parsed: unknown;
    try {
      parsed = parseBody(body);
    } catch {
      // unconfirmed: a body that is not JSON at all is refused before Profit reads it (400, no body).
      return x.send(400);
    }
    if (x.entry && parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const roots = Object.keys(parsed);
      if (roots.length === 1) x.entry.bodyRoot = roots[0];
    }
    const elements = parseUpdateBody(parsed, def.id, def, method, sub);
    const store = this.company.store;
    def.check?.(method, elements, store);
    const snapshot = store.snapshot();
    let results: Record<string, string>;
    try {
      results = def.apply(method, elements, store, sub);
    } catch (e) {
      store.restore(snapshot);
      throw e;
    }
    return x.send(201, JSON.stringify({ results: { [def.id]: results } }));
  }

  /**
   * `DELETE /connectors/{Id}/{Object}/@K1,@K2/{v1},{v2}`, optionally followed by further
   * `/{SubObject}/@K/{v}` triples for a nested row (the innermost one is deleted; the outer ones identify its
   * parents). Keys without `@` are accepted too (update-connector.md shows `ApId/123`).
   * Success is 200 with an empty body (the OAS `200` response has Content-Length 0).
   */
  private remove(x: Exchange, id: string, rest: string[], principal: Principal): Sent | undefined {
    const def = this.grantedUpdate(principal, id);
    if (rest.length === 0 || rest.length % 3 !== 0) return x.send(404);
    if (!def.methods.includes('DELETE') || !def.remove) {
      throw new ProfitRejection({
        nl: `UpdateConnector '${def.id}' ondersteunt geen DELETE.`,
        en: `UpdateConnector '${def.id}' does not support DELETE.`,
      });
    }
    const levels: { object: string; keys: Record<string, string> }[] = [];
    let scope: UpdateObjectDef = def;
    for (let i = 0; i < rest.length; i += 3) {
      const [objectName = '', keyText = '', valueText = ''] = rest.slice(i, i + 3);
      const obj: UpdateObjectDef | undefined =
        i === 0 ? findObject(def, objectName) : scope.objects.find((o) => o.name === objectName);
      if (!obj) throw objectNotFound(objectName, def.id);
      const names = keyText.split(',').map((k) => (k.startsWith('@') ? k.slice(1) : k));
      const values = valueText.split(',');
      if (names.length !== values.length || names.some((n) => n === '')) throw unexpectedError();
      const keys: Record<string, string> = {};
      names.forEach((n, j) => {
        keys[n] = values[j] ?? '';
      });
      levels.push({ object: obj.name, keys });
      scope = obj;
    }
    const target = levels[levels.length - 1];
    if (!target) return x.send(404);
    const store = this.company.store;
    const snapshot = store.snapshot();
    try {
      def.remove(target.object, target.keys, store, levels.slice(0, -1));
    } catch (e) {
      store.restore(snapshot);
      throw e;
    }
    return x.send(200);
  }

  // ---------------------------------------------------------------- metainfo

  /** `/metainfo`, `/metainfo/get/{id}`, `/metainfo/update/{id}`; the type segment in any case. */
  private metainfo(x: Exchange, rest: string[], principal: Principal): Sent | undefined {
    const app = principal.app;
    const own = (request: MetainfoRequest) => this.company.metainfo?.(request, app);
    if (rest.length === 0) {
      const answer = own({ kind: 'root' });
      if (answer !== undefined) return x.sendJson(200, answer);
      const byDescription = (a: { id: string; description: string }, b: { id: string; description: string }) =>
        a.description.localeCompare(b.description) || a.id.localeCompare(b.id);
      const gets = [...this.company.getConnectors.values()]
        .filter((d) => Object.keys(app.getConnectors).some((k) => k.toLowerCase() === d.id.toLowerCase()))
        .map((d) => ({ id: d.id, description: d.description }))
        .sort(byDescription);
      const updates = [...this.company.updateConnectors.values()]
        .filter((d) => app.updateConnectors.some((u) => u.toLowerCase() === d.id.toLowerCase()))
        .map((d) => ({ id: d.id, description: d.description }))
        .sort(byDescription);
      return x.sendJson(200, {
        updateConnectors: updates,
        getConnectors: gets,
        info: {
          envid: this.company.envId,
          appName: app.appName,
          // unconfirmed: the OAS example shows "AuthorizationGroup 101 (12345.USER)"; the emulator names the app
          // connector and the Profit user in that pattern.
          group: `${app.id} (${principal.user.userId})`,
          // The OAS example shows "0" (a classic token does not expire); for OAuth the expiry moment is given
          // in Profit's datetime format (unconfirmed).
          tokenExpiry: principal.expiresAt === undefined ? '0' : profitDateTime(principal.expiresAt),
        },
      });
    }
    const [type, id, ...more] = rest;
    if (id === undefined || more.length > 0) return x.send(404);
    switch (type?.toLowerCase()) {
      case 'get': {
        const { def, fields } = this.grantedGet(principal, id);
        const answer = own({ kind: 'get', id: def.id });
        if (answer !== undefined) return x.sendJson(200, answer);
        return x.sendJson(200, { name: def.id, description: def.description, fields: fields.map(getFieldMeta) });
      }
      case 'update': {
        const def = this.grantedUpdate(principal, id);
        const answer = own({ kind: 'update', id: def.id });
        if (answer !== undefined) return x.sendJson(200, answer);
        return x.sendJson(200, {
          name: def.id,
          description: def.description,
          fields: def.fields.map(updateFieldMeta),
          objects: def.objects.map(objectMeta),
        });
      }
      default:
        return x.send(404);
    }
  }

  // ---------------------------------------------------------------- special connectors

  private special(
    x: Exchange,
    head: string,
    rest: string[],
    params: ReadonlyMap<string, string>,
    principal: Principal,
  ): Sent | undefined {
    const app = principal.app;
    const store = this.company.store;
    const fileBody = (f: StoredFile) =>
      escapeSlashes(
        JSON.stringify({ filename: f.fileName, mimetype: f.mimeType, filedata: f.data.toString('base64') }),
      );
    switch (head) {
      case 'subjectconnector': {
        if (!app.subjectConnector) throw notAuthorized('SubjectConnector');
        const [subjectId, fileId] = rest.length > 0 ? rest : [params.get('subjectid'), params.get('fileid')];
        if (!subjectId || !fileId || rest.length > 2) return x.send(404);
        const f = store.subjectFile(subjectId, fileId);
        return f ? x.send(200, fileBody(f)) : x.send(404);
      }
      case 'fileconnector': {
        if (!app.fileConnector) throw notAuthorized('FileConnector');
        const [fileId, fileName] = rest.length > 0 ? rest : [params.get('fileid'), params.get('filename')];
        if (!fileId || !fileName || rest.length > 2) return x.send(404);
        const f = store.file(fileId, fileName);
        return f ? x.send(200, fileBody(f)) : x.send(404);
      }
      case 'imageconnector': {
        if (!app.imageConnector) throw notAuthorized('ImageConnector');
        const imageId = rest[0];
        if (!imageId || rest.length > 1) return x.send(404);
        const formatText = params.get('format') ?? '0';
        if (formatText !== '0' && formatText !== '1' && formatText !== '2') throw unexpectedError();
        const f = store.image(imageId, Number(formatText) as 0 | 1 | 2);
        // unconfirmed: the ImageConnector's body is taken to be the FileConnector's {filename, mimetype, filedata}.
        return f ? x.send(200, fileBody(f)) : x.send(404);
      }
      default: {
        if (!app.reportConnector) throw notAuthorized('ReportConnector');
        const reportId = rest[0];
        if (!reportId || rest.length > 1) return x.send(404);
        const report = findCi(this.company.reports, reportId);
        // unconfirmed: an unknown report id is a bare 404 ("requested resource is not available").
        if (!report) return x.send(404);
        const source = this.company.getConnectors.get(report.source);
        if (!source) throw unexpectedError();
        const request = parseGetRequest(params);
        // unconfirmed: which fields a report's filter may name. The safe reading: those the app connector gives the
        // user on the report's source (as its GetConnector would), so a report filter cannot probe a withheld field
        // ("Connector field 'X' not found"); none when the source is not granted at all.
        const key = Object.keys(app.getConnectors).find((k) => k.toLowerCase() === source.id.toLowerCase());
        const withheld = key === undefined ? undefined : app.getConnectors[key];
        const filterable = withheld === undefined ? [] : source.fields.filter((f) => !withheld.includes(f.id));
        const rows = selectRows(source.rows(store), filterable, { ...request, skip: -1, take: -1 });
        const f = report.render(rows);
        return x.send(
          200,
          escapeSlashes(JSON.stringify({ filedata: f.data.toString('base64'), mimetype: f.mimeType })),
        );
      }
    }
  }

  // ---------------------------------------------------------------- admin

  private async admin(req: IncomingMessage, res: ServerResponse, path: string): Promise<Sent> {
    const method = req.method ?? 'GET';
    const send = (status: number, value?: unknown): Sent => {
      const body = value === undefined ? '' : JSON.stringify(value);
      res.writeHead(status, body ? { 'Content-Type': 'application/json; charset=utf-8' } : {});
      res.end(body);
      return 'sent';
    };
    const readJson = async (): Promise<unknown> => {
      const r = await readBody(req, 1_048_576);
      if (r.kind !== 'ok') throw new Error('admin request body missing or too large');
      return r.text.trim() === '' ? undefined : JSON.parse(r.text);
    };
    try {
      switch (`${method} ${path.replace(/\/$/, '')}`) {
        case 'GET /faults':
          return send(200, this.faults.get());
        case 'PUT /faults':
          this.faults.set(((await readJson()) ?? {}) as FaultConfig);
          return send(200, this.faults.get());
        case 'PATCH /faults':
          this.faults.update(((await readJson()) ?? {}) as FaultConfig);
          return send(200, this.faults.get());
        case 'DELETE /faults':
          this.faults.clear();
          return send(200, this.faults.get());
        case 'POST /faults/once': {
          const body = await readJson();
          for (const f of Array.isArray(body) ? body : [body]) this.faults.once(f as OneShotFault);
          return send(200, this.faults.get());
        }
        case 'POST /faults/release': {
          const body = (await readJson()) as { reset?: boolean } | undefined;
          return send(200, { released: this.faults.release(body?.reset === true ? 'reset' : 'finish') });
        }
        case 'PUT /maintenance': {
          const body = (await readJson()) as { retryAfter?: number } | undefined;
          this.faults.maintenance(body?.retryAfter ?? 7200);
          return send(200, this.faults.get());
        }
        case 'DELETE /maintenance':
          this.faults.maintenance(null);
          return send(200, this.faults.get());
        case 'GET /log':
          return send(200, { entries: this.log.entries() });
        case 'DELETE /log':
          this.log.clear();
          return send(204);
        case 'POST /reset':
          this.reset((await readJson()) as CompanyOptions | undefined);
          return send(200, { envId: this.company.envId });
        case 'GET /credentials':
          return send(200, credentials(this.company));
        default:
          return send(404, { error: `no admin endpoint ${method} ${ADMIN_PREFIX}${path}` });
      }
    } catch (e) {
      return send(400, { error: e instanceof Error ? e.message : String(e) });
    }
  }
}

/** The ready-to-use credentials of every demo user (for the CLI and `GET /__emulator/credentials`). */
export function credentials(company: Company): {
  appConnector: string;
  appName: string;
  users: { name: string; description: string; userId: string; authorization: string }[];
  oauthClients: { clientId: string; clientSecret: string; user: string }[];
}[] {
  return company.appConnectors.map((app) => ({
    appConnector: app.id,
    appName: app.appName,
    users: app.users.map((u) => ({
      name: u.name,
      description: u.description,
      userId: u.userId,
      authorization: afasTokenHeader(u.tokenData),
    })),
    oauthClients: app.oauthClients.map((c) => ({ ...c })),
  }));
}

function getFieldMeta(f: GetFieldDef) {
  return {
    id: f.id,
    fieldId: f.fieldId,
    dataType: f.dataType,
    label: f.label,
    length: f.length,
    controlType: f.controlType,
    decimals: f.decimals,
    decimalsFieldId: f.decimalsFieldId,
  };
}

function updateFieldMeta(f: UpdateFieldDef) {
  return {
    fieldId: f.fieldId,
    primaryKey: f.primaryKey,
    dataType: f.dataType,
    label: f.label,
    mandatory: f.mandatory,
    length: f.length,
    decimals: f.decimals,
    decimalFieldId: f.decimalFieldId,
    notzero: f.notzero,
    controlType: f.controlType,
    values: f.values === null ? null : f.values.map((v) => ({ id: v.id, description: v.description })),
  };
}

function objectMeta(o: UpdateObjectDef): unknown {
  return { name: o.name, fields: o.fields.map(updateFieldMeta), objects: o.objects.map(objectMeta) };
}

/** Starts the emulator on `host:port` (default 127.0.0.1 and a free port). */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const createCompany = options.createCompany ?? createDemoCompany;
  const core = createEmulatorHandler({ ...options, createCompany });
  const server: Server = createServer(core.handle);
  // Profit's own server-side limit is 900 s; node's default requestTimeout (300 s) must not cut a held request.
  server.requestTimeout = 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    baseUrl: `${url}/ProfitRestServices`,
    port,
    handle: core.handle,
    get company() {
      return core.company;
    },
    log: core.log,
    faults: core.faults,
    reset: (o) => core.reset(o),
    dispose: () => core.dispose(),
    close() {
      closing ??= new Promise<void>((resolve) => {
        core.dispose();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

/**
 * One Profit environment: its options, its keep-alive pool, and the calls to it composed from one wrapper per
 * concern around one `send` (src/profit/send/, in order in docs/profit-calls.md). Many `ProfitClient`s (one per
 * credential) share a connection, so the environment's cap holds across all callers.
 */
import { type Dispatcher, Pool } from 'undici';
import { normalizeBaseUrl, type ProfitEnvironment, profitBaseUrl } from './address.js';
import { ProfitClient } from './client.js';
import type { Credential } from './credentials.js';
import { invalidArgument, ProfitError } from './errors.js';
import { Limiter } from './limiter.js';
import type { GetConnectorField, UpdateConnectorMetainfo } from './results.js';
import { authorize, OAuthTokens, type TokenCache } from './send/authorize.js';
import { deadline } from './send/deadline.js';
import { limit, type SlotLimiter } from './send/limit.js';
import { MaintenanceCircuit } from './send/maintenance.js';
import { observe, type ProfitRequestEvent, type ProfitResponseEvent } from './send/observe.js';
import { retry } from './send/retry.js';
import {
  type Answer,
  type CallOptions,
  compose,
  Exchange,
  type Send,
  type SendRequest,
  type SendResponse,
  type StreamResponse,
  type Wrapper,
} from './send/send.js';
import { transport } from './send/transport.js';
import { soapBaseUrl, soapBaseUrlFor } from './soap/address.js';
import { soapTransport } from './soap/transport.js';
import { hasControlCharacter } from './text.js';
import { XsdCache } from './xml/validate.js';

export { parseTokenResponse } from './send/authorize.js';
export type { SlotLimiter } from './send/limit.js';
export type { ProfitRequestEvent, ProfitResponseEvent } from './send/observe.js';
export type {
  Answer,
  CallOptions,
  Exchange,
  Send,
  SendRequest,
  SendResponse,
  StreamResponse,
  Wrapper,
} from './send/send.js';

export interface ProfitRetryOptions {
  /**
   * Attempts, the first included, for GET requests (and the OAuth token request). Writes always get exactly one.
   * @default 3
   */
  readonly maxAttempts?: number;
  /** First backoff ceiling; doubles per retry, with full jitter. @default 250 ms */
  readonly baseDelayMs?: number;
  /** Backoff ceiling. @default 5_000 ms */
  readonly maxDelayMs?: number;
  /**
   * A 503's `retry_after` is honoured (waited, then retried) only up to this; beyond it the call fails fast with
   * kind `unavailable`, saying when Profit expects to be back (maintenance windows last hours).
   * @default 10 s
   */
  readonly maxRetryAfterSeconds?: number;
  /**
   * The maintenance circuit. After a 503 whose `retry_after` exceeds `maxRetryAfterSeconds` (a maintenance
   * window: hours), the connection stops sending: calls fail fast with kind `unavailable` (not sent, saying when
   * Profit expects to be back) until that time, except one probe call at a time and at most one per this many
   * seconds, so the connection resumes on its own when the window ends early. Any answer to a probe other than
   * such a 503 closes the circuit. `0`: a probe whenever none is in flight.
   * @default undefined (off: every call is sent)
   */
  readonly maintenanceProbeSeconds?: number;
}

export interface ProfitConnectionOptions {
  /**
   * Explicit base URL, e.g. an emulator `http://127.0.0.1:8080/ProfitRestServices` or a proxy.
   * Give either this or `environment`.
   */
  readonly baseUrl?: string;
  /** Environment number and type, giving `https://{id}.rest[test|accept].afas.online/ProfitRestServices`. */
  readonly environment?: ProfitEnvironment;
  /**
   * What carries GetConnector reads and UpdateConnector writes: `rest` (JSON to `…/ProfitRestServices`) or `soap`
   * (XML envelopes to `…/ProfitServices/AppConnector*.asmx`, docs/soap.md), and with `soap` dossier item
   * attachments too (`GetAttachment`). Metainfo, the other files and OAuth tokens go over REST either way: the
   * client uses no SOAP equivalent of them. The caller cannot tell which carried a call:
   * both give the same rows, results and errors. @default 'rest'
   */
  readonly transport?: ProfitTransport;
  /**
   * The SOAP services' base, e.g. the emulator's `http://127.0.0.1:8080/ProfitServices`.
   * @default `https://{id}.soap[test|accept].afas.online/ProfitServices` for `environment`; beside `baseUrl`, the same
   * origin with `/ProfitRestServices` → `/ProfitServices` (src/profit/soap/address.ts)
   */
  readonly soapBaseUrl?: string;
  /** `IntegrationId` header (`{subscription}_{project}`), mandatory for certified partner integrations. */
  readonly integrationId?: string;
  /** `Accept-Language` header (`nl-nl`, `en-us`, `nl-be`, `fr-fr`, `de-de`); Profit's messages follow it. */
  readonly acceptLanguage?: string;
  /** Parallel calls to this environment; Profit documents 5–8 per client. @default 4 */
  readonly maxConcurrent?: number;
  /**
   * Parallel calls that verify a credential not yet known (`CallOptions.verification`), on a cap of their own
   * beside `maxConcurrent`: a flood of made-up credentials then waits for these slots and never for the ones known
   * callers use. Keep `maxConcurrent + verificationConcurrent` within Profit's 5–8. @default 2
   */
  readonly verificationConcurrent?: number;
  /**
   * Per attempt: time waiting for a free slot plus the whole HTTP exchange. Profit itself gives up after 900 s;
   * a client timeout does not stop Profit working, which is why retries back off.
   * @default 30_000 ms
   */
  readonly timeoutMs?: number;
  readonly retry?: ProfitRetryOptions;
  /** An OAuth access token is renewed this long before its `expires_in` runs out. @default 60_000 ms */
  readonly tokenRefreshSkewMs?: number;
  /**
   * Where OAuth access tokens are kept, by credential fingerprint: replicas that share one (src/redis/token-cache.ts)
   * share one token per client. @default this connection's own Map (`LocalTokenCache`)
   */
  readonly tokenCache?: TokenCache;
  /**
   * Convert the columns a `get` call declares as `date` / `datetime` (its `columns` option); `false` leaves them as
   * Profit's text. Nothing is ever converted by its shape alone. @default true
   */
  readonly convertDateTimes?: boolean;
  /**
   * Over SOAP, check each write's XML against its UpdateConnector's XSD before sending it (`GetXmlSchema`, read
   * once per connection and compiled, src/profit/xml/validate.ts): a body Profit would refuse is refused with every
   * violation's path and nothing sent. @default true
   */
  readonly validateXml?: boolean;
  /** Idle keep-alive time of pooled sockets (ignored with an injected dispatcher). @default 10_000 ms */
  readonly keepAliveTimeoutMs?: number;
  /** An undici dispatcher (Agent, Pool, MockAgent…) to use instead of the connection's own keep-alive Pool. */
  readonly dispatcher?: Dispatcher;
  /**
   * Gives the caps instead of the connection's own local `Limiter`s, e.g. ones that all replicas share through
   * Redis. Called once per cap, with its size (`maxConcurrent` or `verificationConcurrent`) and this environment's
   * base URL (never a credential), to name it. The caller owns what it returns and closes it.
   * @default a local `Limiter` per cap
   */
  readonly limiter?: (cap: LimiterRequest) => SlotLimiter;
  /** Observer called before each attempt is sent. Exceptions it throws are ignored. */
  readonly onRequest?: (event: ProfitRequestEvent) => void;
  /** Observer called after each attempt (success or failure). Exceptions it throws are ignored. */
  readonly onResponse?: (event: ProfitResponseEvent) => void;
  /**
   * More wrappers around each attempt that is sent (a metric, a trace), outermost first, inside the observer
   * events: each sees the attempt with its slot held, and its answer or failure (docs/profit-calls.md).
   * @default []
   */
  readonly wrappers?: readonly Wrapper[];
  /** The clock of the maintenance circuit (`retry.maintenanceProbeSeconds`), in ms. @default Date.now */
  readonly now?: () => number;
}

/** What carries GetConnector reads and UpdateConnector writes (`ProfitConnectionOptions.transport`). */
export type ProfitTransport = 'rest' | 'soap';

/** Which cap `ProfitConnectionOptions.limiter` is asked for. */
export interface LimiterRequest {
  /** `shared`: the cap all callers share (`maxConcurrent`); `verification`: verifying a credential not yet known. */
  readonly cap: 'shared' | 'verification';
  readonly max: number;
  readonly baseUrl: string;
}

/** Options with every default applied; frozen. */
export interface ResolvedConnectionOptions {
  readonly baseUrl: string;
  readonly transport: ProfitTransport;
  /** `undefined` only with `transport: 'rest'` and a REST base it cannot be derived from. */
  readonly soapBaseUrl: string | undefined;
  readonly integrationId: string | undefined;
  readonly acceptLanguage: string | undefined;
  readonly maxConcurrent: number;
  readonly verificationConcurrent: number;
  readonly timeoutMs: number;
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly maxRetryAfterSeconds: number;
  /** `undefined`: no maintenance circuit. */
  readonly maintenanceProbeSeconds: number | undefined;
  readonly tokenRefreshSkewMs: number;
  readonly convertDateTimes: boolean;
  readonly validateXml: boolean;
  readonly keepAliveTimeoutMs: number;
}

/**
 * Profit refuses request bodies beyond 75 MB with a 413 (endpoint-knsubject-post.md: "maximum request size including
 * attachments is 75 MB"), read as 75 000 000 bytes, like the emulator; refusing them here saves the upload.
 */
export const MAX_REQUEST_BODY_BYTES = 75_000_000;

function positiveInt(value: number | undefined, fallback: number, name: string): number {
  const v = value ?? fallback;
  if (!Number.isSafeInteger(v) || v < 1) invalidArgument(`${name} must be a positive integer, got ${v}`);
  return v;
}

function nonNegative(value: number | undefined, fallback: number, name: string): number {
  const v = value ?? fallback;
  if (!Number.isFinite(v) || v < 0) invalidArgument(`${name} must be a non-negative number, got ${v}`);
  return v;
}

function headerValue(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (value === '' || hasControlCharacter(value)) invalidArgument(`${name} must be a non-empty single-line value`);
  return value;
}

/** Resolves every default once. Pure. */
export function resolveConnectionOptions(options: ProfitConnectionOptions): ResolvedConnectionOptions {
  if ((options.baseUrl === undefined) === (options.environment === undefined)) {
    invalidArgument('give exactly one of baseUrl or environment');
  }
  const base =
    options.baseUrl !== undefined
      ? normalizeBaseUrl(options.baseUrl).toString()
      : profitBaseUrl(options.environment as ProfitEnvironment);
  const retry = options.retry ?? {};
  const transport = options.transport ?? 'rest';
  if (transport !== 'rest' && transport !== 'soap') {
    invalidArgument(`transport must be 'rest' or 'soap', got ${JSON.stringify(String(transport))}`);
  }
  return Object.freeze({
    baseUrl: base.replace(/\/+$/, ''),
    transport,
    soapBaseUrl: resolveSoapBase(options, base, transport),
    integrationId: headerValue(options.integrationId, 'integrationId'),
    acceptLanguage: headerValue(options.acceptLanguage, 'acceptLanguage'),
    maxConcurrent: positiveInt(options.maxConcurrent, 4, 'maxConcurrent'),
    verificationConcurrent: positiveInt(options.verificationConcurrent, 2, 'verificationConcurrent'),
    timeoutMs: positiveInt(options.timeoutMs, 30_000, 'timeoutMs'), // ms
    maxAttempts: positiveInt(retry.maxAttempts, 3, 'retry.maxAttempts'),
    baseDelayMs: nonNegative(retry.baseDelayMs, 250, 'retry.baseDelayMs'), // ms
    maxDelayMs: nonNegative(retry.maxDelayMs, 5_000, 'retry.maxDelayMs'), // ms
    maxRetryAfterSeconds: nonNegative(retry.maxRetryAfterSeconds, 10, 'retry.maxRetryAfterSeconds'), // s
    maintenanceProbeSeconds:
      retry.maintenanceProbeSeconds === undefined
        ? undefined
        : nonNegative(retry.maintenanceProbeSeconds, 0, 'retry.maintenanceProbeSeconds'), // s
    tokenRefreshSkewMs: nonNegative(options.tokenRefreshSkewMs, 60_000, 'tokenRefreshSkewMs'), // ms
    convertDateTimes: options.convertDateTimes ?? true,
    validateXml: options.validateXml ?? true,
    keepAliveTimeoutMs: positiveInt(options.keepAliveTimeoutMs, 10_000, 'keepAliveTimeoutMs'), // ms
  });
}

function resolveSoapBase(
  options: ProfitConnectionOptions,
  restBase: string,
  transport: ProfitTransport,
): string | undefined {
  if (options.soapBaseUrl !== undefined) return normalizeBaseUrl(options.soapBaseUrl).toString().replace(/\/+$/, '');
  if (options.environment !== undefined) return soapBaseUrl(options.environment);
  try {
    return soapBaseUrlFor(restBase);
  } catch (error) {
    // Only a SOAP connection needs it up front; a REST one asked for an XSD says so then.
    if (transport === 'soap') throw error;
    return undefined;
  }
}

export class ProfitConnection {
  readonly options: ResolvedConnectionOptions;
  readonly #dispatcher: Dispatcher;
  /** The SOAP host's pool when its origin is not the REST one (AFAS's `.soap.` beside `.rest.`). */
  readonly #soapDispatcher: Dispatcher | undefined;
  readonly #ownsDispatcher: boolean;
  /**
   * Metainfo a SOAP call needs, by `get/{id}` and `update/{id}`: the fields that type a read's cells
   * (`getConnectorFields`), the order of a write's XML (`updateConnectorShape`).
   */
  readonly #metainfo = new Map<string, Promise<unknown>>();
  /** The compiled XSDs that check a SOAP write's XML (`checkUpdateXml`); their text is kept in `#metainfo`. */
  readonly #xsds = new XsdCache({
    load: (_environment, connector) => {
      const text = this.#metainfo.get(`xsd/${connector}`) as Promise<string> | undefined;
      return text ?? Promise.reject(new Error(`the XSD of ${connector} was not read`));
    },
  });
  readonly #limiter: SlotLimiter;
  readonly #verificationLimiter: SlotLimiter;
  readonly #tokens: OAuthTokens;
  readonly #circuit: MaintenanceCircuit | undefined;
  readonly #send: Send;
  #closed = false;

  constructor(options: ProfitConnectionOptions) {
    this.options = resolveConnectionOptions(options);
    const o = this.options;
    const extra = options.wrappers ?? [];
    if (!Array.isArray(extra) || !extra.every((w) => typeof w === 'function')) {
      invalidArgument('wrappers must be an array of functions (next: Send) => Send');
    }
    const limiter = options.limiter ?? ((c: LimiterRequest) => new Limiter(c.max));
    this.#limiter = limiter({ cap: 'shared', max: o.maxConcurrent, baseUrl: o.baseUrl });
    this.#verificationLimiter = limiter({ cap: 'verification', max: o.verificationConcurrent, baseUrl: o.baseUrl });
    if (options.dispatcher) {
      this.#dispatcher = options.dispatcher;
      this.#soapDispatcher = undefined;
      this.#ownsDispatcher = false;
    } else {
      // A socket per slot of both caps, so a verification never waits in the pool for a known caller's socket (nor
      // the reverse), and one extra for OAuth token requests, which take no slot.
      const pool = (origin: string) =>
        new Pool(origin, {
          connections: o.maxConcurrent + o.verificationConcurrent + 1,
          pipelining: 1,
          keepAliveTimeout: o.keepAliveTimeoutMs,
          connect: { minVersion: 'TLSv1.2' },
        });
      const origin = new URL(o.baseUrl).origin;
      this.#dispatcher = pool(origin);
      const soapOrigin = o.soapBaseUrl === undefined ? origin : new URL(o.soapBaseUrl).origin;
      this.#soapDispatcher = soapOrigin === origin ? undefined : pool(soapOrigin);
      this.#ownsDispatcher = true;
    }
    const now = options.now ?? Date.now;
    this.#circuit =
      o.maintenanceProbeSeconds === undefined
        ? undefined
        : new MaintenanceCircuit({
            probeSeconds: o.maintenanceProbeSeconds,
            maxRetryAfterSeconds: o.maxRetryAfterSeconds,
            now,
          });
    const circuit = this.#circuit;
    // The order is the behaviour (docs/profit-calls.md). One observer numbers the attempts of both chains.
    const events = observe({ onRequest: options.onRequest, onResponse: options.onResponse });
    const rest = transport({
      baseUrl: o.baseUrl,
      dispatcher: this.#dispatcher,
      integrationId: o.integrationId,
      acceptLanguage: o.acceptLanguage,
      now,
    });
    // A call built for SOAP (`SendRequest.soap`) takes the SOAP transport, under the same wrappers.
    const soap =
      o.soapBaseUrl === undefined
        ? undefined
        : soapTransport({
            baseUrl: o.soapBaseUrl,
            dispatcher: this.#soapDispatcher ?? this.#dispatcher,
            integrationId: o.integrationId,
            acceptLanguage: o.acceptLanguage,
            now,
          });
    const send: Send = (x) => (x.request.soap !== undefined && soap !== undefined ? soap(x) : rest(x));
    const retries = retry(o);
    const timeout = deadline(o.timeoutMs);
    // The token request goes the same way, but has no credential to authorize and takes no slot of the cap.
    this.#tokens = new OAuthTokens(
      compose([retries, circuit?.refuse, timeout, events.response, circuit?.guard, events.request, ...extra], send),
      o.tokenRefreshSkewMs,
      options.tokenCache,
      o.baseUrl,
    );
    this.#send = compose(
      [
        retries,
        authorize(this.#tokens),
        circuit?.refuse,
        timeout,
        events.response,
        limit(this.#limiter, this.#verificationLimiter),
        circuit?.guard,
        events.request,
        ...extra,
      ],
      send,
    );
  }

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  /** Calls in flight and calls waiting for a slot of the shared cap. */
  get load(): { readonly active: number; readonly queued: number } {
    return { active: this.#limiter.active, queued: this.#limiter.queued };
  }

  /** Verifications of credentials not yet known in flight and waiting for a slot of their own cap. */
  get verificationLoad(): { readonly active: number; readonly queued: number } {
    return { active: this.#verificationLimiter.active, queued: this.#verificationLimiter.queued };
  }

  /**
   * Set while the maintenance circuit is open (`retry.maintenanceProbeSeconds`): when Profit expects to be back,
   * as Profit's `retry_after` said.
   */
  get maintenanceUntil(): Date | undefined {
    return this.#circuit?.until;
  }

  /** A client for one credential on this environment. Cheap: create one per caller or request. */
  client(credential: Credential): ProfitClient {
    return new ProfitClient(this, credential);
  }

  /** Closes the connection's own pool (an injected dispatcher is left to its owner). */
  async close(): Promise<void> {
    this.#closed = true;
    this.#tokens.clear();
    this.#metainfo.clear();
    await this.#xsds.clear();
    if (this.#ownsDispatcher) await Promise.all([this.#dispatcher.close(), this.#soapDispatcher?.close()]);
  }

  toString(): string {
    return `ProfitConnection(${this.options.baseUrl})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    const { active, queued } = this.load;
    return `ProfitConnection(${this.options.baseUrl}, ${active}/${this.options.maxConcurrent} active, ${queued} queued)`;
  }

  /**
   * Sends one logical call with the credential: authorisation, cap, timeout, retries (GET only) and error
   * translation. Resolves only for 2xx. @internal (used by ProfitClient)
   */
  send(credential: Credential, req: SendRequest, call: CallOptions = {}): Promise<SendResponse> {
    return this.#call(credential, req, call, false);
  }

  /**
   * @internal Like `send` for a GET whose 2xx body is read as it arrives (files). Retries, token refresh and the
   * maintenance circuit act before the body starts; `timeoutMs` bounds the wait for the answer's headers, and
   * then each silence of the body while its reader keeps up.
   */
  async sendStream(credential: Credential, req: SendRequest, call: CallOptions = {}): Promise<StreamResponse> {
    const answer = await this.#call(credential, req, call, true);
    if (!answer.stream)
      throw new ProfitError('invalid-response', `${req.method} ${req.path}: no body`, { status: answer.status });
    return answer.stream;
  }

  /**
   * @internal The fields of a GetConnector, which type the cells of a SOAP read (XML carries every cell as text).
   * Read over REST (`GET /metainfo/get/{id}`: SOAP has no metainfo the client uses), once per connection, with the
   * first caller's credential, and kept: a connector's fields are the environment's, not a credential's, and a
   * credential the connector is not granted to is refused by the read itself. A failed read is not kept.
   */
  getConnectorFields(client: ProfitClient, connectorId: string): Promise<readonly GetConnectorField[]> {
    return this.#kept(`get/${connectorId}`, () => client.getConnectorMetainfo(connectorId).then((m) => m.fields));
  }

  /**
   * @internal An UpdateConnector's metainfo, which orders the XML of a SOAP write (soap/order.ts); read and kept as
   * `getConnectorFields` reads and keeps a GetConnector's fields.
   */
  updateConnectorShape(client: ProfitClient, connectorId: string): Promise<UpdateConnectorMetainfo> {
    return this.#kept(`update/${connectorId}`, () => client.updateConnectorMetainfo(connectorId));
  }

  /**
   * @internal Refuses (`XmlSchemaError`, nothing sent) an UpdateConnector's XML that breaks its XSD, read over SOAP
   * with the first caller's credential (`GetXmlSchema`) once per connection. A no-op with `validateXml: false`.
   */
  async checkUpdateXml(client: ProfitClient, connectorId: string, xml: string): Promise<void> {
    if (!this.options.validateXml) return;
    await this.#kept(`xsd/${connectorId}`, () => client.xmlSchema(connectorId));
    await this.#xsds.check(this.options.baseUrl, connectorId, xml);
  }

  #kept<T>(key: string, read: () => Promise<T>): Promise<T> {
    let kept = this.#metainfo.get(key) as Promise<T> | undefined;
    if (kept === undefined) {
      // Shared by every caller waiting for it, so no one caller's signal may end it: the connection's timeout does.
      const reading = read();
      kept = reading;
      this.#metainfo.set(key, reading);
      reading.catch(() => {
        if (this.#metainfo.get(key) === reading) this.#metainfo.delete(key);
      });
    }
    return kept;
  }

  /** Refuses what cannot be sent, runs the wrappers, and throws the error of a non-2xx answer. */
  async #call(credential: Credential, req: SendRequest, call: CallOptions, stream: boolean): Promise<Answer> {
    if (this.#closed) throw new ProfitError('network', 'the Profit connection is closed', { requestSent: false });
    const size = (req.body === undefined ? 0 : Buffer.byteLength(req.body)) + soapBytes(req);
    if (size > MAX_REQUEST_BODY_BYTES) {
      throw new ProfitError(
        'too-large',
        `the ${req.method} ${req.path} body is larger than the 75 MB Profit accepts; the request was not sent`,
        { method: req.method, path: req.path, requestSent: false },
      );
    }
    const answer = await this.#send(new Exchange(req, call, credential, stream));
    if (answer.error) throw answer.error;
    return answer;
  }
}

/** The parameters' bytes of a SOAP call (its envelope adds a little more). */
function soapBytes(req: SendRequest): number {
  let n = 0;
  for (const [, value] of req.soap?.params ?? []) n += Buffer.byteLength(value);
  return n;
}

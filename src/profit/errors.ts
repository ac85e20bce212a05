/**
 * The one error type of the Profit client. Every failure (HTTP status, transport, malformed answer, or a
 * client-side refusal) becomes a `ProfitError` with a literal `kind`, translated here and nowhere else.
 * Messages say what happened; they never contain a token, secret, Authorization header or host.
 */

export type ProfitErrorKind =
  /** 400: Profit could not read the request. */
  | 'bad-request'
  /** 401: the credential is invalid, expired or absent. Retrying with the same credential fails again. */
  | 'unauthorized'
  /** 401/500 whose message says the app connector does not grant this Get/UpdateConnector to the user. */
  | 'not-granted'
  /** 403: an IP restriction on the app connector. */
  | 'forbidden'
  /** 404: wrong URL, missing resource (file, record), or no rights on a file. */
  | 'not-found'
  /** 413: the request body is larger than Profit accepts (75 MB). */
  | 'too-large'
  /** 500: a functional error (validation, unknown field, blocked definition…), with Profit's log reference. */
  | 'rejected'
  /** 503: maintenance or no capacity; `retryAfterSeconds` says when Profit expects to be back. */
  | 'unavailable'
  /** Any other unexpected HTTP status. */
  | 'http'
  /** No answer in time (waiting for a free slot, or for Profit). */
  | 'timeout'
  /** The connection failed (refused, reset, DNS…). */
  | 'network'
  /** The caller's `AbortSignal` fired. */
  | 'aborted'
  /** Profit answered 2xx with a body that is not the documented JSON. */
  | 'invalid-response'
  /** Refused client-side: the query string would exceed Profit's 2049 characters (Profit answers a bare 404). */
  | 'query-too-long'
  /** Refused client-side: an argument Profit cannot take (bad paging pair, malformed token, unsafe key…). */
  | 'invalid-argument';

export interface ProfitErrorDetails {
  readonly status?: number;
  readonly externalMessage?: string;
  readonly profitLogReference?: string;
  readonly errorNumber?: number;
  readonly retryAfterSeconds?: number;
  /** HTTP method of the failed call. */
  readonly method?: string;
  /** Path below the base URL, without host, query string or credentials, e.g. `/connectors/Profit_Users`. */
  readonly path?: string;
  /**
   * Whether the request may have reached Profit. `false` means certainly not executed (refused client-side,
   * connection refused, timed out while queued): safe to repeat even for a write.
   * @default true for HTTP and transport failures after sending
   */
  readonly requestSent?: boolean;
  readonly cause?: unknown;
}

export class ProfitError extends Error {
  override readonly name = 'ProfitError';
  readonly kind: ProfitErrorKind;
  readonly status: number | undefined;
  readonly externalMessage: string | undefined;
  readonly profitLogReference: string | undefined;
  readonly errorNumber: number | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly requestSent: boolean;

  constructor(kind: ProfitErrorKind, message: string, details: ProfitErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.kind = kind;
    this.status = details.status;
    this.externalMessage = details.externalMessage;
    this.profitLogReference = details.profitLogReference;
    this.errorNumber = details.errorNumber;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.method = details.method;
    this.path = details.path;
    this.requestSent = details.requestSent ?? !['query-too-long', 'invalid-argument'].includes(kind);
  }

  /** True when the app connector does not grant the connector to this credential's user. */
  get notGranted(): boolean {
    return this.kind === 'not-granted';
  }
}

/** Throws an `invalid-argument` error. */
export function invalidArgument(message: string): never {
  throw new ProfitError('invalid-argument', message, { requestSent: false });
}

/**
 * Profit's "this connector is not in your app connector" messages ("GetConnector not supported for this app or
 * the user is not authorized", and the same for UpdateConnectors, in English or Dutch).
 */
const NOT_GRANTED = [
  /(get|update)\s*connector\b.*\bnot supported for this app/i,
  /\bnot supported for this app\b.*\bnot authori[sz]ed/i,
  /(get|update)\s*connector\b.*\bniet ondersteund voor deze app/i,
  /\bniet ondersteund voor deze app\b.*\bniet geautoriseerd/i,
  /\bniet geautoriseerd\b.*\b(get|update)\s*connector/i,
];

export function isNotGrantedMessage(message: string | undefined): boolean {
  return message !== undefined && NOT_GRANTED.some((re) => re.test(message));
}

/** The fields Profit puts in an error body (`{externalMessage, errorNumber, profitLogReference}`, or the 503 form). */
export interface ProfitErrorBody {
  readonly externalMessage?: string;
  readonly profitLogReference?: string;
  readonly errorNumber?: number;
  readonly retryAfterSeconds?: number;
}

const MAX_SNIPPET = 300;

/** Reads an error body leniently: JSON in Profit's documented shapes, else a short text snippet. Pure. */
export function parseErrorBody(text: string): ProfitErrorBody {
  const trimmed = text.trim();
  if (trimmed === '') return {};
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch {
    // HTML error pages and the like: keep a short, single-line snippet for the message.
    const snippet = trimmed
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    return snippet === '' ? {} : { externalMessage: snippet.slice(0, MAX_SNIPPET) };
  }
  if (typeof json === 'string') return { externalMessage: json.slice(0, MAX_SNIPPET) };
  if (!isRecord(json)) return {};
  const out: { -readonly [K in keyof ProfitErrorBody]: ProfitErrorBody[K] } = {};
  const ext = json.externalMessage ?? json.message ?? json.Message;
  if (typeof ext === 'string') out.externalMessage = ext;
  if (typeof json.profitLogReference === 'string') out.profitLogReference = json.profitLogReference;
  if (typeof json.errorNumber === 'number') out.errorNumber = json.errorNumber;
  // 503: {"error":{"code":"503","message":"…"},"retry_after":7200} (OAS components.responses.503); the sample in
  // troubleshooting.md wraps the strings in {"example": …}, so both are read.
  if (isRecord(json.error)) {
    const msg = unwrapExample(json.error.message);
    if (typeof msg === 'string' && out.externalMessage === undefined) out.externalMessage = msg;
  } else if (typeof json.error === 'string' && out.externalMessage === undefined) {
    // OAuth token endpoint: {"error":"invalid_client","error_description":"…"}
    const desc = typeof json.error_description === 'string' ? `: ${json.error_description}` : '';
    out.externalMessage = `${json.error}${desc}`;
  }
  const retryAfter = Number(unwrapExample(json.retry_after));
  if (json.retry_after !== undefined && Number.isFinite(retryAfter) && retryAfter >= 0) {
    out.retryAfterSeconds = retryAfter;
  }
  return out;
}

function unwrapExample(v: unknown): unknown {
  return isRecord(v) && 'example' in v ? v.example : v;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Human duration for messages: `45 s`, `12 min`, `2 h`. */
export function formatSeconds(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round((seconds / 3600) * 10) / 10} h`;
}

/**
 * A `Retry-After` header in seconds: delay-seconds or an HTTP-date (RFC 9110 §10.2.3), a date in the past being 0.
 * `undefined` for anything else. AFAS's OpenAPI files document the header on every 503 (`Retry-After: 7200`).
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  // An HTTP-date always names its weekday and zone ("Wed, 21 Oct 2015 07:28:00 GMT"): never a bare number.
  if (!/^[A-Za-z]{3},? /.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - nowMs) / 1000)) : undefined;
}

/**
 * How long a 503 asks to wait: the body's `retry_after` and the `Retry-After` header, the longer of the two when both
 * are given (unconfirmed: AFAS documents both with the same value, so they should agree; waiting the longer never
 * calls Profit before it said it is back).
 */
export function retryAfterOf(body: ProfitErrorBody, header: string | undefined, nowMs: number): number | undefined {
  const fromHeader = parseRetryAfter(header, nowMs);
  if (body.retryAfterSeconds === undefined) return fromHeader;
  return fromHeader === undefined ? body.retryAfterSeconds : Math.max(body.retryAfterSeconds, fromHeader);
}

/**
 * Translates a non-2xx Profit answer into a `ProfitError`. Pure: status, body text and context in.
 * @param retryAfterHeader the `Retry-After` header (seconds or an HTTP-date, read against `nowMs`); see `retryAfterOf`.
 */
export function errorFromResponse(
  status: number,
  bodyText: string,
  context: {
    readonly method: string;
    readonly path: string;
    readonly retryAfterHeader?: string;
    /** @default Date.now() */
    readonly nowMs?: number;
  },
): ProfitError {
  const body = parseErrorBody(bodyText);
  const retryAfterSeconds = retryAfterOf(body, context.retryAfterHeader, context.nowMs ?? Date.now());
  const kind = kindForStatus(status, body.externalMessage);
  const what = `Profit ${context.method} ${context.path} answered ${status}`;
  const said = body.externalMessage ? `: ${JSON.stringify(body.externalMessage)}` : '';
  const ref = body.profitLogReference ? ` (Profit log reference ${body.profitLogReference})` : '';
  const explain = EXPLAIN[kind] ?? '';
  const back =
    kind === 'unavailable' && retryAfterSeconds !== undefined
      ? ` Profit expects to be available again in about ${formatSeconds(retryAfterSeconds)}.`
      : '';
  return new ProfitError(kind, `${what} (${kind})${said}${ref}.${explain}${back}`, {
    status,
    externalMessage: body.externalMessage,
    profitLogReference: body.profitLogReference,
    errorNumber: body.errorNumber,
    retryAfterSeconds,
    method: context.method,
    path: context.path,
    requestSent: true,
  });
}

function kindForStatus(status: number, externalMessage: string | undefined): ProfitErrorKind {
  if ((status === 401 || status === 500 || status === 403) && isNotGrantedMessage(externalMessage)) {
    return 'not-granted';
  }
  switch (status) {
    case 400:
      return 'bad-request';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not-found';
    case 413:
      return 'too-large';
    case 500:
      return 'rejected';
    case 503:
      return 'unavailable';
    default:
      return 'http';
  }
}

const EXPLAIN: Partial<Record<ProfitErrorKind, string>> = {
  unauthorized: ' The credential is invalid, expired or not for this environment.',
  'not-granted': " The app connector does not grant this connector to the credential's user.",
  forbidden: ' An IP restriction on the app connector refuses this client.',
  'too-large': ' The request body exceeds what Profit accepts (75 MB).',
};

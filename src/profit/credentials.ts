/**
 * Credentials. A credential never appears in an error message, a log line, a URL, `String(credential)`,
 * `JSON.stringify(credential)` or `util.inspect(credential)`: secrets live in ES private fields, and every
 * credential renders as its kind plus a short fingerprint.
 */
import { createHash } from 'node:crypto';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { invalidArgument } from './errors.js';
import { hasControlCharacter } from './text.js';

const INSPECT = Symbol.for('nodejs.util.inspect.custom');
const FINGERPRINT_DOMAIN = 'profit-subgraph/credential/v1';

const TOKEN_DATA = /^[0-9A-Fa-f]{64}$/;

/**
 * Tokens are pasted from Profit or a key vault: as one line, pretty-printed, with an XML declaration or a BOM. An XML
 * parser reads all of those; text values stay strings (`parseTagValue: false`) so the hex is never read as a number.
 */
const TOKEN_PARSER = new XMLParser({ ignoreDeclaration: true, parseTagValue: false, trimValues: true });

/** The 64-hex data part of a classic token given whole (XML) or as its data part; undefined for anything else. */
function tokenData(token: string): string | undefined {
  if (TOKEN_DATA.test(token)) return token;
  if (!token.startsWith('<') || XMLValidator.validate(token) !== true) return undefined;
  const doc: unknown = TOKEN_PARSER.parse(token);
  if (typeof doc !== 'object' || doc === null || Object.keys(doc).length !== 1) return undefined;
  const root = (doc as { token?: unknown }).token;
  if (typeof root !== 'object' || root === null) return undefined;
  const { version, data } = root as { version?: unknown; data?: unknown };
  return version === '1' && typeof data === 'string' && TOKEN_DATA.test(data) ? data : undefined;
}

function sha256(...parts: string[]): string {
  const h = createHash('sha256');
  h.update(FINGERPRINT_DOMAIN);
  for (const p of parts) h.update(`\0${p}`);
  return h.digest('hex');
}

/** What a classic token looks like, for messages (never the token itself). */
export const AFAS_TOKEN_SHAPE =
  '<token><version>1</version><data>…64 hex characters…</data></token> or just its 64-hex data part';

/** A pasted token without its BOM and surrounding white space. */
function normalizeToken(token: string): string {
  return token.replace(/^\uFEFF/, '').trim();
}

/**
 * Whether `token` is a classic token `buildAfasTokenHeader` accepts, so a configuration can be checked up front
 * and refused with a message naming its setting, instead of failing later with a stack trace. Pure.
 */
export function isAfasToken(token: string): boolean {
  return typeof token === 'string' && tokenData(normalizeToken(token)) !== undefined;
}

/**
 * Builds `AfasToken <base64>` from a classic token: the whole XML `<token><version>1</version><data>…</data></token>`
 * or just its 64-hex data part. The XML is rebuilt canonically, so both inputs give the same header. Throws
 * `ProfitError` kind `invalid-argument` (without echoing the token) for anything else. Pure.
 */
export function buildAfasTokenHeader(token: string): string {
  if (typeof token !== 'string') invalidArgument('an AFAS token must be a string');
  const t = normalizeToken(token);
  const data = tokenData(t);
  if (data === undefined) {
    invalidArgument(`an AFAS token must be ${AFAS_TOKEN_SHAPE}; got ${t.length} characters that match neither`);
  }
  const xml = `<token><version>1</version><data>${data}</data></token>`;
  return `AfasToken ${Buffer.from(xml, 'utf8').toString('base64')}`;
}

/** Base of all credentials: redacted rendering. */
abstract class RedactedCredential {
  abstract readonly kind: 'afas-token' | 'oauth-client' | 'authorization-header';
  abstract readonly fingerprint: string;

  toString(): string {
    return `${this.constructor.name}(${this.fingerprint.slice(0, 12)}…)`;
  }

  toJSON(): { kind: string; fingerprint: string } {
    return { kind: this.kind, fingerprint: this.fingerprint };
  }

  [INSPECT](): string {
    return this.toString();
  }
}

/** A classic AFAS token (discontinued by AFAS on 31 August 2027). */
export class AfasTokenCredential extends RedactedCredential {
  readonly kind = 'afas-token' as const;
  readonly fingerprint: string;
  readonly #header: string;

  constructor(token: string) {
    super();
    this.#header = buildAfasTokenHeader(token);
    this.fingerprint = sha256('authorization', this.#header);
  }

  /** The `Authorization` header value. Handle with care. */
  authorization(): string {
    return this.#header;
  }
}

export interface OAuthClientOptions {
  readonly clientId: string;
  readonly clientSecret: string;
}

/** OAuth 2 client credentials; the connection exchanges them at `{base}/oauth/token` for a Bearer token. */
export class OAuthClientCredential extends RedactedCredential {
  readonly kind = 'oauth-client' as const;
  readonly fingerprint: string;
  readonly clientId: string;
  readonly #secret: string;

  constructor(options: OAuthClientOptions) {
    super();
    const { clientId, clientSecret } = options;
    if (typeof clientId !== 'string' || clientId === '' || hasControlCharacter(clientId)) {
      invalidArgument('an OAuth clientId must be a non-empty string without control characters');
    }
    if (typeof clientSecret !== 'string' || clientSecret === '') {
      invalidArgument('an OAuth clientSecret must be a non-empty string');
    }
    this.clientId = clientId;
    this.#secret = clientSecret;
    this.fingerprint = sha256('oauth-client', clientId, clientSecret);
  }

  /** The form body of the client-credentials grant. Handle with care. */
  tokenRequestBody(): string {
    return new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.clientId,
      client_secret: this.#secret,
    }).toString();
  }
}

/**
 * A caller's own `Authorization` value (`AfasToken …` or `Bearer …`), passed through unchanged: for a gateway
 * that forwards its callers' credentials.
 */
export class AuthorizationHeaderCredential extends RedactedCredential {
  readonly kind = 'authorization-header' as const;
  readonly fingerprint: string;
  readonly scheme: 'AfasToken' | 'Bearer';
  readonly #header: string;

  constructor(value: string) {
    super();
    const m = typeof value === 'string' ? /^(AfasToken|Bearer) +(\S+)$/i.exec(value) : null;
    if (!m || hasControlCharacter(value)) {
      invalidArgument('an Authorization value must be "AfasToken <base64>" or "Bearer <token>" on one line');
    }
    this.scheme = m[1]?.toLowerCase() === 'bearer' ? 'Bearer' : 'AfasToken';
    this.#header = value;
    this.fingerprint = sha256('authorization', value);
  }

  authorization(): string {
    return this.#header;
  }
}

export type Credential = AfasTokenCredential | OAuthClientCredential | AuthorizationHeaderCredential;

/** A classic token: the full XML or its 64-hex data part. */
export function afasToken(token: string): AfasTokenCredential {
  return new AfasTokenCredential(token);
}

/** OAuth 2 client credentials. */
export function oauthClient(options: OAuthClientOptions): OAuthClientCredential {
  return new OAuthClientCredential(options);
}

/** A caller's `Authorization` header value, sent unchanged. */
export function authorizationHeader(value: string): AuthorizationHeaderCredential {
  return new AuthorizationHeaderCredential(value);
}

/**
 * A stable, non-reversible sha256-based fingerprint (64 hex) of a credential, for cache keys. A classic token
 * and the same token passed through as `AfasToken …` have the same fingerprint.
 */
export function credentialFingerprint(credential: Credential): string {
  return credential.fingerprint;
}

/**
 * The `Authorization` header of each attempt, and the OAuth client-credentials token cache behind it
 * (`POST {base}/oauth/token`: profit-api.md "Authentication", after AFAS's 2026 Dutch authentication page).
 * A classic token or a caller's header is used as it is. An OAuth client gets a cached Bearer token, one refresh
 * in flight per credential; a 401 to a Bearer token (revoked or expired early) drops it and repeats the call once
 * with a fresh one: a 401 means not executed, so this is safe even for a write. Tokens live in a `TokenCache`: this
 * process's Map by default, or one that replicas share (injected through `ProfitConnectionOptions.tokenCache`).
 */
import { createHash } from 'node:crypto';
import type { OAuthClientCredential } from '../credentials.js';
import { isRecord, ProfitError } from '../errors.js';
import { hasControlCharacter } from '../text.js';
import { type Answer, Exchange, notRetryable, type Send, type SendRequest, type Wrapper } from './send.js';

/** At most this many credentials' tokens are kept in the local cache; the oldest go first. */
const MAX_TOKEN_CACHE = 1000;

/** An access token as a `TokenCache` holds it. Times are epoch ms. */
export interface CachedToken {
  readonly token: string;
  /** From then on it is renewed (`expires_in` less the refresh skew). */
  readonly refreshAt: number;
  /** Profit stops accepting it then (`expires_in`). */
  readonly expiresAt: number;
}

/**
 * Where a connection keeps its OAuth tokens, keyed by a hash of the Profit environment and the credential's
 * fingerprint (never the client id, the secret or the token). The default is this process's Map (`LocalTokenCache`); `src/redis/token-cache.ts` shares one token per
 * client among replicas.
 */
export interface TokenCache {
  /** The key's token while it has not expired (it may be due for renewal). */
  get(key: string): Promise<CachedToken | undefined>;
  /**
   * Runs `fetch` for the key, stores and returns its token. A shared cache lets one holder at a time fetch: the
   * others get that holder's token, or `current` while it is still valid.
   */
  refresh(key: string, fetch: () => Promise<CachedToken>, current: CachedToken | undefined): Promise<CachedToken>;
  /** Forgets the key's token if it is still `token` (Profit refused it); a newer one stays. */
  invalidate(key: string, token: string): Promise<void>;
  clear(): void;
}

/** This process's tokens: a Map, bounded (the least recently stored go first). */
export class LocalTokenCache implements TokenCache {
  readonly #entries = new Map<string, CachedToken>();

  get(key: string): Promise<CachedToken | undefined> {
    const entry = this.#entries.get(key);
    return Promise.resolve(entry !== undefined && Date.now() < entry.expiresAt ? entry : undefined);
  }

  async refresh(key: string, fetch: () => Promise<CachedToken>): Promise<CachedToken> {
    const fresh = await fetch();
    this.set(key, fresh);
    return fresh;
  }

  /** Stores a token (also what a shared cache falls back to while Redis is unavailable). */
  set(key: string, token: CachedToken): void {
    this.#entries.delete(key);
    this.#entries.set(key, token);
    while (this.#entries.size > MAX_TOKEN_CACHE) this.#entries.delete(this.#entries.keys().next().value as string);
  }

  invalidate(key: string, token: string): Promise<void> {
    if (this.#entries.get(key)?.token === token) this.#entries.delete(key);
    return Promise.resolve();
  }

  clear(): void {
    this.#entries.clear();
  }
}

export class OAuthTokens {
  readonly #send: Send;
  readonly #refreshSkewMs: number;
  readonly #cache: TokenCache;
  readonly #scope: string;
  readonly #keys = new WeakMap<OAuthClientCredential, string>();
  /** One lookup or refresh in flight per credential in this process; concurrent callers share it. */
  readonly #inflight = new Map<string, Promise<string>>();

  /**
   * @param send the chain for the token request: retries, maintenance circuit, deadline and observers, but no slot
   *   of the cap (it runs before the call that needs it takes one).
   * @param refreshSkewMs a token is renewed this long before its `expires_in` runs out.
   * @param cache where tokens are kept. @default a `LocalTokenCache` of this process
   * @param scope the Profit environment (its base URL): one client id on two environments has two tokens.
   */
  constructor(send: Send, refreshSkewMs: number, cache: TokenCache = new LocalTokenCache(), scope = '') {
    this.#send = send;
    this.#refreshSkewMs = refreshSkewMs;
    this.#cache = cache;
    this.#scope = scope;
  }

  /** The cache key of a credential: sha256 of the environment and the fingerprint. */
  #key(credential: OAuthClientCredential): string {
    let key = this.#keys.get(credential);
    if (key === undefined) {
      key = createHash('sha256').update(`${this.#scope}\0${credential.fingerprint}`).digest('hex');
      this.#keys.set(credential, key);
    }
    return key;
  }

  /** `Bearer …` for the credential; the caller's signal ends its own wait, not a refresh others wait on. */
  bearer(credential: OAuthClientCredential, signal: AbortSignal | undefined): Promise<string> {
    const token = this.#tokenFor(credential).then((t) => `Bearer ${t}`);
    if (!signal) return token;
    return Promise.race([
      token,
      new Promise<never>((_, reject) => {
        const abort = () =>
          reject(
            new ProfitError('aborted', 'aborted by the caller while waiting for an OAuth token', {
              requestSent: false,
            }),
          );
        if (signal.aborted) abort();
        else signal.addEventListener('abort', abort, { once: true });
        token.then(
          () => signal.removeEventListener('abort', abort),
          () => signal.removeEventListener('abort', abort),
        );
      }),
    ]);
  }

  /** Drops the token Profit refused (for every sharer of the cache); a fresher one fetched meanwhile stays. */
  invalidate(credential: OAuthClientCredential, authorization: string): Promise<void> {
    if (!authorization.startsWith('Bearer ')) return Promise.resolve();
    return this.#cache.invalidate(this.#key(credential), authorization.slice('Bearer '.length));
  }

  clear(): void {
    this.#inflight.clear();
    this.#cache.clear();
  }

  /** The cached access token, or the one lookup in flight for this credential, or a new refresh. */
  #tokenFor(credential: OAuthClientCredential): Promise<string> {
    const key = this.#key(credential);
    const inflight = this.#inflight.get(key);
    if (inflight) return inflight;
    const lookup = this.#lookup(credential).finally(() => {
      if (this.#inflight.get(key) === lookup) this.#inflight.delete(key);
    });
    this.#inflight.set(key, lookup);
    return lookup;
  }

  async #lookup(credential: OAuthClientCredential): Promise<string> {
    const key = this.#key(credential);
    const cached = await this.#cache.get(key);
    if (cached !== undefined && Date.now() < cached.refreshAt) return cached.token;
    const fresh = await this.#cache.refresh(
      key,
      async () => {
        const requestedAt = Date.now();
        const { token, expiresInSeconds } = await this.#fetch(credential);
        const lifetime = expiresInSeconds * 1000;
        // Renew `skew` before expiry, but never use less than half of a short lifetime.
        const refreshAt = requestedAt + Math.max(lifetime - this.#refreshSkewMs, lifetime / 2);
        return { token, refreshAt, expiresAt: requestedAt + lifetime };
      },
      cached,
    );
    return fresh.token;
  }

  /**
   * `POST {base}/oauth/token` with the client-credentials grant. Retried like a GET: asking for a token has no
   * effect beyond issuing one, so repeating it is harmless.
   */
  async #fetch(credential: OAuthClientCredential): Promise<{ token: string; expiresInSeconds: number }> {
    const req: SendRequest = {
      method: 'POST',
      path: '/oauth/token',
      // The client credentials travel in the form body, not in an Authorization header.
      body: credential.tokenRequestBody(),
      contentType: 'application/x-www-form-urlencoded',
      idempotent: true,
    };
    const answer = await this.#send(new Exchange(req, {}, undefined, false));
    const error = answer.error;
    if (error === undefined) return parseTokenResponse(answer.text, req.path);
    if (answer.status === 400 || answer.status === 401) {
      throw new ProfitError(
        'unauthorized',
        `Profit's OAuth token endpoint refused the client credentials (${answer.status}${error.externalMessage ? `: ${error.externalMessage}` : ''})`,
        { status: answer.status, externalMessage: error.externalMessage, method: 'POST', path: req.path },
      );
    }
    throw error;
  }
}

/** Sets `Exchange.authorization` from the call's credential; repeats a call once when its OAuth token is refused. */
export function authorize(tokens: OAuthTokens): Wrapper {
  /** Calls that already had their one fresh token. */
  const refreshed = new WeakSet<Exchange>();
  return (next: Send): Send =>
    (x) => {
      const credential = x.credential;
      if (credential === undefined || credential.kind !== 'oauth-client') {
        x.authorization = credential?.authorization();
        return next(x);
      }
      const withToken = async (): Promise<Answer> => {
        try {
          x.authorization = await tokens.bearer(credential, x.call.signal);
        } catch (error) {
          // The token request had retries of its own: the call does not repeat them.
          throw error instanceof ProfitError ? notRetryable(error) : error;
        }
        const answer = await next(x);
        if (answer.error?.kind !== 'unauthorized' || refreshed.has(x)) return answer;
        refreshed.add(x);
        await tokens.invalidate(credential, x.authorization);
        return withToken();
      };
      return withToken();
    };
}

/** Reads `{access_token, token_type: "Bearer", expires_in}`. Pure. */
export function parseTokenResponse(text: string, path = '/oauth/token'): { token: string; expiresInSeconds: number } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const token = isRecord(json) ? json.access_token : undefined;
  const type = isRecord(json) ? json.token_type : undefined;
  const expires = isRecord(json) ? Number(json.expires_in) : Number.NaN;
  if (
    typeof token !== 'string' ||
    token === '' ||
    /\s/.test(token) ||
    hasControlCharacter(token) ||
    (typeof type === 'string' && type.toLowerCase() !== 'bearer') ||
    !Number.isFinite(expires) ||
    expires <= 0
  ) {
    throw new ProfitError(
      'invalid-response',
      "Profit's OAuth token endpoint answered without a usable {access_token, token_type: Bearer, expires_in}",
      { method: 'POST', path },
    );
  }
  return { token, expiresInSeconds: expires };
}

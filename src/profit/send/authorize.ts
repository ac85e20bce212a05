/**
 * The `Authorization` header of each attempt, and the OAuth client-credentials token cache behind it
 * (`POST {base}/oauth/token`: profit-api.md "Authentication", after AFAS's 2026 Dutch authentication page).
 * A classic token or a caller's header is used as it is. An OAuth client gets a cached Bearer token, one refresh
 * in flight per credential; a 401 to a Bearer token (revoked or expired early) drops it and repeats the call once
 * with a fresh one: a 401 means not executed, so this is safe even for a write.
 */
import type { OAuthClientCredential } from '../credentials.js';
import { isRecord, ProfitError } from '../errors.js';
import { hasControlCharacter } from '../text.js';
import { type Answer, Exchange, notRetryable, type Send, type SendRequest, type Wrapper } from './send.js';

/** At most this many credentials' tokens are kept; the oldest idle ones go first. */
const MAX_TOKEN_CACHE = 1000;

interface TokenEntry {
  token?: string;
  refreshAt: number;
  inflight?: Promise<string>;
}

export class OAuthTokens {
  readonly #send: Send;
  readonly #refreshSkewMs: number;
  readonly #entries = new Map<string, TokenEntry>();

  /**
   * @param send the chain for the token request: retries, maintenance circuit, deadline and observers, but no slot
   *   of the cap (it runs before the call that needs it takes one).
   * @param refreshSkewMs a token is renewed this long before its `expires_in` runs out.
   */
  constructor(send: Send, refreshSkewMs: number) {
    this.#send = send;
    this.#refreshSkewMs = refreshSkewMs;
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

  /** Drops the token Profit refused; another caller may already have fetched a fresh one, which stays. */
  invalidate(credential: OAuthClientCredential, authorization: string): void {
    const entry = this.#entries.get(credential.fingerprint);
    if (entry?.token !== undefined && `Bearer ${entry.token}` === authorization) {
      entry.token = undefined;
      entry.refreshAt = 0;
    }
  }

  clear(): void {
    this.#entries.clear();
  }

  /** The cached access token, or the one refresh in flight for this credential, or a new refresh. */
  #tokenFor(credential: OAuthClientCredential): Promise<string> {
    const key = credential.fingerprint;
    let entry = this.#entries.get(key);
    if (entry?.token !== undefined && Date.now() < entry.refreshAt) return Promise.resolve(entry.token);
    if (entry?.inflight) return entry.inflight;
    if (!entry) {
      entry = { refreshAt: 0 };
      this.#entries.set(key, entry);
      this.#evict();
    }
    const e = entry;
    const requestedAt = Date.now();
    e.inflight = this.#fetch(credential).then(
      ({ token, expiresInSeconds }) => {
        const lifetime = expiresInSeconds * 1000;
        e.token = token;
        // Renew `skew` before expiry, but never use less than half of a short lifetime.
        e.refreshAt = requestedAt + Math.max(lifetime - this.#refreshSkewMs, lifetime / 2);
        e.inflight = undefined;
        return token;
      },
      (error: unknown) => {
        e.inflight = undefined;
        throw error;
      },
    );
    return e.inflight;
  }

  #evict(): void {
    for (const [key, entry] of this.#entries) {
      if (this.#entries.size <= MAX_TOKEN_CACHE) break;
      if (!entry.inflight) this.#entries.delete(key);
    }
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
        tokens.invalidate(credential, x.authorization);
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

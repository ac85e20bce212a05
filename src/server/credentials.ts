/**
 * Which Profit credential a GraphQL request runs with.
 *
 * - Pass-through (default): the caller's own `Authorization: AfasToken …` or `Bearer …` header, sent to Profit
 *   unchanged, so Profit's app connector decides what each caller may see. A request without one is answered 401
 *   before any resolver runs (see `auth-plugin.ts`).
 * - Service mode (`PROFIT_TOKEN` or the `PROFIT_OAUTH_CLIENT_*` pair): one client for every request; a caller's
 *   `Authorization` header is ignored. Put the service behind a router that authenticates its callers.
 */
import type { Config } from '../config/index.js';
import {
  afasToken,
  authorizationHeader,
  oauthClient,
  type ProfitClient,
  type ProfitConnection,
} from '../profit/index.js';

export type CallerCredential =
  | { readonly kind: 'client'; readonly client: ProfitClient }
  | { readonly kind: 'missing' | 'invalid'; readonly message: string };

/**
 * `request`: an object of the request the credential is resolved for (its IncomingMessage, Apollo's request), whose
 * scope (observability/scope.ts) then tags the client's calls.
 */
export type CredentialResolver = (authorization: string | undefined, request?: object) => CallerCredential;

/**
 * `AfasToken` or `Bearer` and one RFC 9110 token68. Stricter than the Profit client's own check on purpose: a
 * placeholder such as `AfasToken <base64 of your Profit token>` or a non-ASCII value (not a valid header value
 * for undici) is refused here with a message, instead of reaching Profit or failing as a transport error.
 */
const AUTHORIZATION = /^(?:AfasToken|Bearer) +[A-Za-z0-9\-._~+/]+=*$/i;

export const MISSING_CREDENTIAL =
  'This service passes your Profit credential through: send an Authorization header with "AfasToken <base64 token>" or "Bearer <OAuth access token>"';
const INVALID_CREDENTIAL =
  'The Authorization header must be "AfasToken <base64 token>" or "Bearer <OAuth access token>" on one line';

export function createCredentialResolver(config: Config, connection: ProfitConnection): CredentialResolver {
  const service = config.credential;
  if (service.kind !== 'pass-through') {
    // Built once at start-up: a malformed PROFIT_TOKEN stops the service with a message, never a request.
    const client = connection.client(
      service.kind === 'token'
        ? afasToken(service.token)
        : // OAuth: the connection caches the access token and refreshes it once, shortly before it expires.
          oauthClient({ clientId: service.clientId, clientSecret: service.clientSecret }),
    );
    const result: CallerCredential = { kind: 'client', client };
    return () => result;
  }
  return (authorization) => {
    const value = authorization?.trim();
    if (value === undefined || value === '') return { kind: 'missing', message: MISSING_CREDENTIAL };
    if (!AUTHORIZATION.test(value)) return { kind: 'invalid', message: INVALID_CREDENTIAL };
    return { kind: 'client', client: connection.client(authorizationHeader(value)) };
  };
}

/**
 * The authentication gate, as an Apollo plugin. A request without a usable credential gets HTTP 401 with code
 * `UNAUTHENTICATED` once its operation is known and before execution starts, so no resolver runs and Profit is
 * not called. Operations that only read the schema (`__schema`, `__type`, `__typename`, `_service`) pass: a
 * router composing the supergraph and the Playground's documentation need no Profit credential.
 *
 * A credential that is present but that Profit refuses gets the same 401 before execution: the gate reads the
 * credential's grant (`GET /metainfo`, which authorization needs anyway and caches per credential), and a 401 there
 * ends the request. In service mode with a JWT key configured, a missing or unverifiable JWT is refused the same way.
 *
 * The second half turns an answer whose only errors are Profit's own 401s (an expired or unknown token, mapped to
 * `UNAUTHENTICATED`) and that has no data into an HTTP 401 as well, so a caller sees one status for both cases.
 */
import { type ApolloServerPlugin, HeaderMap } from '@apollo/server';
import { type DocumentNode, GraphQLError, type GraphQLErrorExtensions, type OperationDefinitionNode } from 'graphql';
import { ProfitError } from '../profit/index.js';
import { rootFieldNames } from './root-fields.js';

/** What the gate needs of a request context: its caller's grant (src/graphql/auth). */
interface WithGrant {
  readonly auth?: { grants(): Promise<unknown> };
}

export const PROFIT_REFUSED =
  'Profit refused this credential (401): the token is unknown, expired or revoked, or the OAuth client is not accepted';

/** The context of a request that has no usable credential: it never reaches a resolver that needs Profit. */
export class Unauthenticated {
  constructor(readonly message: string) {}
}

/**
 * The context of a request refused before it reaches Profit for a reason other than its credential (its tenant:
 * tenants.ts). Like Unauthenticated, operations that only read the schema still pass: the schema is one for all.
 */
export class RequestRefused {
  constructor(
    readonly code: string,
    readonly status: number,
    readonly message: string,
  ) {}
}

/** Root fields that need no Profit credential. */
const SCHEMA_FIELDS = new Set(['__schema', '__type', '__typename', '_service']);

const CHALLENGE = 'AfasToken realm="AFAS Profit", Bearer realm="AFAS Profit"';

/** Whether the operation selects, at its root, only fields that read the schema (fragments followed). */
export function readsOnlySchema(document: DocumentNode, operation: OperationDefinitionNode): boolean {
  const names = rootFieldNames(document, operation);
  return names.length > 0 && names.every((name) => SCHEMA_FIELDS.has(name));
}

function unauthenticated(message: string): GraphQLError {
  // Apollo reads `extensions.http` (a HeaderMap) for the status and headers, then removes it from the answer.
  // graphql-yoga's type augmentation declares `http.headers` a plain record, hence the cast.
  const extensions = {
    code: 'UNAUTHENTICATED',
    http: { status: 401, headers: new HeaderMap([['www-authenticate', CHALLENGE]]) },
  } as unknown as GraphQLErrorExtensions;
  return new GraphQLError(message, { extensions });
}

export function authenticationPlugin(): ApolloServerPlugin<object> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue, document, operation }) {
          if (operation !== undefined && readsOnlySchema(document, operation)) return;
          if (contextValue instanceof Unauthenticated) throw unauthenticated(contextValue.message);
          if (contextValue instanceof RequestRefused) {
            const { code, status, message } = contextValue;
            // As in unauthenticated(): Apollo takes the status from `extensions.http`.
            const extensions = { code, http: { status } } as unknown as GraphQLErrorExtensions;
            throw new GraphQLError(message, { extensions });
          }
          const auth = (contextValue as WithGrant).auth;
          if (auth === undefined) return;
          try {
            await auth.grants();
          } catch (error) {
            if (error instanceof ProfitError && error.kind === 'unauthorized') throw unauthenticated(PROFIT_REFUSED);
            // Anything else (Profit unreachable, in maintenance) is answered by the fields that need Profit.
          }
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          if (data != null || errors === undefined || errors.length === 0) return;
          if (!errors.every((e) => e.extensions?.code === 'UNAUTHENTICATED')) return;
          response.http.status = 401;
          response.http.headers.set('www-authenticate', CHALLENGE);
        },
      };
    },
  };
}

/**
 * Who may send a body over MAX_REQUEST_BYTES (up to MAX_UPLOAD_BYTES): a mutation carrying files, decided by that
 * mutation's own UpdateConnector grant.
 *
 * Two steps, because the mutation is known only once the body is read:
 *
 * 1. Before reading (`caller`): the credential must be one Profit accepts (its `/metainfo`, cached), a required
 *    JWT must verify, and the grant, narrowed by the JWT's scopes, must hold at least one UpdateConnector. Anyone
 *    else is cut off at MAX_REQUEST_BYTES without the rest of the body being read.
 * 2. After parsing (`allows`): the operation must be one mutation, and every root field it selects must need an
 *    UpdateConnector (`@requiresScopes` `profit:update:<id>`) that this caller is granted: the caller's
 *    authorization decides, exactly as the checker will when the mutation runs. A caller granted only
 *    `HrAbsenceID` may not send 80 MiB to `createPerson`.
 */
import type { IncomingMessage } from 'node:http';
import {
  type FieldNode,
  type GraphQLSchema,
  Kind,
  type OperationDefinitionNode,
  parse,
  type SelectionSetNode,
} from 'graphql';
import type { Config } from '../config/index.js';
import { type PermissionStore, RequestAuthorization, requiredScopes } from '../graphql/auth/index.js';
import { declaredBodyBytes } from './body.js';
import type { CredentialResolver } from './credentials.js';
import type { JwtVerifier } from './jwt.js';

export interface UploadAllowanceOptions {
  readonly config: Config;
  readonly resolveCredential: CredentialResolver;
  readonly permissions: PermissionStore;
  readonly verifyJwt?: JwtVerifier;
  /** The served schema: its mutations' `@requiresScopes` name their UpdateConnectors. */
  readonly schema: () => GraphQLSchema;
}

export interface UploadAllowance {
  /** The caller's authorization when it may try a large body; `undefined` when not (or not needed). */
  caller(req: IncomingMessage): Promise<RequestAuthorization | undefined>;
  /** Whether the parsed body is one mutation whose every root field's UpdateConnector this caller is granted. */
  allows(caller: RequestAuthorization, body: unknown): Promise<boolean>;
}

export function createUploadAllowance(options: UploadAllowanceOptions): UploadAllowance {
  const { config, resolveCredential, permissions, verifyJwt } = options;
  return {
    async caller(req) {
      // A compressed body's length is no bound on its decoded size: such a body is treated as one of unknown size.
      const declared = declaredBodyBytes(req);
      if (declared !== undefined && declared <= config.maxRequestBytes) return undefined;
      if (config.maxUploadBytes <= config.maxRequestBytes) return undefined;
      const authorization = req.headers.authorization;
      const credential = resolveCredential(authorization, req);
      if (credential.kind !== 'client') return undefined;
      const jwt = verifyJwt ? await verifyJwt(authorization) : undefined;
      if (jwt !== undefined && jwt.kind !== 'verified') return undefined;
      const auth = new RequestAuthorization(permissions, credential.client, jwt?.scopes);
      try {
        return (await auth.grants()).updateConnectors.length > 0 ? auth : undefined;
      } catch {
        return undefined;
      }
    },

    async allows(caller, body) {
      const fields = chosenMutationFields(body);
      if (fields === undefined || fields.length === 0) return false;
      const mutation = options.schema().getMutationType();
      for (const name of fields) {
        const field = mutation?.getFields()[name];
        const scopes = field ? requiredScopes(field) : [];
        if (scopes.length === 0 || !scopes.every((s) => s.startsWith('profit:update:'))) return false;
        try {
          if (!(await caller.allows(scopes))) return false;
        } catch {
          return false;
        }
      }
      return true;
    },
  };
}

/**
 * The root field names of a JSON body's chosen operation when it is a mutation; `undefined` for anything else (a
 * batch, a query, an unreadable document, a root selection through fragments, which a file upload has no need of).
 */
export function chosenMutationFields(body: unknown): string[] | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const { query, operationName } = body as { query?: unknown; operationName?: unknown };
  if (typeof query !== 'string') return undefined;
  let operations: OperationDefinitionNode[];
  try {
    operations = parse(query, { maxTokens: 20_000 }).definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
  } catch {
    return undefined;
  }
  const chosen =
    typeof operationName === 'string'
      ? operations.find((o) => o.name?.value === operationName)
      : operations.length === 1
        ? operations[0]
        : undefined;
  if (chosen?.operation !== 'mutation') return undefined;
  return rootFields(chosen.selectionSet);
}

function rootFields(set: SelectionSetNode): string[] | undefined {
  const out: string[] = [];
  for (const s of set.selections) {
    if (s.kind !== Kind.FIELD) return undefined;
    const name = (s as FieldNode).name.value;
    if (name !== '__typename') out.push(name);
  }
  return out;
}

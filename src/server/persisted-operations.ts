/**
 * Persisted operations (issue 14 §2): an Apollo persisted query manifest (`PERSISTED_OPERATIONS`, the JSON that
 * `generate-persisted-query-manifest` writes: `{ format: "apollo-persisted-query-manifest", version: 1, operations:
 * [{ id, body, name, type }] }`) read at start by every replica, so all of them know the same operations. A client
 * may send an operation by its id alone (`extensions.persistedQuery.sha256Hash`); with `PERSISTED_OPERATIONS_ONLY`
 * the manifest is a safelist: an operation whose text is not in it is refused with HTTP 400 and
 * `PERSISTED_QUERY_NOT_IN_LIST` (Apollo Router's code for the same refusal) before it runs or reaches Profit. Text
 * is compared exactly, as the manifest holds it.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { ConfigError } from '../config/index.js';

export interface PersistedOperations {
  /** The manifest's operations: id → body. */
  readonly byId: ReadonlyMap<string, string>;
  readonly bodies: ReadonlySet<string>;
}

const FORMAT = 'apollo-persisted-query-manifest';

/** The manifest at `path`; a one-line ConfigError naming the variable for a file that is missing or malformed. */
export function readPersistedOperations(path: string): PersistedOperations {
  let manifest: unknown;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'not readable JSON';
    throw new ConfigError(`PERSISTED_OPERATIONS: ${path}: ${why}`);
  }
  const m = manifest as { format?: unknown; version?: unknown; operations?: unknown };
  if (m === null || typeof m !== 'object' || m.format !== FORMAT || m.version !== 1 || !Array.isArray(m.operations)) {
    throw new ConfigError(
      `PERSISTED_OPERATIONS: ${path} is not an Apollo persisted query manifest (format ${FORMAT}, version 1)`,
    );
  }
  const byId = new Map<string, string>();
  for (const [i, op] of m.operations.entries()) {
    const { id, body } = (op ?? {}) as { id?: unknown; body?: unknown };
    if (typeof id !== 'string' || id === '' || typeof body !== 'string' || body === '') {
      throw new ConfigError(`PERSISTED_OPERATIONS: ${path}: operations[${i}] needs a string id and body`);
    }
    byId.set(id, body);
  }
  return { byId, bodies: new Set(byId.values()) };
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Resolves an operation sent by its manifest id alone, and with `only` refuses any operation whose text the manifest
 * lacks. Automatic persisted queries keep working for listed operations: an id that is the body's SHA-256 (as the
 * manifest generator makes it) is what APQ checks the text against.
 */
export function persistedOperationsPlugin(operations: PersistedOperations, only: boolean): ApolloServerPlugin<object> {
  return {
    async requestDidStart({ request }) {
      const hash = (request.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined)?.sha256Hash;
      if (request.query === undefined && typeof hash === 'string') {
        const body = operations.byId.get(hash);
        // By id: the listed text. APQ then checks the hash against the text, so a manifest id that is not the
        // body's SHA-256 is sent on without the APQ extension.
        if (body !== undefined) {
          request.query = body;
          if (sha256(body) !== hash && request.extensions) delete request.extensions.persistedQuery;
        }
      }
      if (!only) return;
      return {
        // Apollo answers what this hook throws as a request error (a throw in an earlier hook is a 500); it runs
        // after parsing and validation and before anything is executed or registered as a persisted query.
        async didResolveOperation({ source }) {
          if (!operations.bodies.has(source)) throw notInList();
        },
      };
    },
  };
}

function notInList(): GraphQLError {
  return new GraphQLError('This operation is not in the list of persisted operations this service accepts', {
    extensions: { code: 'PERSISTED_QUERY_NOT_IN_LIST', http: { status: 400 } },
  });
}

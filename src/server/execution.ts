/**
 * How an operation runs, behind Apollo Server's documented executor hook (the `gateway` option's `load()` gives an
 * executor; Apollo still parses, validates, caches documents, runs the plugins and formats errors).
 *
 * 1. Authorization once per operation (src/graphql/auth/guard.ts): every role the operation can reach is decided
 *    for the caller before execution. All allowed: the open schema runs, with no check per field and row. Any
 *    denied (or a grant that cannot be read): the guarded schema runs and answers each denied occurrence with
 *    FORBIDDEN, its resolver not run, exactly as a check per field does.
 * 2. Errors translated once per request (src/graphql/errors.ts), not by a wrapper around every resolver.
 * 3. A router asking for a federated trace (ftv1) gets the guarded schema through graphql-js, which Apollo's
 *    trace plugin instruments. Mutations run on the guarded schema too (see `schemaFor`).
 */
import type { ApolloServerOptions } from '@apollo/server';
import {
  type DocumentNode,
  type ExecutionResult,
  execute,
  GraphQLError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  printSchema,
} from 'graphql';
import { allowsAll, operationRoles } from '../graphql/auth/guard.js';
import { RequestAuthorization } from '../graphql/auth/index.js';
import { toGraphQLError } from '../graphql/errors.js';
import type { ExecutableSubgraph } from '../graphql/schema.js';

type Gateway = Extract<ApolloServerOptions<object>, { gateway: unknown }>['gateway'];
type Executor = NonNullable<Awaited<ReturnType<Gateway['load']>>['executor']>;
type GatewayRequest = Parameters<Executor>[0];

/** What one execution needs (Apollo's request context, reduced). */
export interface Execution {
  readonly document: DocumentNode;
  readonly operation: OperationDefinitionNode;
  readonly operationName?: string | null;
  readonly variables?: Record<string, unknown>;
  readonly contextValue: unknown;
  /** A router asked for a federated trace: run what Apollo's trace plugin instruments. */
  readonly traced: boolean;
}

/** The schema an operation runs on: open when the caller may have every field it selects, else guarded. */
export async function schemaFor(subgraph: ExecutableSubgraph, execution: Execution): Promise<GraphQLSchema> {
  // A mutation checks as it goes: deciding its answer's fields beforehand would read grants (metainfo) for a
  // read-back that a refused write never makes. It runs once per request, so no per-row cost is at stake.
  if (execution.traced || execution.operation.operation !== 'query') return subgraph.schema;
  const roles = operationRoles(subgraph.open, subgraph.roles, execution.document, execution.operation);
  if (roles.length === 0) return subgraph.open;
  const auth = (execution.contextValue as { auth?: unknown } | null)?.auth;
  // No authorization context: the guarded schema refuses every field that needs one (fails closed).
  if (!(auth instanceof RequestAuthorization)) return subgraph.schema;
  return (await allowsAll(auth, roles)) ? subgraph.open : subgraph.schema;
}

/**
 * What resolvers threw, translated once (errors.ts): the same error a resolver that translated its own failure
 * gives, with its path and locations.
 */
export function translateErrors(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.length) return result;
  let changed = false;
  const errors = result.errors.map((error) => {
    const original = error.originalError;
    if (original === undefined || original instanceof GraphQLError) return error;
    const translated = toGraphQLError(original);
    if (!(translated instanceof GraphQLError)) return error;
    changed = true;
    return new GraphQLError(translated.message, {
      nodes: error.nodes,
      source: error.source,
      positions: error.positions,
      path: error.path,
      originalError: translated,
      extensions: translated.extensions,
    });
  });
  return changed ? { ...result, errors } : result;
}

/** Runs one operation (see the module comment). */
export async function executeOperation(subgraph: ExecutableSubgraph, execution: Execution): Promise<ExecutionResult> {
  const schema = await schemaFor(subgraph, execution);
  const result = await execute({
    schema,
    document: execution.document,
    contextValue: execution.contextValue,
    variableValues: execution.variables,
    operationName: execution.operationName,
  });
  return translateErrors(result);
}

/** Apollo Server's `gateway` option serving the subgraph with `executeOperation`. */
export function subgraphGateway(subgraph: ExecutableSubgraph): Gateway {
  const executor: Executor = async (request: GatewayRequest) => {
    const { document, operation } = request;
    if (document === undefined || operation === undefined) throw new Error('Apollo gave no resolved operation');
    const result = await executeOperation(subgraph, {
      document,
      operation,
      operationName: request.operationName ?? null,
      ...(request.request.variables ? { variables: request.request.variables } : {}),
      contextValue: request.context,
      traced: request.request.http?.headers.get('apollo-federation-include-trace') === 'ftv1',
    });
    return result as Awaited<ReturnType<Executor>>;
  };
  return {
    async load() {
      return { executor };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: subgraph.schema, coreSupergraphSdl: printSchema(subgraph.schema) });
      return () => undefined;
    },
    async stop() {},
  };
}

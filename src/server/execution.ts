/**
 * How an operation runs, behind Apollo Server's documented executor hook (the `gateway` option's `load()` gives an
 * executor; Apollo still parses, validates, caches documents, runs the plugins and formats errors).
 *
 * 1. Authorization once per operation (src/graphql/auth/guard.ts): every role the operation can reach is decided
 *    for the caller before execution. All allowed: the open schema runs, with no check per field and row. Any
 *    denied (or a grant that cannot be read): the guarded schema runs and answers each denied occurrence with
 *    FORBIDDEN, its resolver not run, exactly as a check per field does.
 * 2. Errors translated once per request (src/graphql/errors.ts), not by a wrapper around every resolver.
 * 3. The open schema runs compiled (graphql-jit, as GraphQL Mesh and Hive Gateway offer), each operation compiled
 *    once and kept in a bounded LRU by document and operation name. graphql-js runs what the compiled form does not
 *    answer the same: the guarded schema (its per-field FORBIDDEN errors), a federated trace (ftv1, which Apollo's
 *    trace plugin instruments through graphql-js), introspection, mutations (see `schemaFor`), variables that do
 *    not coerce (graphql-js's own errors are answered) and variables inside list or object literals.
 */
import type { ApolloServerOptions } from '@apollo/server';
import {
  BREAK,
  type DocumentNode,
  type ExecutionResult,
  execute,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLSchema,
  getVariableValues,
  Kind,
  type OperationDefinitionNode,
  printSchema,
  type SelectionSetNode,
  visit,
} from 'graphql';
import { type CompiledQuery, compileQuery, isCompiledQuery } from 'graphql-jit';
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
  /** Identifies the document's text (Apollo's query hash), for the cache of compiled operations. */
  readonly documentKey?: string;
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

/** Compiled operations kept (least recently used dropped first). Each is a few closures over one document. */
export const COMPILED_OPERATIONS = 1000;

/** A bounded LRU of compiled operations (`null`: graphql-jit could not compile it, so graphql-js runs it). */
class CompiledOperations {
  readonly #entries = new Map<string, CompiledQuery | null>();

  constructor(readonly max: number) {}

  get(key: string): CompiledQuery | null | undefined {
    const found = this.#entries.get(key);
    if (found !== undefined) {
      this.#entries.delete(key);
      this.#entries.set(key, found);
    }
    return found;
  }

  set(key: string, value: CompiledQuery | null): void {
    this.#entries.set(key, value);
    if (this.#entries.size > this.max) this.#entries.delete(this.#entries.keys().next().value as string);
  }

  get size(): number {
    return this.#entries.size;
  }
}

/**
 * Whether a variable sits inside a list or object literal (`representations: [{ …, id: $id }]`): graphql-jit hands
 * such a literal to a custom scalar's `parseLiteral` without the variables, so graphql-js runs the operation.
 */
function nestsVariables(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Argument(node) {
      const kind = node.value.kind;
      if (kind !== Kind.LIST && kind !== Kind.OBJECT) return false;
      visit(node.value, {
        Variable() {
          found = true;
          return BREAK;
        },
      });
      return found ? BREAK : false;
    },
  });
  return found;
}

/** Whether the operation reads the schema (`__schema`, `__type`): graphql-js answers introspection. */
function introspects(document: DocumentNode, operation: OperationDefinitionNode): boolean {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const seen = new Set<string>();
  const visit = (set: SelectionSetNode): boolean =>
    set.selections.some((s) => {
      if (s.kind === Kind.FIELD) return s.name.value === '__schema' || s.name.value === '__type';
      if (s.kind === Kind.INLINE_FRAGMENT) return visit(s.selectionSet);
      if (seen.has(s.name.value)) return false;
      seen.add(s.name.value);
      const fragment = fragments.get(s.name.value);
      return fragment !== undefined && visit(fragment.selectionSet);
    });
  return visit(operation.selectionSet);
}

/** Runs operations (see the module comment). */
export class OperationExecutor {
  readonly #compiled: CompiledOperations;

  constructor(
    readonly subgraph: ExecutableSubgraph,
    options: { readonly compiledOperations?: number; readonly compile?: boolean } = {},
  ) {
    this.#compiled = new CompiledOperations(
      options.compile === false ? 0 : (options.compiledOperations ?? COMPILED_OPERATIONS),
    );
  }

  /** How many compiled operations are kept now. */
  get compiledOperations(): number {
    return this.#compiled.size;
  }

  async execute(execution: Execution): Promise<ExecutionResult> {
    const schema = await schemaFor(this.subgraph, execution);
    const compiled = schema === this.subgraph.open ? this.#compile(execution) : undefined;
    const result = compiled
      ? await compiled.query(undefined, execution.contextValue, execution.variables ?? {})
      : await execute({
          schema,
          document: execution.document,
          contextValue: execution.contextValue,
          variableValues: execution.variables,
          operationName: execution.operationName,
        });
    return translateErrors(result);
  }

  /** The compiled operation, or `undefined` when graphql-js must run it. */
  #compile(execution: Execution): CompiledQuery | undefined {
    if (this.#compiled.max === 0 || execution.documentKey === undefined) return undefined;
    const { document, operation } = execution;
    // Variables that do not coerce get graphql-js's own errors (the compiled form words them differently).
    if (operation.variableDefinitions?.length) {
      const coerced = getVariableValues(this.subgraph.open, operation.variableDefinitions, execution.variables ?? {});
      if (coerced.errors) return undefined;
    }
    const key = `${execution.documentKey}\u0000${execution.operationName ?? ''}`;
    let compiled = this.#compiled.get(key);
    if (compiled === undefined) {
      const made =
        introspects(document, operation) || nestsVariables(document)
          ? undefined
          : compileQuery(this.subgraph.open, document, execution.operationName ?? undefined, {
              // Errors keep the stack of what threw, not of the compiled code.
              disablingCapturingStackErrors: true,
            });
      compiled = made && isCompiledQuery(made) ? made : null;
      this.#compiled.set(key, compiled);
    }
    return compiled ?? undefined;
  }
}

/** Runs one operation with graphql-js only (no compiled cache): for tests and one-off use. */
export function executeOperation(subgraph: ExecutableSubgraph, execution: Execution): Promise<ExecutionResult> {
  return new OperationExecutor(subgraph, { compile: false }).execute(execution);
}

/** Apollo Server's `gateway` option serving the subgraph with `executeOperation`. */
export function subgraphGateway(
  subgraph: ExecutableSubgraph,
  options: ConstructorParameters<typeof OperationExecutor>[1] = {},
): Gateway {
  const operations = new OperationExecutor(subgraph, options);
  const executor: Executor = async (request: GatewayRequest) => {
    const { document, operation } = request;
    if (document === undefined || operation === undefined) throw new Error('Apollo gave no resolved operation');
    const result = await operations.execute({
      document,
      ...(request.queryHash !== undefined ? { documentKey: request.queryHash } : {}),
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

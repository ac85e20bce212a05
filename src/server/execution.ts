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
 *    not coerce (graphql-js's own errors are answered), variables inside list or object literals, variables of a
 *    recursive input type (a where), non-null fields that resolve on their own (files, `me`), and a result where
 *    a null spread past a non-null field.
 */
import type { ApolloServerOptions } from '@apollo/server';
import {
  BREAK,
  type DocumentNode,
  type ExecutionResult,
  execute,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLNamedType,
  type GraphQLSchema,
  getNamedType,
  isAbstractType,
  isInputObjectType,
  isNonNullType,
  isObjectType,
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
import { rootFieldNames } from './root-fields.js';

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

  /** How many operations are kept compiled (not counting those graphql-js runs). */
  get compiled(): number {
    let n = 0;
    for (const v of this.#entries.values()) if (v !== null) n++;
    return n;
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

const recursiveInputs = new WeakMap<GraphQLSchema, Map<string, boolean>>();

/** Whether an input type can contain itself (a where's `and` / `or` / `not`). */
function isRecursiveInput(schema: GraphQLSchema, name: string): boolean {
  let known = recursiveInputs.get(schema);
  if (!known) {
    known = new Map();
    recursiveInputs.set(schema, known);
  }
  const cached = known.get(name);
  if (cached !== undefined) return cached;
  const reaches = (from: string, seen: Set<string>): boolean => {
    const type = schema.getType(from);
    if (!isInputObjectType(type)) return false;
    for (const field of Object.values(type.getFields())) {
      const inner = getNamedType(field.type).name;
      if (inner === name) return true;
      if (seen.has(inner)) continue;
      seen.add(inner);
      if (reaches(inner, seen)) return true;
    }
    return false;
  };
  const result = reaches(name, new Set([name]));
  known.set(name, result);
  return result;
}

/**
 * Whether a variable's type is a recursive input type: graphql-jit 0.8.9 generates its coercion code by unfolding
 * the type, without end for one that contains itself, so graphql-js runs such an operation.
 */
function hasRecursiveVariables(schema: GraphQLSchema, operation: OperationDefinitionNode): boolean {
  return (operation.variableDefinitions ?? []).some((v) => {
    let type = v.type;
    while (type.kind !== Kind.NAMED_TYPE) type = type.type;
    return isRecursiveInput(schema, type.name.value);
  });
}

/**
 * Whether the operation selects, below its root, a non-null field with a resolver of its own (a file's bytes,
 * `me`'s lists): where several such fields of a list fail, graphql-jit reports every failure and graphql-js the
 * first that nulls the list, so graphql-js runs the operation. Root fields fail alone in both.
 */
function selectsFallibleNonNull(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode) {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  const seen = new Set<string>();
  const visitSet = (set: SelectionSetNode, parent: GraphQLNamedType | null | undefined, root: boolean): boolean => {
    if (!parent) return false;
    const answering = isAbstractType(parent) ? schema.getPossibleTypes(parent) : isObjectType(parent) ? [parent] : [];
    return set.selections.some((s) => {
      if (s.kind === Kind.INLINE_FRAGMENT) {
        return visitSet(s.selectionSet, s.typeCondition ? schema.getType(s.typeCondition.name.value) : parent, root);
      }
      if (s.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(s.name.value);
        if (!fragment || seen.has(fragment.name.value)) return false;
        seen.add(fragment.name.value);
        return visitSet(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value), root);
      }
      return answering.some((type) => {
        const field = type.getFields()[s.name.value];
        if (!field) return false;
        if (!root && isNonNullType(field.type) && field.resolve) return true;
        return s.selectionSet ? visitSet(s.selectionSet, getNamedType(field.type), false) : false;
      });
    });
  };
  const rootType = operation.operation === 'query' ? schema.getQueryType() : schema.getMutationType();
  return visitSet(operation.selectionSet, rootType, true);
}

/** Whether the operation reads the schema (`__schema`, `__type`): graphql-js answers introspection. */
function introspects(document: DocumentNode, operation: OperationDefinitionNode): boolean {
  return rootFieldNames(document, operation).some((name) => name === '__schema' || name === '__type');
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
    return this.#compiled.compiled;
  }

  async execute(execution: Execution): Promise<ExecutionResult> {
    const schema = await schemaFor(this.subgraph, execution);
    const compiled = schema === this.subgraph.open ? this.#compile(execution) : undefined;
    const run = () =>
      execute({
        schema,
        document: execution.document,
        contextValue: execution.contextValue,
        variableValues: execution.variables,
        operationName: execution.operationName,
      });
    let result = compiled
      ? await compiled.query(undefined, execution.contextValue, execution.variables ?? {})
      : await run();
    // Variables that do not coerce: the compiled form answers errors without data, before any resolver runs;
    // graphql-js's own errors instead (the compiled form words them differently). Coercing them with graphql-js
    // first, on every request, coerced each of 500 representations twice.
    if (compiled && !('data' in result) && result.errors !== undefined) return translateErrors(await run());
    // A null that spread past a non-null field (a row without its key): graphql-jit reports every failed item of a
    // list where graphql-js stops at the first, so graphql-js answers. Such fields are plain reads (fields that
    // resolve on their own are not compiled, see selectsFallibleNonNull) and relations read what the compiled run
    // loaded (the request's loaders memoise every call): this costs CPU, not Profit calls.
    if (compiled && spreadNull(result)) result = await run();
    return translateErrors(result);
  }

  /** The compiled operation, or `undefined` when graphql-js must run it. */
  #compile(execution: Execution): CompiledQuery | undefined {
    if (this.#compiled.max === 0 || execution.documentKey === undefined) return undefined;
    const { document, operation } = execution;
    const key = `${execution.documentKey}\u0000${execution.operationName ?? ''}`;
    let compiled = this.#compiled.get(key);
    if (compiled === undefined) {
      const made =
        introspects(document, operation) ||
        nestsVariables(document) ||
        selectsFallibleNonNull(this.subgraph.open, document, operation) ||
        hasRecursiveVariables(this.subgraph.open, operation)
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

/** Whether an error's parent is missing from the data: a failed non-null field nulled an ancestor. */
function spreadNull(result: ExecutionResult): boolean {
  for (const error of result.errors ?? []) {
    const path = error.path ?? [];
    let at: unknown = result.data;
    for (let i = 0; i < path.length - 1; i++) {
      if (at === null || at === undefined) return true;
      at = (at as Record<string | number, unknown>)[path[i] as string | number];
    }
    if (at === null || at === undefined) return true;
  }
  return false;
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

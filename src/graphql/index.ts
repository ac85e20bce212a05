/**
 * The GraphQL side: the Federation 2 subgraph over AFAS Profit, built from the entities and write declarations a
 * model registers (the demo's src/model, or a generated src/model/<name>: the composition root, src/models.ts,
 * loads one; this core imports none).
 *
 * ```ts
 * const schema = await buildSubgraphSchema();
 * const contextValue = createRequestContext({ client }); // per request: fresh loaders
 * ```
 */
export {
  Bound,
  bindingOf,
  type CacheHint,
  Entity,
  type EntityBinding,
  entityBindings,
  type FieldBinding,
  type GeneratedClass,
  Relation,
  type RelationBinding,
} from './binding.js';
export {
  type Connection,
  DEFAULT_FIRST,
  type Edge,
  MAX_FIRST,
  PageInfo,
} from './connection.js';
export { createRequestContext, type RequestContext, releaseRequestContext, type WriteListener } from './context.js';
export { type ErrorCode, toGraphQLError, type WriteCode, type WriteContext } from './errors.js';
export { type LoaderStats, Loaders, MAX_KEYS_PER_BATCH, PROFIT_CELLS_PER_CALL, pageRowsFor } from './loaders.js';
export { DateScalar, DateTimeScalar, DecimalScalar } from './scalars.js';
export {
  buildExecutableSubgraph,
  buildSubgraphSchema,
  buildTypeGraphQLSchema,
  type ExecutableSubgraph,
  FEDERATION_LINK,
  type ModelModule,
  printSubgraphSdl,
  useModel,
} from './schema.js';
export {
  Input,
  type InputIssue,
  type InputOptions,
  type IssueRule,
  Nested,
  type NestedOptions,
  type WriteBinding,
  WriteInputError,
  type WriteOperation,
  Writes,
  type WritesOptions,
  writeBindings,
  writeResolvers,
} from './write/index.js';

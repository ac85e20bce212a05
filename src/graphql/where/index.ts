/**
 * The read side's `where` / `orderBy` compiler: plain objects in, Profit filter groups and sort keys out.
 * Imports nothing from GraphQL; the GraphQL input types produce the plain objects it reads.
 */

export { compileOrderBy } from './compile-order-by.js';
export { type CompileWhereOptions, compileWhere, DEFAULT_MAX_DEPTH, DEFAULT_MAX_GROUPS } from './compile-where.js';
export { formatPath, showValue, WhereError, type WherePath, type WhereRule } from './errors.js';
export type {
  ColumnType,
  DecimalLike,
  FieldFilter,
  FieldSpec,
  FieldSpecs,
  OrderByInput,
  ProfitDataType,
  Scalar,
  SortDirection,
  WhereInput,
} from './types.js';
export { type ConvertedValue, convertValue, type FilterOperator, OPERATORS_BY_TYPE } from './values.js';

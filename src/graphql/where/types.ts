/**
 * The plain-object shapes the `where` / `orderBy` compiler reads. The GraphQL input types (built elsewhere in
 * src/graphql/) produce values of these shapes; nothing here knows GraphQL.
 */
import type { ColumnType, ProfitDataType } from '../../profit/index.js';

/**
 * `ColumnType`: a field's declared type, Profit's metainfo data types with its `date` split into `date` (a day,
 * `YYYY-MM-DD`) and `datetime` (a moment), which metainfo does not tell apart.
 */
export type { ColumnType, ProfitDataType };

/** How one GraphQL property maps onto a GetConnector field. */
export interface FieldSpec {
  /** The GetConnector field id (`id` in `metainfo/get/{id}`), used in filters and sort keys. */
  readonly connectorField: string;
  readonly dataType: ColumnType;
  /** @default true */
  readonly filterable?: boolean;
  /** @default true */
  readonly sortable?: boolean;
}

/** GraphQL property name → spec. */
export type FieldSpecs = ReadonlyMap<string, FieldSpec>;

/** An exact decimal that is not a JS number, such as `ProfitDecimal`: its `toString()` is the decimal's text. */
export interface DecimalLike {
  toString(): string;
}

/**
 * A value to compare with. Which kinds a field accepts depends on its data type (see `convertValue`):
 * `int` takes integer numbers and bigints, `decimal` numbers, bigints, decimal strings and `DecimalLike`s,
 * `date` a day `YYYY-MM-DD`, `datetime` a `Date` or an Amsterdam-local `YYYY-MM-DD[THH:mm[:ss]]` string,
 * `boolean` booleans, `string` strings.
 */
export type Scalar = string | number | boolean | bigint | Date | DecimalLike;

/**
 * The operators on one property; several operators in one filter are ANDed. `null` is accepted by the types
 * (GraphQL inputs carry it) but refused at run time: it is never a filter (write `isEmpty: true`).
 */
export interface FieldFilter {
  readonly eq?: Scalar | null;
  readonly ne?: Scalar | null;
  readonly gt?: Scalar | null;
  readonly gte?: Scalar | null;
  readonly lt?: Scalar | null;
  readonly lte?: Scalar | null;
  readonly contains?: string | null;
  readonly notContains?: string | null;
  readonly startsWith?: string | null;
  readonly notStartsWith?: string | null;
  readonly endsWith?: string | null;
  readonly notEndsWith?: string | null;
  /** `true`: the value is empty (null); `false`: it is not. */
  readonly isEmpty?: boolean | null;
  /** Any of these values (an OR of `eq`s). Must not be empty. */
  readonly in?: readonly Scalar[] | null;
}

/**
 * Properties in one object are ANDed; `and` ANDs its items, `or` ORs them. `and` and `or` are reserved: a
 * GraphQL property with either name cannot be filtered on.
 */
export interface WhereInput {
  readonly [property: string]: FieldFilter | readonly WhereInput[] | null | undefined;
  readonly and?: readonly WhereInput[] | null;
  readonly or?: readonly WhereInput[] | null;
}

export type SortDirection = 'ASC' | 'DESC';

export interface OrderByInput {
  /** A GraphQL property name. */
  readonly field: string;
  /** @default 'ASC' */
  readonly direction?: SortDirection | null;
}

/**
 * The GetConnector query model: what a caller asks of a GetConnector, before it is encoded for Profit.
 *
 * A filter is an OR of groups; each group is an AND of conditions. This is exactly what Profit can express
 * (`;` between groups and `,` inside a group in the list form; `Filter` elements and their `Field`s in `filterjson`),
 * so every query built from these types can be sent as it is.
 */

import type { ProfitDecimal } from './decimal.js';

/** The fifteen operator types Profit documents for GetConnector filters. */
export type Operator =
  | 'eq'
  | 'gte'
  | 'lte'
  | 'gt'
  | 'lt'
  | 'contains'
  | 'ne'
  | 'isEmpty'
  | 'isNotEmpty'
  | 'startsWith'
  | 'notContains'
  | 'notStartsWith'
  | 'endsWith'
  | 'notEndsWith'
  | 'quickFilter';

/** Profit's numeric `operatortypes` value for each operator. */
export const OPERATOR_TYPE: Readonly<Record<Operator, number>> = Object.freeze({
  eq: 1,
  gte: 2,
  lte: 3,
  gt: 4,
  lt: 5,
  contains: 6,
  ne: 7,
  isEmpty: 8,
  isNotEmpty: 9,
  startsWith: 10,
  notContains: 11,
  notStartsWith: 12,
  endsWith: 13,
  notEndsWith: 14,
  quickFilter: 15,
});

/**
 * A value to filter on. Strings are sent as they are; numbers and bigints in plain decimal notation;
 * booleans as `true`/`false`; a `Date` (a true instant) as Amsterdam local time without `Z`, which is how
 * Profit reads filter values. Use a string such as `'2024-03-31'` for a calendar date. A `ProfitDecimal` (as read
 * from a row) is sent with all its digits.
 */
export type FilterValue = string | number | bigint | boolean | Date | ProfitDecimal;

export interface Condition {
  /** The GetConnector field id, as in `metainfo/get/{id}` (`id`, not `fieldId`). */
  readonly field: string;
  readonly op: Operator;
  /** Omitted for `isEmpty` / `isNotEmpty`; Profit still receives an empty value for those. */
  readonly value?: FilterValue;
}

/** Conditions that must all hold (AND). */
export type FilterGroup = readonly Condition[];

export interface SortKey {
  readonly field: string;
  readonly descending?: boolean;
}

export interface GetQuery {
  /** OR of AND-groups. Empty or absent: no filter. */
  readonly filter?: readonly FilterGroup[];
  readonly orderBy?: readonly SortKey[];
  /** @default 0 (Profit's default). `-1` with `take: -1` asks for every row, which Profit discourages. */
  readonly skip?: number;
  /** @default 100 (Profit's default). */
  readonly take?: number;
}

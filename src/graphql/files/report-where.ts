/**
 * The `where` of `report(id, where)`. A report renders the rows of the GetConnector it is declared with
 * (reports.ts); one GraphQL argument serves every report, so `ReportWhere` names fields by their GetConnector
 * field id and takes values as text, with the entity filters' operators and `and` / `or`. Each field is typed by
 * the source connector's metainfo for the caller (`fieldType`): a field the connector does not give the caller is
 * refused, and each value is read as that field's type (a date must be a date). It compiles through the same pure
 * compiler (`compileWhere`: DNF, dedup, absorption, the bound on groups), so the filter reaches Profit exactly as
 * an entity filter would, and the client refuses one that would exceed Profit's 2049-character query string.
 */
import 'reflect-metadata';
import { Field, InputType } from 'type-graphql';
import type { ColumnType, FilterGroup } from '../../profit/index.js';
import { compileWhere, type FieldSpec, WhereError, type WhereInput } from '../where/index.js';

@InputType('ReportFieldFilter', {
  description:
    "Conditions on one field of the report's source GetConnector, all of which must hold. Values are text as " +
    'Profit compares them: dates as YYYY-MM-DDTHH:mm:ss, decimals with a point.',
})
export class ReportFieldFilter {
  @Field(() => String, { description: 'The GetConnector field id (as in metainfo/get), e.g. "Department".' })
  field!: string;

  @Field(() => String, { nullable: true }) eq?: string | null;
  @Field(() => String, { nullable: true }) ne?: string | null;
  @Field(() => String, { nullable: true }) gt?: string | null;
  @Field(() => String, { nullable: true }) gte?: string | null;
  @Field(() => String, { nullable: true }) lt?: string | null;
  @Field(() => String, { nullable: true }) lte?: string | null;
  @Field(() => String, { nullable: true }) contains?: string | null;
  @Field(() => String, { nullable: true }) notContains?: string | null;
  @Field(() => String, { nullable: true }) startsWith?: string | null;
  @Field(() => String, { nullable: true }) notStartsWith?: string | null;
  @Field(() => String, { nullable: true }) endsWith?: string | null;
  @Field(() => String, { nullable: true }) notEndsWith?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'true: the field is empty; false: it is not.' })
  isEmpty?: boolean | null;

  @Field(() => [String], { nullable: true, description: 'Any of these values.' })
  in?: string[] | null;
}

@InputType('ReportWhere', {
  description: 'A filter on the rows a report renders: `fields`, `and` and `or` together must all hold.',
})
export class ReportWhere {
  @Field(() => [ReportFieldFilter], { nullable: true, description: 'Field conditions, all of which must hold.' })
  fields?: ReportFieldFilter[] | null;

  @Field(() => [ReportWhere], { nullable: true, description: 'All of these.' })
  and?: ReportWhere[] | null;

  @Field(() => [ReportWhere], { nullable: true, description: 'At least one of these.' })
  or?: ReportWhere[] | null;
}

/** Plain-object shapes of the inputs above (what `compileReportWhere` reads). */
export type ReportFieldFilterInput = Readonly<ReportFieldFilter>;
export interface ReportWhereInput {
  readonly fields?: readonly ReportFieldFilterInput[] | null;
  readonly and?: readonly ReportWhereInput[] | null;
  readonly or?: readonly ReportWhereInput[] | null;
}

const MAX_DEPTH = 32;
const RESERVED = new Set(['and', 'or']);

/** A source field's id as Profit spells it and its type; `undefined` when the caller has no such field. */
export type ReportFieldType = (field: string) => { readonly id: string; readonly dataType: ColumnType } | undefined;

const VALUE_OPERATORS = ['eq', 'ne', 'gt', 'gte', 'lt', 'lte'] as const;
const INTEGER_TEXT = /^-?\d+$/;

/**
 * A text value read as the field's type, for the compiler to check: an integer's digits become a bigint, `true` /
 * `false` a boolean; anything else stays text, which the compiler refuses for a non-text field. Decimals and
 * dates are text already (`1.50`, `2024-01-31`), as entity filters take them.
 */
function typedValue(dataType: ColumnType, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  if (dataType === 'int' && INTEGER_TEXT.test(value)) return BigInt(value);
  if (dataType === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

/**
 * `ReportWhere` → Profit filter groups. Pure. Each field condition becomes a property of the compiler's
 * `WhereInput` keyed by its field id, typed by `fieldType` (without one, every field is text); `and` / `or` keep
 * their shape. Throws `WhereError` (`unknown-field` for a field `fieldType` does not know).
 */
export function compileReportWhere(
  where: ReportWhereInput | null | undefined,
  fieldType?: ReportFieldType,
): FilterGroup[] {
  if (where === null || where === undefined) return [];
  const specs = new Map<string, FieldSpec>();
  const convert = (w: ReportWhereInput, path: readonly (string | number)[], depth: number): WhereInput => {
    if (depth > MAX_DEPTH) {
      throw new WhereError(path, 'too-deep', `\`${path.join('.')}\` nests deeper than ${MAX_DEPTH} levels`);
    }
    const items: WhereInput[] = [];
    (w.fields ?? []).forEach((filter, i) => {
      const { field, ...operators } = filter as ReportFieldFilterInput & Record<string, unknown>;
      if (typeof field !== 'string' || field.trim() === '' || RESERVED.has(field)) {
        throw new WhereError(
          [...path, 'fields', i, 'field'],
          'unknown-field',
          `\`${[...path, 'fields', i, 'field'].join('.')}\` must be a GetConnector field id, got ${JSON.stringify(field)}`,
        );
      }
      const typed = fieldType ? fieldType(field) : { id: field, dataType: 'string' as const };
      if (typed === undefined) {
        throw new WhereError(
          [...path, 'fields', i, 'field'],
          'unknown-field',
          `\`${[...path, 'fields', i, 'field'].join('.')}\` names no field of the report's source that this caller may filter on, got ${JSON.stringify(field)}`,
        );
      }
      specs.set(typed.id, { connectorField: typed.id, dataType: typed.dataType });
      const ops: Record<string, unknown> = Object.fromEntries(
        Object.entries(operators).filter(([, v]) => v !== undefined),
      );
      for (const op of VALUE_OPERATORS) if (op in ops) ops[op] = typedValue(typed.dataType, ops[op]);
      if (Array.isArray(ops.in)) ops.in = ops.in.map((v) => typedValue(typed.dataType, v));
      items.push({ [typed.id]: ops });
    });
    (w.and ?? []).forEach((item, i) => {
      items.push(convert(item, [...path, 'and', i], depth + 1));
    });
    const or =
      w.or === null || w.or === undefined ? undefined : w.or.map((o, i) => convert(o, [...path, 'or', i], depth + 1));
    return { ...(items.length > 0 ? { and: items } : {}), ...(or !== undefined ? { or } : {}) };
  };
  return compileWhere(convert(where, ['where'], 0), specs);
}

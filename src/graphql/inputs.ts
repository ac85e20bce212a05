/**
 * The `where` / `orderBy` input types. The per-scalar filters (`StringFilter`, `IntFilter`…) are written out once;
 * each entity's `XWhere`, `XOrderBy` and `XOrderField` are generated from its binding, so a new entity gets them
 * without code here. Their values are plain objects of the shapes `compileWhere` / `compileOrderBy` read.
 */
import { GraphQLBoolean, GraphQLID, GraphQLInt, type GraphQLScalarType, GraphQLString } from 'graphql';
import { Field, InputType, registerEnumType } from 'type-graphql';
import type { ColumnType } from '../profit/index.js';
import type { EntityBinding, FieldBinding, GeneratedClass } from './binding.js';
import { DateScalar, DateTimeScalar, DecimalScalar } from './scalars.js';
import { type FieldSpecs, type FilterOperator, OPERATORS_BY_TYPE } from './where/index.js';

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortDirection, { name: 'SortDirection', description: 'Ascending (default) or descending.' });

const OPERATOR_DOC: Readonly<Record<FilterOperator, string>> = {
  eq: 'Equal (text: case-insensitively, as Profit compares).',
  ne: 'Not equal.',
  gt: 'Greater than.',
  gte: 'Greater than or equal.',
  lt: 'Less than.',
  lte: 'Less than or equal.',
  contains: 'Contains the text.',
  notContains: 'Does not contain the text.',
  startsWith: 'Starts with the text.',
  notStartsWith: 'Does not start with the text.',
  endsWith: 'Ends with the text.',
  notEndsWith: 'Does not end with the text.',
  isEmpty: 'true: the value is empty (null); false: it is not.',
  in: 'Equal to any of these values (not empty).',
};

/** The filter input type names and the operators each offers (exactly those the compiler accepts for its type). */
interface FilterKind {
  readonly name: string;
  readonly scalar: GraphQLScalarType;
  readonly operators: readonly FilterOperator[];
}

function filterKind(name: string, scalar: GraphQLScalarType, dataType: ColumnType): FilterKind {
  return { name, scalar, operators: [...(OPERATORS_BY_TYPE[dataType] ?? [])] };
}

const KINDS = {
  string: filterKind('StringFilter', GraphQLString, 'string'),
  int: filterKind('IntFilter', GraphQLInt, 'int'),
  decimal: filterKind('DecimalFilter', DecimalScalar, 'decimal'),
  date: filterKind('DateFilter', DateScalar, 'date'),
  datetime: filterKind('DateTimeFilter', DateTimeScalar, 'datetime'),
  boolean: filterKind('BooleanFilter', GraphQLBoolean, 'boolean'),
  // Keys: compared like text, but the value is an ID (string or int keys alike); no pattern operators.
  id: { name: 'IDFilter', scalar: GraphQLID, operators: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in'] },
} satisfies Record<string, FilterKind>;

const filterClasses = new Map<string, GeneratedClass>();

/** A named class, so type-graphql's messages and the schema name the generated type. */
function namedClass(name: string): GeneratedClass {
  const holder = { [name]: class {} };
  return holder[name] as GeneratedClass;
}

function filterClass(kind: FilterKind): GeneratedClass {
  const existing = filterClasses.get(kind.name);
  if (existing) return existing;
  const cls = namedClass(kind.name);
  for (const op of kind.operators) {
    const type = op === 'in' ? () => [kind.scalar] : op === 'isEmpty' ? () => GraphQLBoolean : () => kind.scalar;
    Field(type, { nullable: true, description: OPERATOR_DOC[op] })(cls.prototype, op);
  }
  InputType(kind.name, { description: `Conditions on one field; several are ANDed.` })(cls);
  filterClasses.set(kind.name, cls);
  return cls;
}

function filterFor(field: FieldBinding): GeneratedClass | undefined {
  if (!field.filterable) return undefined;
  if (field.key) return filterClass(KINDS.id);
  if (field.dataType === 'blob') return undefined;
  return filterClass(KINDS[field.dataType]);
}

export interface EntityInputs {
  readonly where: GeneratedClass;
  readonly orderBy: GeneratedClass;
}

/**
 * `XWhere` (a filter per filterable field plus `and`/`or`) and `XOrderBy { field: XOrderField!, direction }`.
 * The order-field enum's values are the GraphQL property names, which `compileOrderBy` reads as they are.
 */
export function createEntityInputs(binding: EntityBinding): EntityInputs {
  const whereName = `${binding.name}Where`;
  const where = namedClass(whereName);
  for (const field of binding.fields.values()) {
    const filter = filterFor(field);
    if (filter) Field(() => filter, { nullable: true })(where.prototype, field.property);
  }
  Field(() => [where], { nullable: true, description: 'All of these hold.' })(where.prototype, 'and');
  Field(() => [where], { nullable: true, description: 'At least one of these holds.' })(where.prototype, 'or');
  InputType(whereName, {
    description: `Filters ${binding.name} rows: the fields given are ANDed; \`and\` / \`or\` combine nested filters.`,
  })(where);

  const sortable = [...binding.fields.values()].filter((f) => f.sortable);
  if (sortable.length === 0) throw new Error(`${binding.name}: no sortable field (the key must be sortable)`);
  const fieldEnum: Record<string, string> = {};
  for (const f of sortable) fieldEnum[f.property] = f.property;
  registerEnumType(fieldEnum, { name: `${binding.name}OrderField` });
  const orderName = `${binding.name}OrderBy`;
  const orderBy = namedClass(orderName);
  Field(() => fieldEnum, { nullable: false })(orderBy.prototype, 'field');
  Field(() => SortDirection, { nullable: true, defaultValue: SortDirection.ASC })(orderBy.prototype, 'direction');
  InputType(orderName, { description: `One sort key of ${binding.name} rows; the key is always appended last.` })(
    orderBy,
  );
  return { where, orderBy };
}

/** The field specs `compileWhere` / `compileOrderBy` read, from the binding. */
export function fieldSpecs(binding: EntityBinding): FieldSpecs {
  // Kept per binding: every list and relation of every request reads them. Recomputed if fields were added since.
  const known = specsOf.get(binding);
  if (known !== undefined && known.size === binding.fields.size) return known;
  const specs: FieldSpecs = new Map(
    [...binding.fields.values()].map((f) => [
      f.property,
      { connectorField: f.connectorField, dataType: f.dataType, filterable: f.filterable, sortable: f.sortable },
    ]),
  );
  specsOf.set(binding, specs);
  return specs;
}

const specsOf = new WeakMap<EntityBinding, FieldSpecs>();

const INTEGER_TEXT = /^-?\d+$/;

/**
 * IDs arrive as strings; the compiler wants integers for int keys (`SbId`), so integer text becomes a number there.
 * Other text is left for the compiler to refuse with its path. Returns a new object; the input is not changed.
 */
export function normalizeIdFilters(where: unknown, binding: EntityBinding): unknown {
  if (where === null || typeof where !== 'object') return where;
  if (Array.isArray(where)) return where.map((w) => normalizeIdFilters(w, binding));
  const out: Record<string, unknown> = {};
  for (const [property, value] of Object.entries(where)) {
    if (value === undefined) continue;
    if (property === 'and' || property === 'or') {
      out[property] = normalizeIdFilters(value, binding);
      continue;
    }
    const field = binding.fields.get(property);
    if (field?.key && field.dataType === 'int' && value !== null && typeof value === 'object') {
      const filter: Record<string, unknown> = {};
      for (const [op, v] of Object.entries(value)) {
        const toInt = (x: unknown) => (typeof x === 'string' && INTEGER_TEXT.test(x) ? Number(x) : x);
        filter[op] = Array.isArray(v) ? v.map(toInt) : toInt(v);
      }
      out[property] = filter;
    } else {
      out[property] = value;
    }
  }
  return out;
}

/**
 * The custom scalars. `Decimal` keeps Profit's exact digits (a JSON string such as `"4123.45"`, never a float);
 * `DateTime` is a true instant in ISO 8601 (Profit's Amsterdam-local `…Z` turned into one); `Date` is a day
 * (`YYYY-MM-DD`) for Profit's date-only fields, the day Profit shows, with no time or zone a client could shift.
 */
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { DateTime as Luxon } from 'luxon';
import {
  formatPlainNumber,
  fromProfitDateTime,
  instantText,
  isProfitDateTime,
  PROFIT_TIME_ZONE,
  ProfitDecimal,
  profitDay,
} from '../profit/index.js';

const DECIMAL_TEXT = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;

function decimalFromInput(value: unknown): ProfitDecimal {
  if (value instanceof ProfitDecimal) return value;
  if (typeof value === 'string' && DECIMAL_TEXT.test(value.trim())) return new ProfitDecimal(value.trim());
  if (typeof value === 'number' && Number.isFinite(value)) return ProfitDecimal.from(value);
  throw new GraphQLError(
    `Decimal must be a string of plain decimal digits such as "-1234.50", got ${JSON.stringify(value)}`,
    { extensions: { code: 'BAD_USER_INPUT' } },
  );
}

export const DecimalScalar = new GraphQLScalarType<ProfitDecimal, string>({
  name: 'Decimal',
  description:
    'An exact decimal number, as a JSON string in plain notation ("4123.45", "-0.5"): Profit\'s digits, never rounded through a float. Input: such a string (a numeric literal in a query is read by its text, so it stays exact too).',
  serialize(value) {
    if (value instanceof ProfitDecimal) return value.text;
    if (typeof value === 'number') return formatPlainNumber(value);
    if (typeof value === 'bigint') return value.toString();
    if (typeof value === 'string' && DECIMAL_TEXT.test(value)) return new ProfitDecimal(value).text;
    throw new GraphQLError(`Decimal cannot represent ${typeof value} value`);
  },
  parseValue: decimalFromInput,
  parseLiteral(ast: ValueNode) {
    // The literal's own text: `12.10` in a query stays `12.10`, no float in between.
    if (ast.kind === Kind.STRING || ast.kind === Kind.INT || ast.kind === Kind.FLOAT)
      return decimalFromInput(ast.value);
    throw new GraphQLError('Decimal must be a string such as "1234.50" or a number literal', { nodes: ast });
  },
});

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Reads an instant. A bare date (`2024-03-31`) means midnight in Amsterdam, the zone Profit keeps its dates in, so
 * `{ gte: "2024-01-01" }` selects what a Profit user would call "from 1 January". A date-time needs an explicit
 * offset or `Z`: without one it would mean different instants on different servers.
 */
export function parseDateTimeInput(value: unknown): Date {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value;
  if (typeof value === 'string') {
    const text = value.trim();
    if (DATE_ONLY.test(text)) {
      const local = Luxon.fromISO(text, { zone: PROFIT_TIME_ZONE });
      if (local.isValid) return local.toJSDate();
    } else if (INSTANT.test(text)) {
      const instant = Luxon.fromISO(text, { setZone: true });
      if (instant.isValid) return instant.toJSDate();
    }
  }
  throw new GraphQLError(
    `DateTime must be an ISO 8601 instant with an offset ("2024-03-31T09:30:00Z", "2024-03-31T11:30:00+02:00") or a date ("2024-03-31", midnight in Amsterdam), got ${JSON.stringify(value)}`,
    { extensions: { code: 'BAD_USER_INPUT' } },
  );
}

export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description:
    'An instant in ISO 8601 UTC ("2024-03-31T07:30:00.000Z"). Input also takes an offset ("…+02:00") or a bare date ("2024-03-31": midnight in Amsterdam, where Profit keeps its dates).',
  serialize(value) {
    if (value instanceof Date && !Number.isNaN(value.getTime())) return instantText(value);
    // Profit's own text (a connection with `convertDateTimes: false`): its `Z` is Amsterdam time, not UTC.
    if (typeof value === 'string' && isProfitDateTime(value)) return instantText(fromProfitDateTime(value));
    if (typeof value === 'string') return parseDateTimeInput(value).toISOString();
    throw new GraphQLError(`DateTime cannot represent ${typeof value} value`);
  },
  parseValue: parseDateTimeInput,
  parseLiteral(ast: ValueNode) {
    if (ast.kind === Kind.STRING) return parseDateTimeInput(ast.value);
    throw new GraphQLError('DateTime must be a string', { nodes: ast });
  },
});

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Reads a day: exactly `YYYY-MM-DD`, a real calendar date in the years 1–9999. Returned as that text. */
export function parseDateInput(value: unknown): string {
  if (typeof value === 'string' && DAY.test(value) && profitDay(value) !== undefined) return value;
  throw new GraphQLError(`Date must be a day YYYY-MM-DD ("2024-03-31"), got ${JSON.stringify(value)}`, {
    extensions: { code: 'BAD_USER_INPUT' },
  });
}

export const DateScalar = new GraphQLScalarType<string, string>({
  name: 'Date',
  description:
    'A day, "YYYY-MM-DD" ("1980-05-17"), as Profit shows it: no time and no zone, so it reads the same everywhere. Profit\'s date-only fields (birth dates, dates in service, project dates) use it.',
  serialize(value) {
    // The read model hands over the day already (fromProfitRow); Profit's own text is read by its date part.
    if (typeof value === 'string') {
      const day = profitDay(value);
      if (day !== undefined) return day;
    }
    // A JS Date has no day of its own: it is read in Amsterdam, where Profit keeps its dates.
    if (value instanceof Date && !Number.isNaN(value.getTime())) {
      return Luxon.fromJSDate(value, { zone: PROFIT_TIME_ZONE }).toISODate() as string;
    }
    throw new GraphQLError(`Date cannot represent ${JSON.stringify(value) ?? typeof value}`);
  },
  parseValue: parseDateInput,
  parseLiteral(ast: ValueNode) {
    if (ast.kind === Kind.STRING) return parseDateInput(ast.value);
    throw new GraphQLError('Date must be a string "YYYY-MM-DD"', { nodes: ast });
  },
});

/**
 * Filter groups for the property tests of the query encoding: values of every kind, including Profit's separators,
 * JSON punctuation, quotes and non-ASCII text, on list-safe and custom (GUID) field ids.
 */
import fc from 'fast-check';
import { hasControlCharacter } from '../../src/profit/text.js';

const value = fc.oneof(
  fc.string({ maxLength: 12 }).filter((v) => !hasControlCharacter(v)),
  fc.constantFrom('a,b', 'c;d', 'x y', 'é€', '"q"', '100%', 'a@b:c', "it's", '{[]}'),
  fc.integer({ min: -5000, max: 5000 }),
  fc.boolean(),
);

const condition = fc.record({
  field: fc.constantFrom('EmployeeId', 'Nm', 'U1A2B3C4D5E6F7A8B9C0D1E2F3A4B5C6D7', 'Ds', 'Da_begin'),
  op: fc.constantFrom('eq' as const, 'ne' as const, 'contains' as const, 'isEmpty' as const),
  value,
});

/** One OR-group: one to three conditions. */
export const filterGroup = fc.array(condition, { minLength: 1, maxLength: 3 });

/** The `Date` scalar and day values: a day `YYYY-MM-DD` in and out, in filters and in UpdateConnector bodies. */
import { GraphQLError, Kind } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DateScalar } from '../../src/graphql/index.js';
import { compileWhere, type FieldSpecs, WhereError } from '../../src/graphql/where/index.js';
import { shapeOf } from '../../src/graphql/write/binding.js';
import { toElement } from '../../src/graphql/write/element.js';
import { PersonWrite } from '../../src/model/write/person.js';
import { stringifyUpdateBody, toUpdateBody } from '../../src/profit/index.js';

describe('Date', () => {
  it('serializes a day as itself, and Profit’s midnight text as its day', () => {
    expect(DateScalar.serialize('1980-05-17')).toBe('1980-05-17');
    expect(DateScalar.serialize('2024-03-31T00:00:00Z')).toBe('2024-03-31');
  });

  it('serializes a JS Date as its day in Amsterdam, where Profit keeps its dates', () => {
    expect(DateScalar.serialize(new Date('2024-03-30T23:00:00Z'))).toBe('2024-03-31');
  });

  it('refuses to serialize what is no day', () => {
    expect(() => DateScalar.serialize('tomorrow')).toThrow(GraphQLError);
    expect(() => DateScalar.serialize(1704063600000)).toThrow(GraphQLError);
  });

  it('takes exactly YYYY-MM-DD as input and returns it unchanged', () => {
    expect(DateScalar.parseValue('2000-02-29')).toBe('2000-02-29');
    expect(DateScalar.parseLiteral({ kind: Kind.STRING, value: '1970-01-01' }, {})).toBe('1970-01-01');
  });

  it.each(['2023-02-29', '2024-03-31T00:00:00Z', '2024-3-1', ' 2024-03-01', '0000-01-01'])(
    'refuses %j with BAD_USER_INPUT and the expected format',
    (value) => {
      let error: unknown;
      try {
        DateScalar.parseValue(value);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(GraphQLError);
      expect((error as GraphQLError).extensions.code).toBe('BAD_USER_INPUT');
      expect((error as GraphQLError).message).toContain('YYYY-MM-DD');
    },
  );

  it('refuses a number literal', () => {
    expect(() => DateScalar.parseLiteral({ kind: Kind.INT, value: '20240331' }, {})).toThrow(GraphQLError);
  });
});

describe('filters on day fields', () => {
  const fields: FieldSpecs = new Map([
    ['birthDate', { connectorField: 'DateBirth', dataType: 'date' }],
    ['modifiedAt', { connectorField: 'ModifiedDate', dataType: 'datetime' }],
  ]);

  it("sends a day as its midnight without a zone, the form of AFAS's own day filters", () => {
    expect(compileWhere({ birthDate: { lt: '1970-01-01' } }, fields)).toEqual([
      [{ field: 'DateBirth', op: 'lt', value: '1970-01-01T00:00:00' }],
    ]);
  });

  it('refuses a time or an instant on a day field, naming the format', () => {
    for (const value of ['1970-01-01T12:00', new Date('1970-01-01T00:00:00Z')]) {
      const run = () => compileWhere({ birthDate: { eq: value } }, fields);
      expect(run).toThrow(WhereError);
      expect(run).toThrow(/must be a day YYYY-MM-DD/);
    }
  });

  it('still takes instants and Amsterdam-local date-times on datetime fields', () => {
    const when = new Date('2024-03-31T01:00:00Z');
    expect(compileWhere({ modifiedAt: { gte: when, lt: '2024-04-01' } }, fields)).toEqual([
      [
        { field: 'ModifiedDate', op: 'gte', value: when },
        { field: 'ModifiedDate', op: 'lt', value: '2024-04-01' },
      ],
    ]);
  });
});

describe('writing a day', () => {
  it('sends a birth date to KnPerson as the day itself, with no time or zone to shift it', () => {
    const element = toElement({ lastName: 'Visser', dateOfBirth: '1990-05-17' }, shapeOf(PersonWrite), 'create');
    expect(stringifyUpdateBody(toUpdateBody('KnPerson', element))).toContain('"DaBi":"1990-05-17"');
  });
});

import { describe, expect, it } from 'vitest';
import {
  deletePath,
  ProfitDecimal,
  ProfitError,
  parseUpdateResult,
  stringifyUpdateBody,
  toUpdateBody,
} from '../../src/profit/index.js';

describe('toUpdateBody', () => {
  it('builds the documented KnSubject shape with keys, fields and a sub-object', () => {
    const body = toUpdateBody('KnSubject', {
      keys: { SbId: 1 },
      fields: { StId: 1, Ds: 'Onderwerp' },
      objects: { KnSubjectLink: { fields: { DoCRM: true, ToBC: true, BcId: 12345 } } },
    });
    expect(body).toEqual({
      KnSubject: {
        Element: {
          '@SbId': 1,
          Fields: { StId: 1, Ds: 'Onderwerp' },
          Objects: [{ KnSubjectLink: { Element: { Fields: { DoCRM: true, ToBC: true, BcId: 12345 } } } }],
        },
      },
    });
  });

  it('sends several records as an Element array and one as an object', () => {
    const many = toUpdateBody('KnAddress', [{ fields: { Ad: 'A' } }, { fields: { Ad: 'B' } }]);
    expect(Array.isArray(many.KnAddress?.Element)).toBe(true);
    const one = toUpdateBody('KnAddress', [{ fields: { Ad: 'A' } }]);
    expect(one.KnAddress?.Element).toEqual({ Fields: { Ad: 'A' } });
  });

  it('puts @Action first in the Fields of sub-objects', () => {
    const body = toUpdateBody('AfasEmployee', {
      keys: { EmId: '1234568774' },
      action: 'update',
      objects: {
        AfasBankInfo: [
          { keys: { AcId: 'NL57', NoBk: false }, action: 'update', fields: { SeNo: 3 } },
          { keys: { AcId: 'NL40', NoBk: false }, action: 'insert', fields: { SaAc: true } },
        ],
      },
    });
    const el = body.AfasEmployee?.Element as Record<string, unknown>;
    expect(el.Fields).toEqual({ '@Action': 'update' });
    const sub = (el.Objects as Record<string, { Element: Record<string, unknown>[] }>[])[0]?.AfasBankInfo?.Element;
    expect(sub?.[0]).toEqual({ '@AcId': 'NL57', '@NoBk': false, Fields: { '@Action': 'update', SeNo: 3 } });
    expect(Object.keys((sub?.[1]?.Fields ?? {}) as object)[0]).toBe('@Action');
  });

  it('omits undefined fields, keeps "" (clears a field) and null, and writes Dates as Amsterdam local time', () => {
    const body = toUpdateBody('HrAbsenceID', {
      fields: { Id: 5, Ds: '', X: undefined, Y: null, DaBe: new Date('2024-07-01T06:00:00Z') },
    });
    expect(body.HrAbsenceID?.Element).toEqual({ Fields: { Id: 5, Ds: '', Y: null, DaBe: '2024-07-01T08:00:00' } });
  });

  it('serialises ProfitDecimal and bigint as exact JSON numbers', () => {
    const body = toUpdateBody('FiEntries', {
      fields: { AmDe: new ProfitDecimal('12345678901234567.89'), Big: 12345678901234567890n, Ds: 'a "q"' },
    });
    expect(stringifyUpdateBody(body)).toBe(
      '{"FiEntries":{"Element":{"Fields":{"AmDe":12345678901234567.89,"Big":12345678901234567890,"Ds":"a \\"q\\""}}}}',
    );
  });

  it('refuses names that are not Profit names and an empty element list', () => {
    expect(() => toUpdateBody('Kn Subject', {})).toThrow(ProfitError);
    expect(() => toUpdateBody('KnSubject', { fields: { '@Action': 'x' } })).toThrow(ProfitError);
    expect(() => toUpdateBody('KnSubject', [])).toThrow(ProfitError);
  });
});

describe('deletePath', () => {
  it('builds the single-key form', () => {
    expect(deletePath('KnSubject', { SbId: 54286 })).toBe('/connectors/KnSubject/KnSubject/@SbId/54286');
  });

  it('builds the multi-key form', () => {
    expect(deletePath('HrAbsenceID', { Id: 5, EmId: 'E 1/2' })).toBe(
      '/connectors/HrAbsenceID/HrAbsenceID/@Id,@EmId/5,E%201%2F2',
    );
  });

  it('builds nested levels, with bare key names where the endpoint wants them', () => {
    expect(
      deletePath('FiEntries', [
        { object: 'FiEntryPar', keys: { UnId: 1, JoCo: '73' }, atPrefix: false },
        { object: 'FiEntries', keys: { EnNo: 70001 } },
      ]),
    ).toBe('/connectors/FiEntries/FiEntryPar/UnId,JoCo/1,73/FiEntries/@EnNo/70001');
  });

  it('refuses a "," in a key value, which Profit would read as another key', () => {
    expect(() => deletePath('HrAbsenceID', { Id: '1,2', EmId: 'E1' })).toThrow(/key separator/);
  });

  it('refuses empty key values and no keys at all', () => {
    expect(() => deletePath('KnSubject', { SbId: '' })).toThrow(ProfitError);
    expect(() => deletePath('KnSubject', {})).toThrow(ProfitError);
  });
});

describe('parseUpdateResult', () => {
  it('reads the new primary key of a 201', () => {
    expect(parseUpdateResult({ results: { KnSubject: { SbId: '999999' } } })).toEqual({
      results: { KnSubject: { SbId: '999999' } },
    });
  });

  it('reads an empty body or one without results as no results', () => {
    expect(parseUpdateResult(undefined)).toEqual({ results: {} });
    expect(parseUpdateResult({})).toEqual({ results: {} });
  });

  it('rejects an unexpected shape', () => {
    expect(parseUpdateResult([1])).toBeUndefined();
    expect(parseUpdateResult({ results: 'x' })).toBeUndefined();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/server.js';
import { call, enc, get, ids, PORTAL, startFixtureEmulator } from './helpers.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startFixtureEmulator();
});
afterAll(() => emu.close());

/** Rows of Fx_People for one list-form condition. */
async function where(field: string, op: number, value: string, extra = '&orderbyfieldids=Id'): Promise<number[]> {
  const r = await get(
    emu,
    'Fx_People',
    `?filterfieldids=${field}&filtervalues=${enc(value)}&operatortypes=${op}${extra}`,
  );
  expect(r.status, r.text).toBe(200);
  return ids(r);
}

function expectUnexpectedError(r: { status: number; json: unknown }) {
  expect(r.status).toBe(500);
  expect(r.json).toMatchObject({ externalMessage: 'An unexpected error has occurred.', errorNumber: -2147180999 });
  expect((r.json as { profitLogReference: string }).profitLogReference).toMatch(/^[0-9A-F]{32}$/);
}

describe('rows', () => {
  it('answers one line of JSON with skip, take and rows, echoing the defaults 0 and 100', async () => {
    const r = await get(emu, 'Fx_People');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(r.text).not.toContain('\n');
    expect(r.text.startsWith('{"skip":0,"take":100,"rows":[')).toBe(true);
    expect(ids(r)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('writes decimals from their exact text, including -0.5 and more digits than a double holds', async () => {
    const r = await get(emu, 'Fx_People');
    expect(r.text).toContain('"Amount":10.50');
    expect(r.text).toContain('"Amount":-0.5');
    expect(r.text).toContain('"Amount":12345678901234567.89');
  });

  it('writes datetimes as Amsterdam local time with the misleading Z, and dates at midnight', async () => {
    const r = await get(emu, 'Fx_People', '?filterfieldids=Id&filtervalues=1&operatortypes=1');
    expect(r.json.rows[0].Changed).toBe('2024-03-31T10:00:00Z');
    expect(r.json.rows[0].Born).toBe('1980-01-15T00:00:00Z');
  });

  it('writes empty strings and missing values as null', async () => {
    const r = await get(emu, 'Fx_People', '?filterfieldids=Id&filtervalues=2&operatortypes=1');
    expect(r.json.rows[0].Memo).toBeNull();
  });

  it('gives each field in metainfo order and only the fields the app connector may see', async () => {
    const admin = await get(emu, 'Fx_People', '?take=1');
    expect(Object.keys(admin.json.rows[0])).toEqual([
      'Id',
      'Name',
      'Amount',
      'Active',
      'Born',
      'Changed',
      'Memo',
      'Secret',
    ]);
    const portal = await get(emu, 'Fx_People', '?take=1', PORTAL);
    expect(Object.keys(portal.json.rows[0])).toEqual(['Id', 'Name', 'Amount', 'Active', 'Born', 'Changed', 'Memo']);
  });

  it('treats a withheld field as unknown in filters and ordering', async () => {
    const r = await get(emu, 'Fx_People', '?orderbyfieldids=Secret', PORTAL);
    expect(r.status).toBe(500);
    expect(r.json.externalMessage).toBe("Connector field 'Secret' not found");
  });

  it('answers a connector the app connector does not grant with "GetConnector not supported"', async () => {
    for (const id of ['Fx_Codes', 'Does_Not_Exist']) {
      const r = await get(emu, id, '', PORTAL);
      expect(r.status).toBe(500);
      expect(r.json.externalMessage).toBe('GetConnector not supported for this app or the user is not authorized');
    }
  });

  it('accepts the path in any case', async () => {
    const r = await call(emu, 'GET', '/CONNECTORS/fx_people?take=1', { base: `${emu.url}/profitrestservices` });
    expect(r.status).toBe(200);
    expect(r.json.rows).toHaveLength(1);
  });
});

describe('paging', () => {
  it('applies skip and take and echoes them', async () => {
    const r = await get(emu, 'Fx_People', '?skip=2&take=3&orderbyfieldids=Id');
    expect(r.json.skip).toBe(2);
    expect(r.json.take).toBe(3);
    expect(ids(r)).toEqual([3, 4, 5]);
  });

  it('returns every row for skip=-1&take=-1 and echoes -1', async () => {
    const r = await get(emu, 'Fx_People', '?skip=-1&take=-1');
    expect(r.json).toMatchObject({ skip: -1, take: -1 });
    expect(ids(r)).toHaveLength(6);
  });

  it('answers take=0 with no rows', async () => {
    const r = await get(emu, 'Fx_People', '?take=0');
    expect(r.json.rows).toEqual([]);
  });

  it.each([
    '?skip=2&take=-1',
    '?skip=-1&take=10',
    '?skip=-1',
    '?take=-1',
    '?skip=-5&take=-5',
    '?skip=abc',
    '?take=1.5',
    '?take=',
    '?take=99999999999',
  ])('answers the invalid paging %s with "An unexpected error has occurred."', async (query) => {
    expectUnexpectedError(await get(emu, 'Fx_People', query));
  });
});

describe('query string length', () => {
  function queryOfLength(n: number): string {
    const prefix = '?take=100&orderbyfieldids=Id&x=';
    return prefix + 'a'.repeat(n - prefix.length);
  }

  it('accepts a query string of exactly 2049 characters', async () => {
    const q = queryOfLength(2049);
    expect(q).toHaveLength(2049);
    const r = await get(emu, 'Fx_People', q);
    expect(r.status).toBe(200);
  });

  it('answers a bare 404 to a query string of 2050 characters', async () => {
    const r = await get(emu, 'Fx_People', queryOfLength(2050));
    expect(r.status).toBe(404);
    expect(r.text).toBe('');
  });

  it('counts the query string as sent, percent-encoding included', async () => {
    const value = '%2C'.repeat(700);
    const q = `?filterfieldids=Name&operatortypes=6&filtervalues=${value}`;
    expect(q.length).toBeGreaterThan(2049);
    expect((await get(emu, 'Fx_People', q)).status).toBe(404);
  });
});

describe('operators', () => {
  it('1 is equal to, case-insensitively for strings', async () => {
    expect(await where('Name', 1, 'SMITH')).toEqual([1, 3]);
    expect(await where('Id', 1, '3')).toEqual([3]);
  });

  it('2 is greater than or equal to', async () => {
    expect(await where('Id', 2, '5')).toEqual([5, 6]);
  });

  it('3 is less than or equal to', async () => {
    expect(await where('Id', 3, '2')).toEqual([1, 2]);
  });

  it('4 is greater than', async () => {
    expect(await where('Amount', 4, '0.1')).toEqual([1, 4, 6]);
  });

  it('5 is less than', async () => {
    expect(await where('Amount', 5, '0.2')).toEqual([2, 3]);
  });

  it('6 contains, case-insensitively, with % taken literally', async () => {
    expect(await where('Name', 6, 'MIT')).toEqual([1, 2, 3]);
    expect(await where('Memo', 6, '50%')).toEqual([4]);
  });

  it('7 is not equal to, never matching null', async () => {
    expect(await where('Active', 7, 'true')).toEqual([2, 4]);
  });

  it('8 is empty: null or the empty string, with an empty value', async () => {
    expect(await where('Memo', 8, '')).toEqual([1, 2, 6]);
  });

  it('9 is not empty', async () => {
    expect(await where('Memo', 9, '')).toEqual([3, 4, 5]);
  });

  it('10 starts with', async () => {
    expect(await where('Name', 10, 'sm')).toEqual([1, 2, 3]);
  });

  it('11 does not contain', async () => {
    expect(await where('Memo', 11, 'note')).toEqual([2, 4]);
  });

  it('12 does not start with', async () => {
    expect(await where('Name', 12, 'smith')).toEqual([4, 5, 6]);
  });

  it('13 ends with', async () => {
    expect(await where('Name', 13, 'JOHN')).toEqual([2]);
  });

  it('14 does not end with', async () => {
    expect(await where('Name', 14, 'h')).toEqual([2, 4, 5]);
  });

  it('15 quick filter finds the text anywhere in the field', async () => {
    expect(await where('Name', 15, 'vries')).toEqual([5]);
  });

  it('distinguishes accents (SQL Server CI_AS)', async () => {
    expect(await where('Name', 1, 'Edith')).toEqual([]);
    expect(await where('Name', 1, 'édith')).toEqual([6]);
  });

  it('compares decimals exactly, beyond double precision', async () => {
    expect(await where('Amount', 1, '12345678901234567.89')).toEqual([4]);
    expect(await where('Amount', 4, '12345678901234567.88')).toEqual([4]);
    expect(await where('Amount', 1, '10.5')).toEqual([1]);
  });

  it('reads booleans as true/false or 1/0', async () => {
    expect(await where('Active', 1, '1')).toEqual([1, 3, 6]);
    expect(await where('Active', 1, 'False')).toEqual([2, 4]);
  });

  it('reads date filter values as Amsterdam local time without Z, and ignores a trailing Z', async () => {
    expect(await where('Changed', 1, '2024-03-31T10:00:00')).toEqual([1, 6]);
    expect(await where('Changed', 1, '2024-03-31T10:00:00Z')).toEqual([1, 6]);
    expect(await where('Changed', 2, '2024-03-31')).toEqual([1, 2, 3, 6]);
    expect(await where('Born', 1, '1980-01-15')).toEqual([1, 6]);
    expect(await where('Changed', 5, '2024-01-01')).toEqual([5]);
  });

  it('answers a value that does not fit the field type with an unexpected error', async () => {
    for (const [field, value] of [
      ['Id', 'abc'],
      ['Active', 'yes'],
      ['Born', '31-03-2024'],
      ['Born', '2024-02-30'],
    ]) {
      const r = await get(
        emu,
        'Fx_People',
        `?filterfieldids=${field}&filtervalues=${enc(value ?? '')}&operatortypes=1`,
      );
      expectUnexpectedError(r);
    }
  });

  it('answers an operator type outside 1–15 with an unexpected error', async () => {
    expectUnexpectedError(await get(emu, 'Fx_People', '?filterfieldids=Id&filtervalues=1&operatortypes=16'));
    expectUnexpectedError(await get(emu, 'Fx_People', '?filterfieldids=Id&filtervalues=1&operatortypes=x'));
  });
});

describe('list-form filters', () => {
  it('joins conditions with "," as AND', async () => {
    const r = await get(
      emu,
      'Fx_People',
      '?filterfieldids=Name,Active&filtervalues=smith,true&operatortypes=1,1&orderbyfieldids=Id',
    );
    expect(ids(r)).toEqual([1, 3]);
    const r2 = await get(emu, 'Fx_People', '?filterfieldids=Name,Id&filtervalues=smith,3&operatortypes=1,1');
    expect(ids(r2)).toEqual([3]);
  });

  it('starts an OR group with ";"', async () => {
    const r = await get(
      emu,
      'Fx_People',
      '?filterfieldids=Id;Id&filtervalues=2;5&operatortypes=1;1&orderbyfieldids=Id',
    );
    expect(ids(r)).toEqual([2, 5]);
  });

  it('combines AND inside OR groups', async () => {
    const r = await get(
      emu,
      'Fx_People',
      `?filterfieldids=${enc('Name,Active;Id')}&filtervalues=${enc('smith,false;6')}&operatortypes=${enc('6,1;1')}&orderbyfieldids=Id`,
    );
    expect(ids(r)).toEqual([2, 6]);
  });

  it('splits a value containing "," into another condition, as Profit does (so "Smith, John" becomes "Smith")', async () => {
    // The client meant Name = 'Smith, John' (row 2); Profit reads Name = 'Smith' and ignores ' John'.
    expect(await where('Name', 1, 'Smith, John')).toEqual([1, 3]);
  });

  it('splits a value containing ";" into another OR group', async () => {
    const r = await get(emu, 'Fx_People', `?filterfieldids=Name&filtervalues=${enc('Jansen;x')}&operatortypes=1`);
    expect(ids(r)).toEqual([4]);
  });

  it('decodes percent-encoded separators before splitting', async () => {
    const r = await get(
      emu,
      'Fx_People',
      '?filterfieldids=Id%3BId&filtervalues=1%3B4&operatortypes=1%3B1&orderbyfieldids=Id',
    );
    expect(ids(r)).toEqual([1, 4]);
  });

  it('answers lists that lack a value or operator for a field with an unexpected error', async () => {
    expectUnexpectedError(await get(emu, 'Fx_People', '?filterfieldids=Id,Name&filtervalues=1&operatortypes=1,1'));
    expectUnexpectedError(await get(emu, 'Fx_People', '?filterfieldids=Id;Name&filtervalues=1;x&operatortypes=1'));
    expectUnexpectedError(await get(emu, 'Fx_People', '?filterfieldids=Id&filtervalues=1'));
  });

  it('answers an unknown filter field with "Connector field \'X\' not found"', async () => {
    const r = await get(emu, 'Fx_People', '?filterfieldids=Nope&filtervalues=1&operatortypes=1');
    expect(r.status).toBe(500);
    expect(r.json.externalMessage).toBe("Connector field 'Nope' not found");
  });

  it('matches field ids exactly, so a wrongly cased id is not found', async () => {
    const r = await get(emu, 'Fx_People', '?filterfieldids=name&filtervalues=x&operatortypes=1');
    expect(r.json.externalMessage).toBe("Connector field 'name' not found");
  });

  it('accepts parameter names in any case', async () => {
    const r = await get(emu, 'Fx_People', '?FilterFieldIds=Id&FilterValues=4&OperatorTypes=1&Take=5');
    expect(ids(r)).toEqual([4]);
    expect(r.json.take).toBe(5);
  });
});

describe('filterjson', () => {
  const filterjson = (value: unknown) => `?filterjson=${enc(JSON.stringify(value))}&orderbyfieldids=Id`;

  it('ANDs the fields of one Filter and ORs the Filters', async () => {
    const r = await get(
      emu,
      'Fx_People',
      filterjson({
        Filters: {
          Filter: [
            {
              '@FilterId': 'Filter 1',
              Field: [
                { '@FieldId': 'Name', '@OperatorType': '1', '#text': 'smith' },
                { '@FieldId': 'Active', '@OperatorType': '1', '#text': 'true' },
              ],
            },
            { '@FilterId': 'Filter 2', Field: [{ '@FieldId': 'Id', '@OperatorType': '1', '#text': '5' }] },
          ],
        },
      }),
    );
    expect(r.status, r.text).toBe(200);
    expect(ids(r)).toEqual([1, 3, 5]);
  });

  it('keeps "," and ";" inside a value as text', async () => {
    const r = await get(
      emu,
      'Fx_People',
      filterjson({
        Filters: { Filter: [{ Field: [{ '@FieldId': 'Name', '@OperatorType': '1', '#text': 'Smith, John' }] }] },
      }),
    );
    expect(ids(r)).toEqual([2]);
  });

  it('accepts a single Filter and a single Field instead of arrays, and numeric operator types and values', async () => {
    const r = await get(
      emu,
      'Fx_People',
      filterjson({ Filters: { Filter: { Field: { '@FieldId': 'Id', '@OperatorType': 4, '#text': 4 } } } }),
    );
    expect(ids(r)).toEqual([5, 6]);
  });

  it('takes a missing #text as the empty value for "is empty"', async () => {
    const r = await get(
      emu,
      'Fx_People',
      filterjson({ Filters: { Filter: { Field: { '@FieldId': 'Memo', '@OperatorType': '8' } } } }),
    );
    expect(ids(r)).toEqual([1, 2, 6]);
  });

  it('reads numbers in filterjson without losing digits', async () => {
    const json =
      '{"Filters":{"Filter":{"Field":{"@FieldId":"Amount","@OperatorType":"1","#text":12345678901234567.89}}}}';
    const r = await get(emu, 'Fx_People', `?filterjson=${enc(json)}`);
    expect(ids(r)).toEqual([4]);
  });

  it('answers malformed filterjson with an unexpected error', async () => {
    expectUnexpectedError(await get(emu, 'Fx_People', `?filterjson=${enc('{"Filters":')}`));
    expectUnexpectedError(await get(emu, 'Fx_People', `?filterjson=${enc('{"Filter":[]}')}`));
  });

  it('answers an unknown field in filterjson with "Connector field \'X\' not found"', async () => {
    const r = await get(
      emu,
      'Fx_People',
      filterjson({ Filters: { Filter: { Field: { '@FieldId': 'Nope', '@OperatorType': '1', '#text': '1' } } } }),
    );
    expect(r.json.externalMessage).toBe("Connector field 'Nope' not found");
  });

  it('refuses filterjson together with the list form', async () => {
    const r = await get(
      emu,
      'Fx_People',
      `${filterjson({ Filters: { Filter: [] } })}&filterfieldids=Id&filtervalues=1&operatortypes=1`,
    );
    expectUnexpectedError(r);
  });
});

describe('ordering', () => {
  it('sorts ascending by default and descending with a leading "-"', async () => {
    expect(ids(await get(emu, 'Fx_People', '?orderbyfieldids=-Id'))).toEqual([6, 5, 4, 3, 2, 1]);
  });

  it('sorts by several fields, stably', async () => {
    const r = await get(emu, 'Fx_People', `?orderbyfieldids=${enc('Born,-Id')}`);
    // Born: null(4), 1975(3), 1980(1,6 → -Id: 6,1), 1990(2), 2000(5)
    expect(ids(r)).toEqual([4, 3, 6, 1, 2, 5]);
  });

  it('puts nulls first ascending and last descending', async () => {
    expect(ids(await get(emu, 'Fx_People', '?orderbyfieldids=Amount'))).toEqual([5, 2, 3, 6, 1, 4]);
    expect(ids(await get(emu, 'Fx_People', '?orderbyfieldids=-Amount'))).toEqual([4, 1, 6, 3, 2, 5]);
  });

  it('sorts strings case-insensitively, keeping storage order for equal keys', async () => {
    expect(ids(await get(emu, 'Fx_People', '?orderbyfieldids=Name')).slice(0, 4)).toEqual([5, 6, 4, 1]);
  });

  it('answers an unknown order field with "Connector field \'X\' not found"', async () => {
    const r = await get(emu, 'Fx_People', '?orderbyfieldids=Id,-Nope');
    expect(r.status).toBe(500);
    expect(r.json.externalMessage).toBe("Connector field 'Nope' not found");
  });

  it('orders before paging', async () => {
    expect(ids(await get(emu, 'Fx_People', '?orderbyfieldids=-Id&skip=1&take=2'))).toEqual([5, 4]);
  });
});

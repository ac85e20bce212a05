import { isLosslessNumber, parse as parseLossless, stringify } from 'lossless-json';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/server.js';
import { parseBody } from '../../src/emulator/update-connector.js';
import { ADMIN, call, get, ids, PORTAL, startFixtureEmulator } from './helpers.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startFixtureEmulator({ maxBodyBytes: 64 * 1024 });
});
afterEach(() => emu.reset());
afterAll(() => emu.close());

const person = (fields: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  FxPerson: { Element: { Fields: fields, ...extra } },
});

async function rowsOf(id: number) {
  const r = await get(emu, 'Fx_People', `?filterfieldids=Id&filtervalues=${id}&operatortypes=1`);
  return r.json.rows as Record<string, unknown>[];
}

function expectRejection(r: { status: number; json: unknown }, message: string) {
  expect(r.status).toBe(500);
  expect(r.json).toMatchObject({ externalMessage: message, errorNumber: -2147220469 });
  expect((r.json as { profitLogReference: string }).profitLogReference).toMatch(/^[0-9A-F]{32}$/);
}

describe('POST', () => {
  it('inserts a record and answers 201 with the new key under the connector id', async () => {
    const r = await call(emu, 'POST', '/connectors/FxPerson', {
      body: person({ Nm: 'Bakker', Amt: 12.5, Act: '1', Dob: '1999-12-31', Kind: 'A', Qty: 3 }),
    });
    expect(r.status, r.text).toBe(201);
    expect(r.json).toEqual({ results: { FxPerson: { PeId: '7' } } });
    const [row] = await rowsOf(7);
    expect(row).toMatchObject({ Name: 'Bakker', Amount: 12.5, Active: true, Born: '1999-12-31T00:00:00Z' });
  });

  it('keeps every digit of a decimal sent as a JSON number', async () => {
    const r = await call(emu, 'POST', '/connectors/FxPerson', {
      body: '{"FxPerson":{"Element":{"Fields":{"Nm":"Exact","Amt":98765432109876543.21}}}}',
    });
    expect(r.status).toBe(201);
    const g = await get(emu, 'Fx_People', '?filterfieldids=Id&filtervalues=7&operatortypes=1');
    expect(g.text).toContain('"Amount":98765432109876543.21');
  });

  it('inserts several records from an Element array in one call', async () => {
    const r = await call(emu, 'POST', '/connectors/FxPerson', {
      body: { FxPerson: { Element: [{ Fields: { Nm: 'One' } }, { Fields: { Nm: 'Two' } }] } },
    });
    expect(r.json).toEqual({ results: { FxPerson: { PeId: '8' } } });
    expect(ids(await get(emu, 'Fx_People', '?orderbyfieldids=Id'))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('accepts Objects as an array of one-key objects and as a map of objects', async () => {
    const asArray = person(
      { Nm: 'Nested' },
      {
        Objects: [
          {
            FxAddress: {
              Element: { Fields: { Street: 'Main 1' }, Objects: [{ FxNote: { Element: { Fields: { Text: 'n' } } } }] },
            },
          },
        ],
      },
    );
    expect((await call(emu, 'POST', '/connectors/FxPerson', { body: asArray })).status).toBe(201);
    const asMap = person(
      { Nm: 'Nested' },
      { Objects: { FxAddress: { Element: [{ Fields: { Street: 'A' } }, { Fields: { Street: 'B' } }] } } },
    );
    expect((await call(emu, 'POST', '/connectors/FxPerson', { body: asMap })).status).toBe(201);
  });

  it('inserts a sub-object through the sub-object URL, treating the main element as existing', async () => {
    const r = await call(emu, 'POST', '/connectors/FxPerson/FxAddress', {
      body: {
        FxPerson: {
          Element: { '@PeId': 1, Objects: [{ FxAddress: { Element: { Fields: { Street: 'Dorpsstraat 1' } } } }] },
        },
      },
    });
    expect(r.status, r.text).toBe(201);
    expect(r.json).toEqual({ results: { FxPerson: { PeId: '1' } } });
  });

  it('answers an unknown sub-object URL with a rejection', async () => {
    const r = await call(emu, 'POST', '/connectors/FxPerson/FxNope', { body: person({ Nm: 'x' }) });
    expectRejection(r, "Object 'FxNope' does not exist in 'FxPerson'.");
  });
});

describe('PUT', () => {
  it('updates only the fields sent, identified by the @-key', async () => {
    const r = await call(emu, 'PUT', '/connectors/FxPerson', {
      body: { FxPerson: { Element: { '@PeId': 3, Fields: { Amt: '1.25' } } } },
    });
    expect(r.status, r.text).toBe(201);
    const [row] = await rowsOf(3);
    expect(row).toMatchObject({ Name: 'smith', Amount: 1.25 });
  });

  it('clears a field sent as ""', async () => {
    await call(emu, 'PUT', '/connectors/FxPerson', {
      body: { FxPerson: { Element: { '@PeId': 1, Fields: { Amt: '' } } } },
    });
    const [row] = await rowsOf(1);
    expect(row?.Amount).toBeNull();
  });

  it('does not require mandatory fields that are not sent, but refuses to clear one', async () => {
    const ok = await call(emu, 'PUT', '/connectors/FxPerson', {
      body: { FxPerson: { Element: { '@PeId': 1, Fields: { Act: false } } } },
    });
    expect(ok.status).toBe(201);
    const cleared = await call(emu, 'PUT', '/connectors/FxPerson', {
      body: { FxPerson: { Element: { '@PeId': 1, Fields: { Nm: '' } } } },
    });
    expectRejection(cleared, "Field 'Name' is mandatory.");
  });
});

describe('validation against the update metainfo', () => {
  it.each([
    ['an unknown field', { Nm: 'x', Bogus: 1 }, "Field 'Bogus' does not exist in object 'FxPerson'."],
    ['a missing mandatory field on insert', { Amt: 1 }, "Field 'Name' is mandatory."],
    ['an empty mandatory field on insert', { Nm: '' }, "Field 'Name' is mandatory."],
    [
      'a string over its length',
      { Nm: 'x'.repeat(21) },
      "The value for 'Name' is too long: 21 characters, at most 20 allowed.",
    ],
    ['a non-integer for an int', { Nm: 'x', Qty: 1.5 }, "The value '1.5' for 'Quantity' is not a valid whole number."],
    ['text for an int', { Nm: 'x', Qty: 'three' }, "The value 'three' for 'Quantity' is not a valid whole number."],
    ['too many decimals', { Nm: 'x', Amt: '1.234' }, "The value '1.234' for 'Amount' has more than 2 decimals."],
    ['a non-number for a decimal', { Nm: 'x', Amt: '1,5' }, "The value '1,5' for 'Amount' is not a valid number."],
    ['a non-boolean', { Nm: 'x', Act: 'yes' }, "The value 'yes' for 'Active' is not a valid boolean (true or false)."],
    [
      'a malformed date',
      { Nm: 'x', Dob: '31-12-1999' },
      "The value '31-12-1999' for 'Date of birth' is not a valid date.",
    ],
    [
      'an impossible date',
      { Nm: 'x', Dob: '2023-02-29' },
      "The value '2023-02-29' for 'Date of birth' is not a valid date.",
    ],
    ['a value outside the enumeration', { Nm: 'x', Kind: 'C' }, "The entered value for 'Kind' does not exist."],
    ['zero for a notzero field', { Nm: 'x', Qty: 0 }, "The value for 'Quantity' may not be 0."],
    [
      'an invalid @Action',
      { Nm: 'x', '@Action': 'upsert' },
      "The value 'upsert' for '@Action' is not valid: use insert, update or delete.",
    ],
  ])('rejects %s', async (_name, fields, message) => {
    const r = await call(emu, 'POST', '/connectors/FxPerson', { body: person(fields) });
    expectRejection(r, message);
  });

  it('checks mandatory fields of nested objects that are inserted', async () => {
    const r = await call(emu, 'POST', '/connectors/FxPerson', {
      body: person({ Nm: 'x' }, { Objects: [{ FxAddress: { Element: { Fields: { Ctry: 'NL' } } } }] }),
    });
    expectRejection(r, "Field 'Street' is mandatory.");
  });

  it('rejects an unknown nested object', async () => {
    const r = await call(emu, 'POST', '/connectors/FxPerson', {
      body: person({ Nm: 'x' }, { Objects: [{ FxNope: { Element: {} } }] }),
    });
    expectRejection(r, "Object 'FxNope' does not exist in object 'FxPerson'.");
  });

  it('rejects a body whose root is not the connector', async () => {
    const r = await call(emu, 'POST', '/connectors/FxPerson', {
      body: { KnPerson: { Element: { Fields: { Nm: 'x' } } } },
    });
    expectRejection(r, "The request does not contain an object 'FxPerson'.");
  });

  it("passes the company's content check after the generic validation", async () => {
    const r = await call(emu, 'POST', '/connectors/FxPerson', { body: person({ Nm: 'Unknown' }) });
    expectRejection(r, "The entered value for 'Employee' does not exist.");
  });

  it('answers a body that is not JSON with a bare 400', async () => {
    const r = await call(emu, 'POST', '/connectors/FxPerson', { body: '{"FxPerson":' });
    expect(r.status).toBe(400);
    expect(r.text).toBe('');
  });

  it('answers a body over the size limit with 413', async () => {
    const r = await call(emu, 'POST', '/connectors/FxPerson', {
      body: person({ Nm: 'x', Memo: 'y'.repeat(70 * 1024) }),
    });
    expect(r.status).toBe(413);
  });
});

describe('the request limit by default', () => {
  // endpoint-knsubject-post.md: at most 75 MB per request, attachments included; 75 000 000 bytes, not 75 MiB.
  it('answers a body of 75 000 001 bytes with 413: 75 MB is 75 000 000 bytes', async () => {
    const defaults = await startFixtureEmulator();
    try {
      const res = await request(`${defaults.baseUrl}/connectors/FxPerson`, {
        method: 'POST',
        headers: { authorization: ADMIN, 'content-type': 'application/json' },
        body: Buffer.alloc(75_000_001, 0x20),
      });
      await res.body.dump();
      expect(res.statusCode).toBe(413);
      expect(defaults.log.entries().map((e) => e.status)).toEqual([413]);
    } finally {
      await defaults.close();
    }
  });
});

describe('transactions', () => {
  it('rolls back every element when applying one of them fails', async () => {
    const r = await call(emu, 'POST', '/connectors/FxPerson', {
      body: { FxPerson: { Element: [{ Fields: { Nm: 'First' } }, { Fields: { Nm: 'Explode' } }] } },
    });
    expectRejection(r, 'Writing the record failed.');
    expect(ids(await get(emu, 'Fx_People', '?orderbyfieldids=Id'))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('applies nothing when validation fails on a later element', async () => {
    const r = await call(emu, 'POST', '/connectors/FxPerson', {
      body: { FxPerson: { Element: [{ Fields: { Nm: 'First' } }, { Fields: { Nm: 'Second', Qty: 0 } }] } },
    });
    expect(r.status).toBe(500);
    expect(ids(await get(emu, 'Fx_People'))).toHaveLength(6);
  });
});

describe('DELETE', () => {
  it('deletes by /{object}/@Key/{value} and answers 200 with an empty body', async () => {
    const r = await call(emu, 'DELETE', '/connectors/FxPerson/FxPerson/@PeId/2');
    expect(r.status).toBe(200);
    expect(r.text).toBe('');
    expect(await rowsOf(2)).toEqual([]);
  });

  it('accepts a key without "@"', async () => {
    expect((await call(emu, 'DELETE', '/connectors/FxPerson/FxPerson/PeId/3')).status).toBe(200);
    expect(await rowsOf(3)).toEqual([]);
  });

  it('deletes by several keys: /@K1,@K2/{v1},{v2}', async () => {
    expect((await call(emu, 'DELETE', '/connectors/FxRate/FxRate/@Cu,@Sn/USD,2')).status).toBe(200);
    const again = await call(emu, 'DELETE', '/connectors/FxRate/FxRate/@Cu,@Sn/USD,2');
    expectRejection(again, "The entered value for 'Currency' does not exist.");
  });

  it('answers a key/value count mismatch with an unexpected error', async () => {
    const r = await call(emu, 'DELETE', '/connectors/FxRate/FxRate/@Cu,@Sn/USD');
    expect(r.status).toBe(500);
    expect(r.json.externalMessage).toBe('An unexpected error has occurred.');
  });

  it('passes a nested delete to the company with its parents', async () => {
    const r = await call(emu, 'DELETE', '/connectors/FxPerson/FxPerson/@PeId/1/FxAddress/@Street/x');
    expectRejection(r, "Deleting 'FxAddress' is not supported.");
  });

  it('refuses a method the connector does not offer', async () => {
    await expect(
      call(emu, 'POST', '/connectors/FxRate', { body: { FxRate: { Element: { Fields: {} } } } }),
    ).resolves.toMatchObject({
      status: 500,
      json: { externalMessage: "UpdateConnector 'FxRate' does not support POST." },
    });
  });
});

describe('authorization', () => {
  it('answers an UpdateConnector the app connector does not grant with "UpdateConnector not supported"', async () => {
    const r = await call(emu, 'POST', '/connectors/FxPerson', { auth: PORTAL, body: person({ Nm: 'x' }) });
    expect(r.status).toBe(500);
    expect(r.json.externalMessage).toBe('UpdateConnector not supported for this app or the user is not authorized');
    const d = await call(emu, 'DELETE', '/connectors/FxPerson/FxPerson/@PeId/1', { auth: PORTAL });
    expect(d.json.externalMessage).toBe('UpdateConnector not supported for this app or the user is not authorized');
  });
});

// biome-ignore-start lint/suspicious/noExplicitAny: walking a parsed body
describe('parseBody', () => {
  it('reads long string literals (attachments) to the same value as lossless-json, numbers still lossless', () => {
    const long = (c: string) => `${c.repeat(70_000)}\\"q\\\\\\/\\u00e9${'B'.repeat(10)}`;
    const text = `{"KnSubject":{"Element":{"Fields":{"Amount":12.340,"Big":123456789012345678901},"Objects":[
      {"KnSubjectAttachment":{"Element":[{"Fields":{"FileName":"a\\"b.txt","FileStream":"${long('A')}"}},
      {"Fields":{"FileName":"c","FileStream":"${long('Z')}","Note":"kort \\\\"}}]}}]}}}`;
    const got = parseBody(text);
    expect(stringify(got)).toBe(stringify(parseLossless(text)));
    expect(isLosslessNumber((got as any).KnSubject.Element.Fields.Amount)).toBe(true);
    expect(String((got as any).KnSubject.Element.Fields.Amount)).toBe('12.340');
    const files = (got as any).KnSubject.Element.Objects[0].KnSubjectAttachment.Element;
    expect(files[0].Fields.FileStream).toBe(JSON.parse(`"${long('A')}"`));
    expect(files[1].Fields.Note).toBe('kort \\');
    expect(() => parseBody(`{"a":"${'x'.repeat(70_000)}`)).toThrow(SyntaxError);
  });
});
// biome-ignore-end lint/suspicious/noExplicitAny: walking a parsed body

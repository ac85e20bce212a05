/**
 * `parseProfitJson` reads numbers with `JSON.parse` where that is exact and marks the others: proven here to give
 * the values of the lossless-json reading (`parse` with `parseProfitNumber`) on generated JSON and on the emulator's
 * own answers.
 */
import fc from 'fast-check';
import { parse } from 'lossless-json';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentials } from '../../src/emulator/index.js';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import {
  jsonText,
  ProfitDecimal,
  parseProfitJson,
  parseProfitNumber,
  parseProfitRows,
  readProfitRows,
  toPlainDecimal,
} from '../../src/profit/index.js';
import { call, startFixtureEmulator } from '../emulator/helpers.js';

/** The lossless-json reading the fast path must equal. */
const lossless = (text: string): unknown => parse(text, null, parseProfitNumber);

/** A value with its kinds spelled out, so `-0` differs from `0` and a decimal from the string of its digits. */
function shape(value: unknown): unknown {
  if (value instanceof ProfitDecimal) return { decimal: value.text };
  if (typeof value === 'number') return { number: Object.is(value, -0) ? '-0' : String(value) };
  if (Array.isArray(value)) return value.map(shape);
  if (typeof value === 'object' && value !== null) {
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    return Object.entries(value).map(([k, v]) => [k, shape(v)]);
  }
  return { [typeof value]: value };
}

/** The shape of what a reading returns, or the class of the error it throws. */
function outcome(read: () => unknown): { value?: unknown; error?: string } {
  try {
    return { value: shape(read()) };
  } catch (error) {
    return { error: error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error) };
  }
}

const digits = (min: number, max: number) =>
  fc.array(fc.constantFrom(...'0123456789'), { minLength: min, maxLength: max }).map((d) => d.join(''));

/** JSON number tokens of every shape: small and huge integers, -0, fractions with trailing zeros, exponents. */
const numberToken = fc.oneof(
  fc.integer().map(String),
  fc.constantFrom(
    '0',
    '-0',
    '-0.0',
    '-0.00',
    '10.50',
    '-10.500',
    '38.00',
    '9007199254740991',
    '9007199254740992',
    '-9007199254740993',
    '1e400',
  ),
  fc
    .record({
      sign: fc.constantFrom('', '-'),
      int: fc.oneof(
        fc.constant('0'),
        fc.tuple(fc.constantFrom(...'123456789'), digits(0, 24)).map(([a, b]) => a + b),
      ),
      frac: fc.option(digits(1, 20), { nil: undefined }),
      exp: fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), digits(1, 3)), {
        nil: undefined,
      }),
    })
    .map(
      ({ sign, int, frac, exp }) =>
        `${sign}${int}${frac === undefined ? '' : `.${frac}`}${exp === undefined ? '' : exp.join('')}`,
    ),
);

/** Any text, and text that looks like a number, a date or the fast path's mark. */
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({
    unit: fc.constantFrom('\u0000', '"', '\\', '/', '\n', 'u', '0', 'é', '😀', '\ud800', ' '),
    maxLength: 8,
  }),
  numberToken,
  fc.constantFrom('2024-01-01T00:00:00Z', '1980-05-17', '\u0000', '\u00001.5', 'x\u00001.5'),
);

/** A string literal, its characters escaped as JSON.stringify does or all as \uXXXX. */
const stringToken = fc
  .tuple(text, fc.boolean())
  .map(([s, unicode]) =>
    unicode
      ? `"${[...s].map((ch) => [...ch].map((_, i) => `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`).join('')).join('')}"`
      : JSON.stringify(s),
  );

const space = fc.constantFrom('', ' ', '\n', '\t', '\r\n  ');

/** JSON texts whose numbers are `numbers`' tokens. */
const jsonOf = (numbers: fc.Arbitrary<string>) =>
  fc.letrec<{ json: string; value: string }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      numbers,
      stringToken,
      fc.constantFrom('true', 'false', 'null'),
      fc
        .array(fc.tuple(space, tie('value'), space), { maxLength: 5 })
        .map((items) => `[${items.map((t) => t.join('')).join(',')}]`),
      fc.dictionary(text, fc.tuple(space, tie('value')), { maxKeys: 5 }).map(
        (o) =>
          `{${Object.entries(o)
            .map(([k, [s, v]]) => `${JSON.stringify(k)}:${s}${v}`)
            .join(',')}}`,
      ),
    ),
    json: fc.tuple(space, tie('value'), space).map((t) => t.join('')),
  })).json;
const json = jsonOf(numberToken);
/** Number tokens written as integers: `-0`, safe ones and ids beyond 2^53. */
const integerToken = fc.oneof(
  fc.integer().map(String),
  fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }).map(String),
  fc.constantFrom('-0', '9007199254740991', '9007199254740992', '-9007199254740993'),
);

describe('the JSON.parse fast path', () => {
  it('reads every generated JSON text as the lossless reading does', () => {
    fc.assert(
      fc.property(json, (t) => {
        expect(shape(parseProfitJson(t))).toEqual(shape(lossless(t)));
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses text with a character removed or added as JSON.parse does, with a SyntaxError', () => {
    const edit = fc.tuple(
      json,
      fc.nat(),
      fc.constantFrom('', '"', ',', ':', '{', '}', '[', ']', '-', '.', 'e', '0', '\\'),
    );
    fc.assert(
      fc.property(edit, ([t, at, insert]) => {
        const i = at % (t.length + 1);
        const broken = t.slice(0, i) + insert + t.slice(insert === '' ? i + 1 : i);
        let strict: string | undefined;
        try {
          JSON.parse(broken);
        } catch {
          strict = 'refused';
        }
        if (strict === 'refused') {
          expect(() => parseProfitJson(broken)).toThrow(SyntaxError);
          return;
        }
        const expected = outcome(() => lossless(broken));
        // An edit can repeat a key: lossless-json refuses that, JSON.parse (and the fast path) keep the last value.
        if (!/Duplicate key/.test(String(expected.error))) {
          expect(outcome(() => parseProfitJson(broken))).toEqual(expected);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps the digits of decimals, huge integers and exponents, and leaves strings of digits as text', () => {
    const v = parseProfitJson(
      '{"a":38.00,"b":-0,"c":1.5E-7,"d":12345678901234567890,"e":"12345678901234567890","f":"\\u00001.5","g":[0.1,2]}',
    );
    expect(shape(v)).toEqual(
      shape({
        a: new ProfitDecimal('38.00'),
        b: -0,
        c: new ProfitDecimal('0.00000015'),
        d: new ProfitDecimal('12345678901234567890'),
        e: '12345678901234567890',
        f: '\u00001.5',
        g: [new ProfitDecimal('0.1'), 2],
      }),
    );
  });

  it('refuses malformed numbers, keys and documents with a SyntaxError', () => {
    for (const bad of ['{1.5:2}', '[01.5]', '[1.5.3]', '[-]', '[1e]', '{"a":1.5', '"abc', '[1.5]x', '', '{"a":.5}']) {
      expect(() => parseProfitJson(bad), bad).toThrow(SyntaxError);
    }
  });
});

describe("the emulator's answers", () => {
  let fixture: Emulator;
  let demo: Emulator;
  const admin = () =>
    credentials(demo.company)
      .flatMap((a) => a.users)
      .find((u) => u.name === 'admin')?.authorization;
  beforeAll(async () => {
    fixture = await startFixtureEmulator();
    demo = await startEmulator({ port: 0 });
  });
  afterAll(async () => {
    await fixture?.close();
    await demo?.close();
  });

  it('read every GetConnector and metainfo answer as the lossless reading does', async () => {
    let compared = 0;
    let rowsCompared = 0;
    for (const [emulator, auth] of [
      [fixture, undefined],
      [demo, admin()],
    ] as const) {
      const meta = await call(emulator, 'GET', '/metainfo', auth === undefined ? {} : { auth });
      expect(meta.status).toBe(200);
      const answers = [meta.text];
      for (const c of meta.json.getConnectors as { id: string }[]) {
        const rows = await call(
          emulator,
          'GET',
          `/connectors/${c.id}?skip=0&take=200`,
          auth === undefined ? {} : { auth },
        );
        if (rows.status === 200) answers.push(rows.text);
        const info = await call(emulator, 'GET', `/metainfo/get/${c.id}`, auth === undefined ? {} : { auth });
        if (info.status === 200) answers.push(info.text);
        if (rows.status === 200 && info.status === 200) {
          // Read as the loaders read it: the columns the metainfo declares decimal named, every other one left
          // to JSON.parse unless it holds a number that is not a safe integer. The emulator writes an integer
          // column's values as integers, so the reading equals the lossless one throughout.
          const decimals = (info.json.fields as { id: string; dataType: string }[])
            .filter((f) => f.dataType === 'decimal')
            .map((f) => f.id);
          expect(shape(parseProfitRows(rows.text, decimals))).toEqual(shape(lossless(rows.text)));
          rowsCompared++;
        }
      }
      for (const text of answers) {
        expect(shape(parseProfitJson(text))).toEqual(shape(lossless(text)));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(10);
    expect(rowsCompared).toBeGreaterThan(5);
  });
});

describe('the reading of rows by their declared decimal columns (parseProfitRows)', () => {
  /** Column names, some that cannot be searched for as written (non-ASCII, a quote, `__proto__`). */
  const key = fc.constantFrom('Hours', 'Salary', 'Id', 'Note', 'N_1', 'K\u00e9', 'x"y', '__proto__', 'HoursX');
  /** Cells: any number, strings that hold a key's text, `"Key":` or escapes, and null. */
  const cell = fc.oneof(
    { weight: 4, arbitrary: numberToken },
    integerToken,
    stringToken,
    fc
      .constantFrom('Hours', '"Hours":1.5', '\\"Hours\\":2', 'x\\', '\\', 'Note', '"Hours"')
      .map((v) => JSON.stringify(v)),
    fc.constant('null'),
  );
  /** Mostly Profit's compact writing; sometimes whitespace around a colon or comma. */
  const gap = fc.oneof({ weight: 6, arbitrary: fc.constant('') }, space);
  const row = fc.dictionary(key, fc.tuple(gap, cell, gap), { maxKeys: 6 }).map(
    (o) =>
      `{${Object.entries(o)
        .map(([k, [a, v, b]]) => `${k === 'Hours' && a === ' ' ? '"H\\u006furs"' : JSON.stringify(k)}${a}:${b}${v}`)
        .join(',')}}`,
  );
  const answer = fc
    .record({
      rows: fc.array(row, { maxLength: 6 }),
      // A top-level key named like a column, and odd skip/take values, must not be taken for a row's cell.
      extra: fc.option(fc.tuple(fc.constantFrom('Hours', 'skip', 'Note'), numberToken), { nil: undefined }),
    })
    .map(
      ({ rows, extra }) =>
        `{${extra === undefined ? '' : `${JSON.stringify(extra[0])}:${extra[1]},`}"take":${rows.length},"rows":[${rows.join(',')}]}`,
    );
  /** A cell's value as a number (`-0` as `0`: `-0.00` is the decimal zero), anything else as it is. */
  const numeric = (v: unknown): unknown =>
    v instanceof ProfitDecimal ? Number(v.text) + 0 : typeof v === 'number' ? v + 0 : v;

  it('reads the declared and the fractional columns exactly, every other number as JSON.parse does', () => {
    fc.assert(
      fc.property(answer, fc.subarray(['Hours', 'Salary', 'Id', 'Note', 'K\u00e9', '__proto__']), (t, decimals) => {
        let exact: unknown;
        try {
          exact = lossless(t);
        } catch {
          // A repeated key (lossless-json refuses it): the reading must still be JSON's.
          expect(() => parseProfitRows(t, decimals)).not.toThrow();
          return;
        }
        const got = parseProfitRows(t, decimals) as Record<string, unknown>;
        const parsed = JSON.parse(t) as Record<string, unknown>;
        const want = exact as Record<string, unknown>;
        const gotRows = got.rows as Record<string, unknown>[];
        const parsedRows = parsed.rows as Record<string, unknown>[];
        const wantRows = want.rows as Record<string, unknown>[];
        // Columns in which JSON.parse met a number that is not a safe integer.
        const fractional = new Set<string>();
        for (const r of parsedRows)
          for (const [k, v] of Object.entries(r))
            if (typeof v === 'number' && !Number.isSafeInteger(v)) fractional.add(k);
        wantRows.forEach((w, i) => {
          const g = gotRows[i] as Record<string, unknown>;
          expect(Object.keys(g)).toEqual(Object.keys(w));
          for (const k of Object.keys(w)) {
            if (decimals.includes(k) || fractional.has(k)) expect(shape(g[k])).toEqual(shape(w[k]));
            else expect(numeric(g[k])).toEqual(numeric(w[k]));
          }
        });
        for (const k of Object.keys(want)) if (k !== 'rows') expect(numeric(got[k])).toEqual(numeric(want[k]));
      }),
      { numRuns: 4000 },
    );
  });

  it('keeps the digits a double would round, in a declared column even when they round to an integer', () => {
    const t =
      '{"skip":0,"take":3,"rows":[{"Hours":38.0000000000000001,"N":3},{"Hours":7.50,"N":4},{"Hours":null,"N":9007199254740993}]}';
    const rows = (parseProfitRows(t, ['Hours']) as { rows: Record<string, unknown>[] }).rows;
    expect(rows.map((r) => shape(r.Hours))).toEqual([
      { decimal: '38.0000000000000001' },
      { decimal: '7.5' },
      { object: null },
    ]);
    expect(rows.map((r) => shape(r.N))).toEqual([{ number: '3' }, { number: '4' }, { decimal: '9007199254740993' }]);
    // Not declared, a column of whole numbers is JSON.parse's (a fraction elsewhere in it would make it exact).
    const whole = '{"rows":[{"Hours":38.0000000000000001},{"Hours":40.00}]}';
    expect((parseProfitRows(whole, []) as { rows: Record<string, unknown>[] }).rows.map((r) => shape(r.Hours))).toEqual(
      [{ number: '38' }, { number: '40' }],
    );
    // The same when the text has a space before the colon, a key in a string, the key at the top level.
    for (const odd of [
      t.replace('"Hours":38', '"Hours" :38'),
      t.replace('"N":3}', '"N":3,"Note":"\\"Hours\\":1"}'),
      t.replace('"skip":0', '"Hours":1'),
      t.replace('"N":4', '"N":4,"Code":"Hours"'),
    ]) {
      const read = (parseProfitRows(odd, ['Hours']) as { rows: Record<string, unknown>[] }).rows;
      expect(shape(read[0]?.Hours)).toEqual({ decimal: '38.0000000000000001' });
    }
  });

  it('reads deferred columns exactly once exact() runs for them, and every other declared or fractional column at once', () => {
    fc.assert(
      fc.property(
        answer,
        fc.subarray(['Hours', 'Salary', 'Id', 'Note', 'K\u00e9', '__proto__']),
        fc.subarray(['Hours', 'Salary', 'Id', 'K\u00e9', 'Other']),
        // Columns read one at a time (`exact(column)`), in this order, before the rest at once (`exact()`).
        fc.shuffledSubarray(['Hours', 'Salary', 'Id', 'K\u00e9', 'Other', 'Note']),
        (t, decimals, deferred, oneByOne) => {
          let want: Record<string, unknown>;
          try {
            want = lossless(t) as Record<string, unknown>;
          } catch {
            expect(() => readProfitRows(t, decimals, new Set(deferred)).exact?.()).not.toThrow();
            return;
          }
          const read = readProfitRows(t, decimals, new Set(deferred));
          const got = read.value as Record<string, unknown>;
          const gotRows = got.rows as Record<string, unknown>[];
          const wantRows = want.rows as Record<string, unknown>[];
          const parsedRows = (JSON.parse(t) as { rows: Record<string, unknown>[] }).rows;
          const fractional = new Set<string>();
          for (const r of parsedRows)
            for (const [k, v] of Object.entries(r))
              if (typeof v === 'number' && !Number.isSafeInteger(v)) fractional.add(k);
          const exactColumn = (k: string) => decimals.includes(k) || fractional.has(k);
          const deferredColumn = (k: string) =>
            read.exact !== undefined && deferred.includes(k) && decimals.includes(k);
          // `read`: the deferred columns read exactly so far (all: every one).
          const compare = (readSoFar: ReadonlySet<string> | 'all') =>
            wantRows.forEach((w, i) => {
              const g = gotRows[i] as Record<string, unknown>;
              expect(Object.keys(g)).toEqual(Object.keys(w));
              for (const k of Object.keys(w)) {
                const unread = readSoFar !== 'all' && !readSoFar.has(k);
                // Not read yet: JSON.parse's number, or already exact where a column's key could not be searched
                // for (the whole text is then read exactly, every deferred column with it).
                if (unread && deferredColumn(k))
                  expect([shape(parsedRows[i]?.[k]), shape(w[k])]).toContainEqual(shape(g[k]));
                else if (exactColumn(k)) expect(shape(g[k])).toEqual(shape(w[k]));
                else expect(numeric(g[k])).toEqual(numeric(w[k]));
              }
            });
          const readSoFar = new Set<string>();
          compare(readSoFar);
          for (const k of oneByOne) {
            read.exact?.(k);
            read.exact?.(k);
            readSoFar.add(k);
            compare(readSoFar);
          }
          read.exact?.();
          read.exact?.();
          compare('all');
          for (const k of Object.keys(want)) if (k !== 'rows') expect(numeric(got[k])).toEqual(numeric(want[k]));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('reads one deferred column at a time, leaving the others as JSON.parse read them', () => {
    const t = '{"skip":0,"rows":[{"Hours":38.00,"Salary":4123.45,"Rate":0.10000000000000000001}]}';
    const read = readProfitRows(t, ['Hours', 'Salary', 'Rate'], new Set(['Hours', 'Salary', 'Rate']));
    const row = (read.value as { rows: Record<string, unknown>[] }).rows[0] as Record<string, unknown>;
    read.exact?.('Salary');
    expect([row.Hours, shape(row.Salary), row.Rate]).toEqual([38, { decimal: '4123.45' }, 0.1]);
    read.exact?.('Other');
    expect(row.Rate).toBe(0.1);
    read.exact?.();
    expect([row.Hours, row.Salary, row.Rate].map(shape)).toEqual([
      { decimal: '38' },
      { decimal: '4123.45' },
      { decimal: '0.10000000000000000001' },
    ]);
  });

  it('reads a deferred column exactly from the whole text when its key cannot be searched for as written', () => {
    const t = '{"rows":[{"Hours":1.10000000000000000001,"N":1},{"Hours" :2.5,"N":2},{"H\\u006furs":3.25}]}';
    const read = readProfitRows(t, ['Hours'], new Set(['Hours']));
    const rows = (read.value as { rows: Record<string, unknown>[] }).rows;
    expect(rows[0]?.Hours).toBe(1.1);
    read.exact?.('Hours');
    expect(rows.map((r) => shape(r.Hours))).toEqual([
      { decimal: '1.10000000000000000001' },
      { decimal: '2.5' },
      { decimal: '3.25' },
    ]);
    // Nothing deferred: no exact to call, and a column not declared is read at once.
    expect(readProfitRows(t, ['Hours'], new Set(['N'])).exact).toBeUndefined();
  });

  it('reads any other JSON as the lossless reading does, or as JSON.parse when all its numbers are safe integers', () => {
    fc.assert(
      fc.property(json, (t) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(t);
        } catch {
          expect(() => parseProfitRows(t, ['Hours'])).toThrow(SyntaxError);
          return;
        }
        if (typeof parsed === 'object' && parsed !== null && 'rows' in parsed) return;
        let safe = true;
        JSON.parse(t, (_k, v: unknown) => {
          if (typeof v === 'number' && !Number.isSafeInteger(v)) safe = false;
          return v;
        });
        const got = outcome(() => parseProfitRows(t, ['Hours']));
        expect(got).toEqual(safe ? outcome(() => JSON.parse(t)) : outcome(() => lossless(t)));
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses malformed text with the SyntaxError of JSON.parse', () => {
    for (const t of ['', '{', '{"a":1,}', '[1 2]', '{"a":01}', '{"rows":[{"Hours":1.5,}]}']) {
      expect(() => parseProfitRows(t, ['Hours'])).toThrow(SyntaxError);
    }
  });
});

describe('the one-byte text of a UTF-8 body', () => {
  /** What JSON.parse makes of a text: its value, or that it refused it. */
  const judged = (read: () => unknown): unknown => {
    try {
      return { value: shape(read()) };
    } catch (error) {
      return { refused: error instanceof SyntaxError };
    }
  };

  it('parses to the value of the decoded text, for every generated JSON text and anything else', () => {
    const anything = fc.oneof(
      json,
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.string({ unit: fc.constantFrom('"', '\\', 'é', '😀', '\ud800', 'a', '{', '}', ':', '1', ' '), maxLength: 20 }),
    );
    fc.assert(
      fc.property(anything, (t) => {
        const body = Buffer.from(t, 'utf8');
        const text = jsonText(body);
        const ascii = [...text].every((c) => c.charCodeAt(0) < 0x80);
        expect(ascii || text === body.toString('utf8')).toBe(true);
        expect(judged(() => JSON.parse(text))).toEqual(judged(() => JSON.parse(body.toString('utf8'))));
      }),
      { numRuns: 5000 },
    );
  });

  it('equals escaping each run of non-ASCII bytes as it decodes, at any offset of its memory and across blocks', () => {
    // The definition, a byte at a time: each maximal run of bytes ≥ 0x80 decoded alone and written as escapes; the
    // plain UTF-8 text when a backslash stands before such a byte.
    const reference = (body: Buffer): string => {
      let out = '';
      for (let i = 0; i < body.length; ) {
        if ((body[i] as number) < 0x80) {
          out += String.fromCharCode(body[i] as number);
          i++;
          continue;
        }
        if (i > 0 && body[i - 1] === 0x5c) return body.toString('utf8');
        let j = i;
        while (j < body.length && (body[j] as number) >= 0x80) j++;
        for (const unit of body.toString('utf8', i, j).split('')) {
          out += `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`;
        }
        i = j;
      }
      return out;
    };
    // Runs of every kind (well-formed of 2 to 4 bytes, stray continuation and lead bytes) among ASCII stretches
    // long enough to cross the 512-byte blocks and the 4-byte words.
    const piece = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', '"', ':', ',', '\\', '1'), maxLength: 700 }).map((s) => Buffer.from(s)),
      fc.constantFrom('é', 'ø', 'ı', '€', '😀', 'Zoë').map((s) => Buffer.from(s)),
      fc.uint8Array({ minLength: 1, maxLength: 5, min: 0x80, max: 0xff }).map((a) => Buffer.from(a)),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.integer({ min: 0, max: 7 }), (pieces, offset) => {
        const whole = Buffer.concat(pieces);
        // The same bytes at `offset` of a memory they end (a pooled Buffer starts anywhere, and may end its pool).
        const memory = new ArrayBuffer(whole.length + offset);
        const body = Buffer.from(memory, offset, whole.length);
        whole.copy(body);
        expect(jsonText(body)).toBe(reference(whole));
      }),
      { numRuns: 2000 },
    );
  });

  it('writes non-ASCII characters as escapes, reads malformed UTF-8 as U+FFFD, and leaves a backslash’s to JSON.parse', () => {
    expect(jsonText(Buffer.from('{"Name":"Zoë Ørsted 😀"}'))).toBe('{"Name":"Zo\\u00eb \\u00d8rsted \\ud83d\\ude00"}');
    expect(JSON.parse(jsonText(Buffer.from([0x22, 0x61, 0xc3, 0x22])))).toBe('a\ufffd');
    expect(() => JSON.parse(jsonText(Buffer.from('"\\é"')))).toThrow(SyntaxError);
    expect(JSON.parse(jsonText(Buffer.from('"\\\\é"')))).toBe('\\é');
  });
});

describe('ProfitDecimal', () => {
  it('keeps canonical text as it is and rewrites every other literal as toPlainDecimal does', () => {
    fc.assert(
      fc.property(numberToken, (t) => {
        expect(new ProfitDecimal(t).text).toBe(toPlainDecimal(t));
      }),
      { numRuns: 3000 },
    );
  });

  it('refuses an exponent it would have to write out as thousands of zeros', () => {
    expect(new ProfitDecimal('1e400').text).toBe(`1${'0'.repeat(400)}`);
    expect(() => new ProfitDecimal('1e10001')).toThrow(RangeError);
    expect(() => parseProfitJson('{"a":1e999999999}')).toThrow(RangeError);
  });
});

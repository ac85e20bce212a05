/**
 * The incremental reader of Profit's file answers: for any chunking, any field order, any JSON escaping of
 * `filedata` and any extra fields, it yields exactly the bytes a whole-body JSON.parse + base64 decode gives,
 * and it refuses everything that is not a file answer, at the first sign of it.
 */
import { PassThrough, Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collectFileStream, FileBodyDecoder, FileBodyError, openFileBody } from '../../src/profit/file-body.js';

function decode(body: Buffer, cuts: readonly number[] = []) {
  const decoder = new FileBodyDecoder();
  const out: Buffer[] = [];
  let at = 0;
  for (const cut of [...new Set(cuts)].filter((c) => c > 0 && c < body.length).sort((a, b) => a - b)) {
    out.push(...decoder.write(body.subarray(at, cut)));
    at = cut;
  }
  out.push(...decoder.write(body.subarray(at)));
  out.push(...decoder.end());
  return { data: Buffer.concat(out), fileName: decoder.fileName, mimeType: decoder.mimeType };
}

/** Base64 written as a JSON string body the ways a JSON writer may: `/` as `\/` or `\u002F`, CRLF-wrapped lines. */
function jsonBase64(data: Buffer, style: { slash: 0 | 1 | 2; wrap: number; unicode: boolean }): string {
  let b64 = data.toString('base64');
  if (style.wrap > 0) b64 = (b64.match(new RegExp(`.{1,${style.wrap}}`, 'g')) ?? []).join('\\r\\n');
  if (style.slash === 1) b64 = b64.replace(/\//g, '\\/');
  if (style.slash === 2) b64 = b64.replace(/\//g, '\\u002F');
  if (style.unicode) b64 = b64.replace(/A/g, '\\u0041');
  return `"${b64}"`;
}

const fileAnswer = fc.record({
  data: fc.uint8Array({ maxLength: 700 }).map((a) => Buffer.from(a)),
  fileName: fc.option(fc.string({ unit: 'grapheme', maxLength: 20 }), { nil: undefined }),
  mimeType: fc.option(fc.constantFrom('application/pdf', 'image/png', 'text/plain; charset=utf-8'), {
    nil: undefined,
  }),
  extra: fc.dictionary(
    fc.string({ maxLength: 8 }).filter((k) => !['filename', 'mimetype', 'filedata'].includes(k)),
    fc.jsonValue({ maxDepth: 3 }),
    { maxKeys: 3 },
  ),
  order: fc.integer({ min: 0, max: 1_000_000 }),
  style: fc.record({
    slash: fc.constantFrom(0 as const, 1 as const, 2 as const),
    wrap: fc.constantFrom(0, 1, 4, 76),
    unicode: fc.boolean(),
  }),
  space: fc.constantFrom('', ' ', '\n  ', '\r\n\t'),
  cuts: fc.array(fc.integer({ min: 0, max: 4000 }), { maxLength: 12 }),
});

describe('FileBodyDecoder', () => {
  it('decodes AFAS’s documented shape (filename, mimetype, filedata with \\/ escapes)', () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000960000009608020000', 'hex');
    const body = `{\n  "filename": "example.png",\n  "mimetype": "image/png",\n  "filedata": ${jsonBase64(png, { slash: 1, wrap: 0, unicode: false })}\n}`;
    expect(decode(Buffer.from(body))).toEqual({ data: png, fileName: 'example.png', mimeType: 'image/png' });
  });

  it('decodes the ReportConnector’s order (filedata before mimetype, no filename)', () => {
    const pdf = Buffer.from('%PDF-1.4\n%âãÏÓ\n', 'latin1');
    const body = `{"filedata": "${pdf.toString('base64')}", "mimetype": "application/pdf"}`;
    const decoder = new FileBodyDecoder();
    const out = decoder.write(Buffer.from(body.slice(0, 20)));
    expect(decoder.headReady).toBe(false); // the type is not known yet
    out.push(...decoder.write(Buffer.from(body.slice(20))), ...decoder.end());
    expect(decoder.headReady).toBe(true);
    expect({ data: Buffer.concat(out), fileName: decoder.fileName, mimeType: decoder.mimeType }).toEqual({
      data: pdf,
      fileName: undefined,
      mimeType: 'application/pdf',
    });
  });

  it('hands out bytes before the answer is complete, in groups of whole base64 quartets', () => {
    const data = Buffer.from('abcdefghijklmnopqrstuvwxyz');
    const b64 = data.toString('base64');
    const decoder = new FileBodyDecoder();
    expect(decoder.write(Buffer.from(`{"mimetype":"text/plain","filedata":"${b64.slice(0, 6)}`))).toEqual([
      Buffer.from('abc'),
    ]);
    expect(decoder.headReady).toBe(true);
    expect(Buffer.concat(decoder.write(Buffer.from(b64.slice(6, 13))))).toEqual(Buffer.from('defghi'));
    expect(Buffer.concat([...decoder.write(Buffer.from(`${b64.slice(13)}"}`)), ...decoder.end()])).toEqual(
      data.subarray(9),
    );
  });

  it('equals JSON.parse + base64 for any chunking, field order, escaping and extra fields', () => {
    fc.assert(
      fc.property(fileAnswer, (a) => {
        const entries: [string, string][] = Object.entries(a.extra).map(([k, v]) => [
          JSON.stringify(k),
          JSON.stringify(v, null, a.space === '' ? undefined : 1),
        ]);
        if (a.fileName !== undefined) entries.push(['"filename"', JSON.stringify(a.fileName)]);
        if (a.mimeType !== undefined) entries.push(['"mimetype"', JSON.stringify(a.mimeType)]);
        entries.push(['"filedata"', jsonBase64(a.data, a.style)]);
        // A deterministic shuffle from `order`.
        let seed = a.order;
        for (let i = entries.length - 1; i > 0; i--) {
          seed = (seed * 1103515245 + 12345) % 2147483648;
          const j = seed % (i + 1);
          [entries[i], entries[j]] = [entries[j] as [string, string], entries[i] as [string, string]];
        }
        const s = a.space;
        const body = Buffer.from(`${s}{${s}${entries.map(([k, v]) => `${k}${s}:${s}${v}`).join(`${s},${s}`)}${s}}${s}`);
        const parsed = JSON.parse(body.toString('utf8'));
        const expected = Buffer.from(String(parsed.filedata).replace(/\s+/g, ''), 'base64');
        const got = decode(body, a.cuts);
        expect(got.data.equals(expected)).toBe(true);
        expect(got.data.equals(a.data)).toBe(true);
        expect(got.fileName).toBe(a.fileName);
        expect(got.mimeType).toBe(a.mimeType ?? 'application/octet-stream');
      }),
      { numRuns: 400 },
    );
  });

  it('refuses every proper prefix of a valid answer at its end, whatever the chunking', () => {
    const body = Buffer.from(
      `{"filename":"a\\"b.txt","extra":{"x":[1,"}",{"y":null}]},"mimetype":"text/plain","filedata":"${Buffer.from('hello world!').toString('base64')}"}`,
    );
    for (let n = 0; n < body.length; n++) {
      expect(() => decode(body.subarray(0, n), [Math.floor(n / 2)]), `prefix of ${n} bytes`).toThrow(FileBodyError);
    }
    expect(decode(body).data.toString()).toBe('hello world!');
  });

  it.each([
    ['a character outside base64', '{"mimetype":"a/b","filedata":"QUJ*"}', /not base64/],
    ['an escaped quote in filedata', '{"mimetype":"a/b","filedata":"QU\\"JD"}', /must be base64/],
    ['characters after the padding', '{"mimetype":"a/b","filedata":"QQ==QUJD"}', /after its padding/],
    ['three padding characters', '{"mimetype":"a/b","filedata":"Q==="}', /padding/],
    ['a length of 4n+1 characters', '{"mimetype":"a/b","filedata":"QUJDR"}', /whole number/],
    ['padding that leaves a partial group', '{"mimetype":"a/b","filedata":"QUJDQQ="}', /whole number/],
    ['a raw line break in filedata', '{"mimetype":"a/b","filedata":"QUJD\nQUJD"}', /control/],
    ['non-ASCII in filedata', '{"mimetype":"a/b","filedata":"QUJDé"}', /non-ASCII/],
    ['no filedata', '{"mimetype":"a/b","filename":"x"}', /no filedata/],
    ['filedata twice', '{"filedata":"QUJD","filedata":"QUJD"}', /twice/],
    ['filedata not a string', '{"mimetype":"a/b","filedata":null}', /not a string/],
    ['an array', '[{"filedata":"QUJD"}]', /JSON object/],
    ['an empty body', '', /empty/],
    ['data after the object', '{"filedata":"QUJD"} {}', /after the JSON object/],
    ['a malformed other value', '{"mimetype":tru,"filedata":"QUJD"}', /malformed value/],
    ['a missing value', '{"mimetype":,"filedata":"QUJD"}', /expected a value/],
    ['a missing colon', '{"mimetype" "a/b","filedata":"QUJD"}', /expected ':'/],
    ['a bad \\u escape', '{"filedata":"QU\\u00ZZJD"}', /\\u escape/],
  ])('refuses %s', (_, body, message) => {
    expect(() => decode(Buffer.from(body, 'utf8'))).toThrow(message);
    // Byte by byte, the same refusal.
    expect(() =>
      decode(
        Buffer.from(body, 'utf8'),
        Array.from({ length: body.length }, (_, i) => i),
      ),
    ).toThrow(message);
  });

  it('tolerates a UTF-8 byte order mark, whitespace and unpadded base64', () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(' {"filedata" : "QUI" } \n')]);
    expect(decode(body, [1, 2, 3, 4])).toEqual({
      data: Buffer.from('AB'),
      fileName: undefined,
      mimeType: 'application/octet-stream',
    });
  });
});

describe('openFileBody', () => {
  const fail = (cause: unknown) => new Error(`transport: ${(cause as Error).message}`);
  const invalid = (message: string) => new Error(`invalid: ${message}`);

  it('returns as soon as the type is known and passes the rest through with back-pressure', async () => {
    const data = Buffer.alloc(300_000, 7);
    const b64 = data.toString('base64');
    const source = new PassThrough();
    source.write(`{"filename":"x.bin","mimetype":"application/octet-stream","filedata":"${b64.slice(0, 4000)}`);
    const file = await openFileBody(source, fail, invalid);
    expect(file).toMatchObject({ fileName: 'x.bin', mimeType: 'application/octet-stream' });
    expect(file.size).toBeUndefined();
    // The answer is still open: the first bytes are readable now.
    const first = (await file.data[Symbol.asyncIterator]().next()).value as Buffer;
    expect(first.equals(data.subarray(0, 3000))).toBe(true);
    expect(source.writableEnded).toBe(false);
    source.end(`${b64.slice(4000)}"}`);
    const all = await collectFileStream(file);
    expect(Buffer.concat([first, all.data]).equals(data)).toBe(true);
  });

  it('reads the whole answer first when filedata precedes mimetype, and knows the size', async () => {
    const file = await openFileBody(
      Readable.from([Buffer.from('{"filedata":"QUJD'), Buffer.from('REVG","mimetype":"text/plain"}')]),
      fail,
      invalid,
    );
    expect(file).toMatchObject({ mimeType: 'text/plain', size: 6 });
    expect((await collectFileStream(file)).data.toString()).toBe('ABCDEF');
  });

  it('stops reading Profit’s answer when the reader destroys the data', async () => {
    const source = new PassThrough();
    source.write('{"mimetype":"a/b","filedata":"QUJDQUJD');
    const file = await openFileBody(source, fail, invalid);
    file.data.destroy();
    await new Promise((resolve) => file.data.once('close', resolve));
    expect(source.destroyed).toBe(true);
  });

  it('fails before returning on a malformed head, and fails the data on a malformed or broken tail', async () => {
    await expect(
      openFileBody(Readable.from([Buffer.from('{"mimetype":"a/b","filedata":"Q*')]), fail, invalid),
    ).rejects.toThrow(/^invalid: filedata is not base64/);
    const cut = await openFileBody(Readable.from([Buffer.from('{"mimetype":"a/b","filedata":"QUJD')]), fail, invalid);
    await expect(collectFileStream(cut)).rejects.toThrow(/^invalid: the answer ends in the middle/);

    const source = new PassThrough();
    source.write('{"mimetype":"a/b","filedata":"QUJD');
    const broken = await openFileBody(source, fail, invalid);
    source.destroy(new Error('socket hang up'));
    await expect(collectFileStream(broken)).rejects.toThrow(/^transport: socket hang up/);
  });
});

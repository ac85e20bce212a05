/**
 * Compressed request bodies (`Content-Encoding`, as Apollo Router sends them when its traffic shaping compresses)
 * and the UTF-8 byte-order mark, over HTTP. The limit (MAX_REQUEST_BYTES) counts the decompressed bytes.
 */
import { Readable } from 'node:stream';
import { brotliCompressSync, constants, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../src/server/index.js';
import { demoAuthorization, http, startTestService } from './helpers.js';

const LIMIT = 4096;

const UPLOAD_LIMIT = 16 * LIMIT;

let service: Service;
let portal: string;
let hr: string;
beforeAll(async () => {
  service = await startTestService({ MAX_REQUEST_BYTES: String(LIMIT), MAX_UPLOAD_BYTES: String(UPLOAD_LIMIT) });
  portal = demoAuthorization(service, 'portal');
  hr = demoAuthorization(service, 'hr');
});
afterAll(() => service?.close());

/** A `{ __typename }` request of exactly `bytes` bytes (padded with spaces inside the query). */
function bodyOf(bytes: number): Buffer {
  const bare = JSON.stringify({ query: '{ __typename }' });
  return Buffer.from(JSON.stringify({ query: `{ __typename }${' '.repeat(bytes - bare.length)}` }));
}

const TYPENAME = Buffer.from(JSON.stringify({ query: '{ __typename }' }));

function post(body: Buffer | Readable, headers: Record<string, string> = {}) {
  return http(service.graphqlUrl, {
    method: 'POST',
    // The portal user's app connector grants no UpdateConnector: MAX_REQUEST_BYTES is its limit.
    headers: { 'content-type': 'application/json', authorization: portal, ...headers },
    body: body as Buffer,
  });
}

/** No control characters and no broken UTF-8: what a log line or a terminal can show as it is. */
const PRINTABLE = /^[\x20-\x7e…]*$/;

describe('compressed request bodies', () => {
  it.each([
    ['gzip', gzipSync(TYPENAME)],
    ['deflate', deflateSync(TYPENAME)],
    ['br', brotliCompressSync(TYPENAME)],
    ['identity', TYPENAME],
    ['GZip', gzipSync(TYPENAME)],
    ['gzip, br', brotliCompressSync(gzipSync(TYPENAME))],
  ])('answers a body sent with Content-Encoding: %s', async (encoding, body) => {
    const reply = await post(body, { 'content-encoding': encoding });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ data: { __typename: 'Query' } });
  });

  it('decodes a gzip body streamed in pieces (chunked, without content-length)', async () => {
    const gz = gzipSync(TYPENAME);
    const reply = await post(Readable.from([gz.subarray(0, 7), gz.subarray(7)]), { 'content-encoding': 'gzip' });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ data: { __typename: 'Query' } });
  });

  it('counts the decompressed bytes against MAX_REQUEST_BYTES: exactly the limit is answered, one byte more is 413', async () => {
    const at = await post(gzipSync(bodyOf(LIMIT)), { 'content-encoding': 'gzip' });
    expect(at.status).toBe(200);
    const over = await post(gzipSync(bodyOf(LIMIT + 1)), { 'content-encoding': 'gzip' });
    expect(over.status).toBe(413);
    expect(over.json.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(over.json.errors[0].message).toContain(`(decompressed) is larger than ${LIMIT} bytes (MAX_REQUEST_BYTES)`);
  });

  it('stops a brotli bomb (about 100 bytes that expand to 64 MiB) at the limit with 413', async () => {
    const bomb = brotliCompressSync(Buffer.alloc(64 * 1024 * 1024, 32), {
      params: { [constants.BROTLI_PARAM_QUALITY]: 5 },
    });
    expect(bomb.length).toBeLessThan(LIMIT);
    const reply = await post(bomb, { 'content-encoding': 'br' });
    expect(reply.status).toBe(413);
    expect(reply.json.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(reply.headers.connection).toBe('close');
  });

  it('holds a compressed mutation with attachments from a caller granted its UpdateConnector to MAX_UPLOAD_BYTES, decoded', async () => {
    const upload = (bytes: number) =>
      gzipSync(
        JSON.stringify({
          query: 'mutation ($input: CreateDossierItemInput!) { createDossierItem(input: $input) { dossierItemId } }',
          variables: {
            input: {
              typeId: 4,
              subject: 'Scan van het contract',
              links: [{ toOrganisationOrPerson: true, organisationOrPersonId: '1000744' }],
              attachments: [{ fileName: 'contract.pdf', data: Buffer.alloc(bytes).toString('base64') }],
            },
          },
        }),
      );
    const subjectPosts = () =>
      service.emulator!.log.entries().filter((e) => e.method === 'POST' && e.path.includes('/connectors/KnSubject'));
    // Over MAX_REQUEST_BYTES once decoded, yet a few hundred bytes on the wire.
    const small = upload(2 * LIMIT);
    expect(small.length).toBeLessThan(LIMIT);
    service.emulator!.log.clear();
    const taken = await post(small, { 'content-encoding': 'gzip', authorization: hr });
    expect(taken.status).toBe(200);
    expect(taken.json.errors).toBeUndefined();
    expect(subjectPosts()).toHaveLength(1);

    service.emulator!.log.clear();
    const over = await post(upload(UPLOAD_LIMIT), { 'content-encoding': 'gzip', authorization: hr });
    expect(over.status).toBe(413);
    expect(over.json.errors[0].message).toContain(
      `(decompressed) is larger than ${UPLOAD_LIMIT} bytes (MAX_UPLOAD_BYTES)`,
    );
    expect(subjectPosts()).toEqual([]);
  });

  it.each([
    ['gzip', 'plain JSON', TYPENAME],
    ['gzip', 'a gzip stream cut short', gzipSync(TYPENAME).subarray(0, 20)],
    ['deflate', 'random bytes', Buffer.from([0x1f, 0x8b, 0x00, 0xff, 0x07, 0x1b, 0x00, 0x80, 0xc3])],
    ['br', 'plain JSON', Buffer.from('{"query":"{ __typename }"}xxxxxxxxxxxxxxxx')],
  ])('refuses %s content that is %s with 400 INVALID_CONTENT_ENCODING, echoing no bytes', async (encoding, _, body) => {
    const reply = await post(body, { 'content-encoding': encoding });
    expect(reply.status).toBe(400);
    expect(reply.json.errors[0].extensions.code).toBe('INVALID_CONTENT_ENCODING');
    expect(reply.json.errors[0].message).toContain(`not valid ${encoding} data`);
    expect(reply.json.errors[0].message).toMatch(PRINTABLE);
  });

  it.each(['zstd', 'compress', 'gzip, gzip, gzip'])(
    'refuses Content-Encoding: %s with 415 naming the supported codings',
    async (encoding) => {
      const reply = await post(TYPENAME, { 'content-encoding': encoding });
      expect(reply.status).toBe(415);
      expect(reply.json.errors[0].extensions.code).toBe('UNSUPPORTED_CONTENT_ENCODING');
      expect(reply.json.errors[0].message).toContain('gzip, deflate, br, identity');
      expect(reply.headers['accept-encoding']).toBe('gzip, deflate, br');
    },
  );
});

describe('JSON text', () => {
  it('accepts a body that starts with a UTF-8 byte-order mark', async () => {
    const reply = await post(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), TYPENAME]));
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ data: { __typename: 'Query' } });
  });

  it('accepts a gzip body whose JSON starts with a byte-order mark', async () => {
    const reply = await post(gzipSync(Buffer.concat([Buffer.from('\ufeff'), TYPENAME])), {
      'content-encoding': 'gzip',
    });
    expect(reply.status).toBe(200);
  });

  it('says where binary that is not JSON goes wrong without echoing its bytes', async () => {
    const reply = await post(Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xc3, 0x28, 0x7b]));
    expect(reply.status).toBe(400);
    expect(reply.json.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(reply.json.errors[0].message).toContain('not valid JSON');
    expect(reply.json.errors[0].message).toContain('\\u001f');
    expect(reply.json.errors[0].message).toMatch(PRINTABLE);
  });
});

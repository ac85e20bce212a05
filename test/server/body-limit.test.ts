/**
 * MAX_REQUEST_BYTES is inclusive: a GraphQL body of exactly the limit is read and answered, one byte more is
 * refused with 413 PAYLOAD_TOO_LARGE, whether the client declares its length (`content-length`) or streams it
 * (chunked, so the count is made while reading). The caller is the portal user, whose app connector grants no
 * UpdateConnector, so the larger upload limit never applies.
 */
import { Readable } from 'node:stream';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../src/server/index.js';
import { demoAuthorization, startTestService } from './helpers.js';

const LIMIT = 4096;

let service: Service;
let portal: string;
beforeAll(async () => {
  service = await startTestService({ MAX_REQUEST_BYTES: String(LIMIT), MAX_UPLOAD_BYTES: String(8 * LIMIT) });
  portal = demoAuthorization(service, 'portal');
});
afterAll(() => service?.close());

/** A `{ __typename }` request of exactly `bytes` bytes (padded with spaces inside the query). */
function bodyOf(bytes: number): Buffer {
  const bare = JSON.stringify({ query: '{ __typename }' });
  const body = Buffer.from(JSON.stringify({ query: `{ __typename }${' '.repeat(bytes - bare.length)}` }));
  expect(body.length).toBe(bytes);
  return body;
}

async function post(body: Buffer, chunked: boolean) {
  const res = await request(service.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: portal },
    // A stream has no length undici could declare: it goes out chunked.
    body: chunked ? Readable.from([body.subarray(0, 1000), body.subarray(1000)]) : body,
  });
  const text = await res.body.text();
  return { status: res.statusCode, json: JSON.parse(text) };
}

describe('the request body limit (MAX_REQUEST_BYTES)', () => {
  it.each([
    ['with content-length', false],
    ['chunked', true],
  ])('answers a body of exactly the limit and refuses one byte more with 413 (%s)', async (_, chunked) => {
    const at = await post(bodyOf(LIMIT), chunked);
    expect(at.status).toBe(200);
    expect(at.json).toEqual({ data: { __typename: 'Query' } });
    const over = await post(bodyOf(LIMIT + 1), chunked);
    expect(over.status).toBe(413);
    expect(over.json.errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(over.json.errors[0].message).toContain(`larger than ${LIMIT} bytes (MAX_REQUEST_BYTES)`);
  });
});

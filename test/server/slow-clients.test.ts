/**
 * Slow and large clients are bounded: a socket that never finishes its headers and a body that trickles are cut by
 * short configured timeouts, the (N+1)th socket is closed at once (MAX_CONNECTIONS), and an upload beyond
 * MAX_CONCURRENT_UPLOADS or UPLOAD_MEMORY_BYTES is refused with 503 `TOO_MANY_UPLOADS` before its body is read.
 * Raw sockets, so the test controls exactly which bytes arrive and when.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import type { Service } from '../../src/server/index.js';
import { demoAuthorization, http, startTestService } from './helpers.js';

let service: Service | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await service?.close();
  service = undefined;
});

interface RawClient {
  readonly socket: Socket;
  /** Everything the server has sent so far. */
  received(): string;
  /** Resolves when the server has closed the connection (or it failed), with everything it sent. */
  readonly closed: Promise<string>;
}

async function open(svc: Service): Promise<RawClient> {
  const { hostname, port } = new URL(svc.url);
  const socket = connect({ host: hostname === 'localhost' ? '127.0.0.1' : hostname, port: Number(port) });
  sockets.push(socket);
  let data = '';
  socket.on('data', (chunk: Buffer) => {
    data += chunk.toString('latin1');
  });
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(data)));
  socket.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  return { socket, received: () => data, closed };
}

/** The head of a POST /graphql with a declared body length. */
function postHead(length: number, authorization?: string): string {
  return (
    'POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n' +
    `${authorization ? `Authorization: ${authorization}\r\n` : ''}Content-Length: ${length}\r\n\r\n`
  );
}

/** The JSON error body of a raw answer. */
function errorCode(raw: string): string | undefined {
  const body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  return (JSON.parse(body) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code;
}

describe('slow clients', () => {
  it('cuts a body that trickles with 408 REQUEST_TIMEOUT once BODY_TIMEOUT_MS has passed, and closes the socket', async () => {
    service = await startTestService({ BODY_TIMEOUT_MS: '300' });
    const client = await open(service);
    client.socket.write(`${postHead(100)}{"query":`);
    // One byte every 100 ms: the body would take 9 s to arrive; the test stops sending after 3 s at most.
    for (let i = 0; i < 30 && client.received() === ''; i++) {
      await new Promise((r) => setTimeout(r, 100));
      if (!client.socket.destroyed) client.socket.write(' ');
    }
    const answer = await client.closed;
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(errorCode(answer)).toBe('REQUEST_TIMEOUT');
    expect(answer).toContain('BODY_TIMEOUT_MS');
  });

  it('cuts a socket that never finishes its headers once HEADERS_TIMEOUT_MS has passed', async () => {
    service = await startTestService({ HEADERS_TIMEOUT_MS: '1000' });
    const client = await open(service);
    client.socket.write('POST /graphql HTTP/1.1\r\nHost: localhost\r\n');
    const answer = await client.closed;
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('closes the socket beyond MAX_CONNECTIONS at once, and serves a new one when a place is free', async () => {
    service = await startTestService({ MAX_CONNECTIONS: '3' });
    const svc = service;
    const held = [await open(svc), await open(svc), await open(svc)];
    await vi.waitFor(async () => expect(await svc.connections()).toBe(3));

    const fourth = await open(svc);
    fourth.socket.write('GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n');
    expect(await fourth.closed).toBe('');

    held[0]?.socket.destroy();
    await vi.waitFor(async () => expect(await svc.connections()).toBe(2));
    const reply = await http(`${svc.url}/health`);
    expect(reply.status).toBe(200);
  });
});

describe('large uploads', () => {
  /**
   * A mutation padded to `length` bytes, large enough to count as an upload. Its root field needs KnPerson (an upload
   * is allowed only for the mutation's own UpdateConnector), and its initials are one over their 15 characters, so
   * the service answers it (200, BAD_USER_INPUT) without writing anything.
   */
  const paddedMutation = (length: number) => {
    const input = {
      firstName: 'Anna',
      lastName: 'Visser',
      initials: 'A'.repeat(16),
      address: { country: 'NL', street: 'Dorpsstraat', houseNumber: 12, zipCode: '1234 AB', city: 'Ergens' },
    };
    const query = 'mutation ($input: CreatePersonInput!) { createPerson(input: $input) { personId } }';
    const head = `{"query":${JSON.stringify(query)},"variables":{"input":${JSON.stringify(input)},"pad":"`;
    const tail = '"}}';
    return head + 'a'.repeat(length - head.length - tail.length) + tail;
  };
  const SMALL = { MAX_REQUEST_BYTES: '1024', MAX_UPLOAD_BYTES: '1000000' };

  it('refuses an upload beyond MAX_CONCURRENT_UPLOADS with 503 TOO_MANY_UPLOADS before reading it, and takes it once the first is done', async () => {
    service = await startTestService({ ...SMALL, MAX_CONCURRENT_UPLOADS: '1' });
    const svc = service;
    const admin = demoAuthorization(svc, 'admin');
    const first = await open(svc);
    first.socket.write(`${postHead(500_000, admin)}{"query":`);
    await vi.waitFor(() => expect(svc.uploads().active).toBe(1));

    const second = await open(svc);
    second.socket.write(postHead(500_000, admin));
    const refused = await second.closed;
    expect(refused).toMatch(/^HTTP\/1\.1 503 /);
    expect(refused).toMatch(/\r\nretry-after: 5\r\n/i);
    expect(errorCode(refused)).toBe('TOO_MANY_UPLOADS');

    first.socket.destroy();
    await vi.waitFor(() => expect(svc.uploads().active).toBe(0));
    const third = await http(svc.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: admin },
      body: paddedMutation(500_000),
    });
    expect(third.status).toBe(200);
    expect(third.json.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ rule: 'max-length' }] });
  });

  it('refuses an upload that would take the uploads in progress beyond UPLOAD_MEMORY_BYTES', async () => {
    service = await startTestService({ ...SMALL, MAX_CONCURRENT_UPLOADS: '4', UPLOAD_MEMORY_BYTES: '700000' });
    const svc = service;
    const admin = demoAuthorization(svc, 'admin');
    const first = await open(svc);
    first.socket.write(`${postHead(500_000, admin)}{"query":`);
    await vi.waitFor(() => expect(svc.uploads()).toEqual({ active: 1, reservedBytes: 500_000 }));

    const second = await open(svc);
    second.socket.write(postHead(300_000, admin));
    const refused = await second.closed;
    expect(refused).toMatch(/^HTTP\/1\.1 503 /);
    expect(errorCode(refused)).toBe('TOO_MANY_UPLOADS');

    // One that fits beside the first goes on.
    const fits = await http(svc.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: admin },
      body: paddedMutation(150_000),
    });
    expect(fits.status).toBe(200);
    expect(fits.json.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', issues: [{ rule: 'max-length' }] });
    expect(svc.uploads()).toEqual({ active: 1, reservedBytes: 500_000 });
  });

  it('cuts an upload whose body does not arrive within UPLOAD_TIMEOUT_MS, and frees its place', async () => {
    service = await startTestService({ ...SMALL, UPLOAD_TIMEOUT_MS: '500' });
    const svc = service;
    const client = await open(svc);
    client.socket.write(`${postHead(500_000, demoAuthorization(svc, 'admin'))}{"query":`);
    const answer = await client.closed;
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(errorCode(answer)).toBe('REQUEST_TIMEOUT');
    expect(answer).toContain('UPLOAD_TIMEOUT_MS');
    expect(svc.uploads().active).toBe(0);
  });
});

describe('the settings', () => {
  it('has a default for every bound, and refuses a value outside its range', () => {
    expect(loadConfig({}).bounds).toEqual({
      headersTimeoutMs: 10_000,
      bodyTimeoutMs: 10_000,
      uploadTimeoutMs: 120_000,
      maxConnections: 1024,
      maxConcurrentUploads: 2,
      uploadMemoryBytes: 167_772_160,
      credentialCheckConcurrency: 2,
      refusedCredentialTtlSeconds: 30,
    });
    expect(() => loadConfig({ MAX_CONCURRENT_UPLOADS: '0' })).toThrow(/MAX_CONCURRENT_UPLOADS must be between 1/);
    expect(() => loadConfig({ CREDENTIAL_CHECK_CONCURRENCY: '9' })).toThrow(/CREDENTIAL_CHECK_CONCURRENCY/);
    expect(() => loadConfig({ BODY_TIMEOUT_MS: 'soon' })).toThrow(/BODY_TIMEOUT_MS must be a whole number/);
  });
});

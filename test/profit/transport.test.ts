import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ProfitError } from '../../src/profit/errors.js';
import { CALLER_ABORT } from '../../src/profit/send/deadline.js';
import { Exchange } from '../../src/profit/send/send.js';
import { transport } from '../../src/profit/send/transport.js';

/**
 * The transport reads a whole body as Buffers and decodes it once. A plain HTTP server, not the emulator: these
 * tests need a body cut into chunks at chosen bytes (inside a multi-byte character), a byte-order mark and an answer
 * held back, which Profit's emulator has no reason to produce.
 */
let server: Server;
let baseUrl: string;
const agent = new Agent({ connections: 1 });
const seen: string[] = [];
const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  // "é" (c3 a9) and "€" (e2 82 ac) split between writes.
  '/split': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    const bytes = Buffer.from('{"Nm":"Café €uro"}', 'utf8');
    for (let i = 0; i < bytes.length; i++) res.write(bytes.subarray(i, i + 1));
    res.end();
  },
  '/bom': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"rows":[]}')]));
  },
  '/maintenance': (_req, res) => {
    res.writeHead(503, { 'retry-after': '120', 'content-type': 'application/json' });
    res.end('{"externalMessage":"Profit is in maintenance"}');
  },
  '/never': () => {
    // Holds the answer back until the client gives up.
  },
};

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.url ?? '');
    const route = routes[(req.url ?? '').split('?')[0]?.replace('/ProfitRestServices', '') ?? ''];
    if (route) route(req, res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ProfitRestServices`;
});

afterAll(async () => {
  await agent.close();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const send = () =>
  transport({ baseUrl, dispatcher: agent, integrationId: undefined, acceptLanguage: undefined, now: Date.now });
const get = (path: string, query = '') =>
  new Exchange({ method: 'GET', path, query, idempotent: true }, {}, undefined, false);

describe('the transport, reading a whole body', () => {
  it('decodes a body cut inside multi-byte characters exactly, and counts its bytes as sent', async () => {
    const answer = await send()(get('/split'));
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('{"Nm":"Café €uro"}');
    expect(answer.bytes).toBe(Buffer.byteLength('{"Nm":"Café €uro"}'));
  });

  it('skips a leading byte-order mark, as undici’s body.text() does, and counts it among the bytes received', async () => {
    const answer = await send()(get('/bom'));
    expect(answer.text).toBe('{"rows":[]}');
    expect(answer.bytes).toBe(14);
  });

  it('sends the path and query below the base URL, a quote percent-encoded as a URL parser does', async () => {
    seen.length = 0;
    await send()(get('/bom', "?filtervalues=d'Artagnan"));
    expect(seen).toEqual(['/ProfitRestServices/bom?filtervalues=d%27Artagnan']);
  });

  it('returns a 503 with its ProfitError and the Retry-After it names', async () => {
    const answer = await send()(get('/maintenance'));
    expect(answer.status).toBe(503);
    expect(answer.error).toBeInstanceOf(ProfitError);
    expect(answer.error?.retryAfterSeconds).toBe(120);
  });

  it('rejects with kind aborted when the caller aborts while the answer is awaited', async () => {
    const x = get('/never');
    const controller = new AbortController();
    x.signal = controller.signal;
    const pending = send()(x);
    setTimeout(() => controller.abort(CALLER_ABORT), 50);
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProfitError);
    expect((error as ProfitError).kind).toBe('aborted');
  });

  it('rejects with kind aborted without sending when the signal has already fired', async () => {
    seen.length = 0;
    const x = get('/bom');
    const controller = new AbortController();
    controller.abort(CALLER_ABORT);
    x.signal = controller.signal;
    const error = await send()(x).catch((e: unknown) => e);
    expect((error as ProfitError).kind).toBe('aborted');
    expect(seen).toEqual([]);
  });
});

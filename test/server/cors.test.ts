/**
 * CORS over HTTP: off by default (no CORS header, preflights refused), and with CORS_ORIGINS the answers a browser
 * needs for `/graphql` and the file downloads, for the listed origins only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import type { Service } from '../../src/server/index.js';
import { demoAuthorization, http, startTestService } from './helpers.js';

const APP = 'https://app.example.com';
const DEV = 'http://localhost:5173';
const OTHER = 'https://evil.example.net';

const QUERY = JSON.stringify({ query: '{ __typename }' });

function preflight(url: string, origin: string, method = 'POST', headers = 'authorization, content-type') {
  return http(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
  });
}

function corsHeaders(headers: Record<string, unknown>): string[] {
  return Object.keys(headers).filter((name) => name.startsWith('access-control-'));
}

describe('without CORS_ORIGINS', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(() => service?.close());

  it('refuses a preflight with 405 and no CORS header, as Apollo Server does without CORS', async () => {
    const reply = await preflight(service.graphqlUrl, APP);
    expect(reply.status).toBe(405);
    expect(reply.json.errors[0].extensions.code).toBe('METHOD_NOT_ALLOWED');
    expect(corsHeaders(reply.headers)).toEqual([]);
  });

  it('answers a request that names an origin without any CORS header', async () => {
    const reply = await http(service.graphqlUrl, {
      method: 'POST',
      headers: { origin: APP, 'content-type': 'application/json', authorization: demoAuthorization(service) },
      body: QUERY,
    });
    expect(reply.status).toBe(200);
    expect(corsHeaders(reply.headers)).toEqual([]);
  });
});

describe('with CORS_ORIGINS', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startTestService({ CORS_ORIGINS: `${APP}, ${DEV}` });
  });
  afterAll(() => service?.close());

  it.each([APP, DEV])('answers a preflight from %s with 204 and what the browser needs', async (origin) => {
    const reply = await preflight(service.graphqlUrl, origin);
    expect(reply.status).toBe(204);
    expect(reply.headers['access-control-allow-origin']).toBe(origin);
    expect(reply.headers['access-control-allow-methods']).toBe('GET, HEAD, POST');
    const allowed = String(reply.headers['access-control-allow-headers']).split(', ');
    for (const header of [
      'authorization',
      'content-type',
      'content-encoding',
      'apollo-require-preflight',
      'x-apollo-operation-name',
      'traceparent',
      'x-request-id',
    ]) {
      expect(allowed).toContain(header);
    }
    expect(reply.headers['access-control-max-age']).toBe('7200');
    expect(reply.headers.vary).toBe('Origin');
    expect(reply.headers['content-length']).toBe('0');
    expect(reply.body.length).toBe(0);
  });

  it('never says credentials are allowed: the service reads no cookie', async () => {
    const reply = await preflight(service.graphqlUrl, APP);
    expect(reply.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('refuses a preflight from an origin not listed with 403 CORS_ORIGIN_NOT_ALLOWED and no allow header', async () => {
    const reply = await preflight(service.graphqlUrl, OTHER);
    expect(reply.status).toBe(403);
    expect(reply.json.errors[0].extensions.code).toBe('CORS_ORIGIN_NOT_ALLOWED');
    expect(reply.json.errors[0].message).toBe(`Origin '${OTHER}' is not one of CORS_ORIGINS`);
    expect(corsHeaders(reply.headers)).toEqual([]);
    expect(reply.headers.vary).toBe('Origin');
  });

  it('compares origins exactly: another scheme, port or subdomain is not listed', async () => {
    for (const origin of ['http://app.example.com', 'https://app.example.com:8443', 'https://x.app.example.com']) {
      expect((await preflight(service.graphqlUrl, origin)).status).toBe(403);
    }
  });

  it('refuses a preflight for a method the route does not answer with 405', async () => {
    const reply = await preflight(service.graphqlUrl, APP, 'DELETE');
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe('GET, HEAD, POST');
    expect(reply.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers a preflight for a file download with the route’s methods', async () => {
    const reply = await preflight(`${service.url}/files/some-ticket`, APP, 'GET', 'authorization');
    expect(reply.status).toBe(204);
    expect(reply.headers['access-control-allow-origin']).toBe(APP);
    expect(reply.headers['access-control-allow-methods']).toBe('GET, HEAD');
  });

  it('keeps refusing OPTIONS without a preflight’s headers with 405', async () => {
    const reply = await http(service.graphqlUrl, { method: 'OPTIONS', headers: { origin: APP } });
    expect(reply.status).toBe(405);
  });

  it('gives no CORS to routes a browser on another origin has no use for', async () => {
    const reply = await preflight(`${service.url}/health`, APP, 'GET');
    expect(reply.status).toBe(405);
    expect(corsHeaders(reply.headers)).toEqual([]);
  });

  it('lets a listed origin read the answer, and sends Vary: Origin on every answer of /graphql', async () => {
    const post = (origin?: string) =>
      http(service.graphqlUrl, {
        method: 'POST',
        headers: {
          ...(origin ? { origin } : {}),
          'content-type': 'application/json',
          authorization: demoAuthorization(service),
        },
        body: QUERY,
      });
    const listed = await post(APP);
    expect(listed.status).toBe(200);
    expect(listed.json).toEqual({ data: { __typename: 'Query' } });
    expect(listed.headers['access-control-allow-origin']).toBe(APP);
    expect(listed.headers['access-control-expose-headers']).toContain('content-disposition');
    expect(listed.headers.vary).toBe('Origin');

    // CORS is the browser's check: the answer is made, but without the header that lets a script read it.
    const other = await post(OTHER);
    expect(other.status).toBe(200);
    expect(corsHeaders(other.headers)).toEqual([]);
    expect(other.headers.vary).toBe('Origin');

    const none = await post();
    expect(corsHeaders(none.headers)).toEqual([]);
    expect(none.headers.vary).toBe('Origin');
  });

  it('adds the allow header to error answers too, so a script can read why it failed', async () => {
    const reply = await http(service.graphqlUrl, {
      method: 'POST',
      headers: { origin: APP, 'content-type': 'application/json' },
      body: '{',
    });
    expect(reply.status).toBe(400);
    expect(reply.headers['access-control-allow-origin']).toBe(APP);
  });
});

describe('the CORS_ORIGINS setting', () => {
  it('normalizes each origin as a browser sends it', () => {
    const config = loadConfig({ CORS_ORIGINS: 'https://App.Example.com:443/, http://localhost:5173 ,' });
    expect(config.corsOrigins).toEqual(['https://app.example.com', 'http://localhost:5173']);
  });

  it('is empty by default', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
  });

  it.each(['*', 'app.example.com', 'https://app.example.com/graphql', 'ftp://files.example.com'])(
    'refuses %s with a one-line error naming the setting',
    (value) => {
      expect(() => loadConfig({ CORS_ORIGINS: value })).toThrow(ConfigError);
      expect(() => loadConfig({ CORS_ORIGINS: value })).toThrow(/^CORS_ORIGINS must list origins such as/);
    },
  );

  it('refuses an origin with user information without echoing it', () => {
    expect(() => loadConfig({ CORS_ORIGINS: 'https://user:s3cret@app.example.com' })).toThrow(
      /^CORS_ORIGINS must list origins without credentials$/,
    );
  });
});

/**
 * CORS as a browser enforces it: Debian's chromium (see playground.browser.test.ts) opens a page on another origin,
 * whose script calls the service with the demo admin's Authorization header. A listed origin gets its answer, a
 * compressed body included; any other origin is stopped at the preflight, before the service calls Profit.
 */
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../src/server/index.js';
import { demoAuthorization, startTestService } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available)
  console.warn(`Skipping the CORS browser test: ${CHROMIUM} is not installed (apt-get install chromium).`);

const QUERY = '{ employees(first: 1) { edges { node { employeeId } } } }';

/** What the page's script does: one POST to /graphql, its body gzip-compressed when asked. */
async function callFromPage(args: { url: string; authorization: string; query: string; gzip: boolean }) {
  const json = JSON.stringify({ query: args.query });
  const body = args.gzip
    ? await new Response(new Blob([json]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer()
    : json;
  try {
    const res = await fetch(args.url, {
      method: 'POST',
      headers: {
        authorization: args.authorization,
        'content-type': 'application/json',
        ...(args.gzip ? { 'content-encoding': 'gzip' } : {}),
      },
      body,
    });
    return { status: res.status, json: await res.json() };
  } catch (error) {
    return { failed: String(error) };
  }
}

describe.skipIf(!available)('CORS in chromium', () => {
  let pages: Server;
  let listed: string;
  let other: string;
  let service: Service;
  let browser: Browser;
  beforeAll(async () => {
    // One blank page server; `127.0.0.1` and `localhost` on its port are two different origins.
    pages = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html>'));
    await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
    const { port } = pages.address() as AddressInfo;
    listed = `http://127.0.0.1:${port}`;
    other = `http://localhost:${port}`;
    service = await startTestService({ CORS_ORIGINS: listed });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await service?.close();
    await new Promise((resolve) => pages?.close(resolve));
  });

  async function call(origin: string, gzip: boolean) {
    const page = await browser.newPage();
    try {
      await page.goto(`${origin}/`);
      return await page.evaluate(callFromPage, {
        url: service.graphqlUrl,
        authorization: demoAuthorization(service),
        query: QUERY,
        gzip,
      });
    } finally {
      await page.close();
    }
  }

  it.each([
    ['as JSON', false],
    ['gzip-compressed', true],
  ])(
    'lets a script on a listed origin read the answer (body %s)',
    async (_, gzip) => {
      const reply = await call(listed, gzip);
      expect(reply).toMatchObject({ status: 200, json: { data: { employees: { edges: [{ node: {} }] } } } });
    },
    30_000,
  );

  it('stops a script on another origin at the preflight: the service never calls Profit', async () => {
    service.emulator!.log.clear();
    const reply = await call(other, false);
    expect(reply).toEqual({ failed: 'TypeError: Failed to fetch' });
    expect(service.emulator!.log.entries()).toHaveLength(0);
  }, 30_000);
});

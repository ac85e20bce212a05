/**
 * The Playground in a real browser: Debian's chromium (CI installs it with apt; see .ci/run), driven by
 * playwright-core, with no browser download and no network beyond the service itself.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXAMPLE_QUERY } from '../../src/server/example.js';
import type { Service } from '../../src/server/index.js';
import { demoAuthorization, graphql, startTestService } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available)
  console.warn(`Skipping the Playground browser test: ${CHROMIUM} is not installed (apt-get install chromium).`);

describe.skipIf(!available)('the Playground in chromium', () => {
  let service: Service;
  let browser: Browser;
  beforeAll(async () => {
    service = await startTestService();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await service?.close();
  });

  it('runs the pre-filled query with the demo admin’s header and shows demo data, talking only to the service', async () => {
    // What the pre-filled query returns, asked directly.
    const expected = await graphql(service, EXAMPLE_QUERY, { authorization: demoAuthorization(service) });
    const firstEmployeeId: string = expected.json.data.employees.edges[0].node.employeeId;

    const page = await browser.newPage();
    const requests: string[] = [];
    const problems: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });

    await page.goto(`${service.url}/`, { waitUntil: 'load' });
    const run = page.locator('.graphiql-execute-button');
    await run.waitFor({ state: 'visible', timeout: 30_000 });
    const graphqlPosts = page.waitForResponse(
      (r) =>
        r.url() === service.graphqlUrl &&
        r.request().method() === 'POST' &&
        (r.request().postData() ?? '').includes('ActiveEmployees'),
    );
    await run.click();
    const response = await graphqlPosts;
    expect(response.status()).toBe(200);
    expect(await response.request().headerValue('authorization')).toBe(demoAuthorization(service));

    // innerText, not textContent: what the result pane renders is what a user sees.
    const result = page.locator('.graphiql-response');
    const shownText = () =>
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point
      result.innerText();
    await expect.poll(shownText, { timeout: 15_000 }).toContain('employeeId');
    const shown = (await shownText()).replace(/\s+/g, ' ');
    expect(shown).toContain(firstEmployeeId);
    expect(shown).not.toMatch(/UNAUTHENTICATED|"errors"/);

    const origin = new URL(service.url).origin;
    const foreign = requests.filter((u) => !u.startsWith(`${origin}/`) && !/^(blob|data):/.test(u));
    expect(foreign).toEqual([]);
    expect(problems.filter((p) => /Content Security Policy|Refused to/i.test(p))).toEqual([]);
    await page.close();
  }, 90_000);
});

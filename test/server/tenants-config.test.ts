/** The tenant list (PROFIT_TENANTS_FILE, PROFIT_TENANTS): read and checked at start, one line per error. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';

const TOKEN = 'AB'.repeat(32);
const SECRET_TOKEN = 'C7'.repeat(32);
const acme = { name: 'acme', PROFIT_ENVIRONMENT: '12345', PROFIT_TOKEN: TOKEN };
const globex = { name: 'globex', PROFIT_BASE_URL: 'https://profit.globex.test/ProfitRestServices' };

const load = (tenants: unknown, env: Record<string, string> = {}) =>
  loadConfig({ PROFIT_TENANTS: typeof tenants === 'string' ? tenants : JSON.stringify(tenants), ...env });

/** The ConfigError `run` throws: one line, without the secrets of these tests. */
function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    expect(message).not.toContain(SECRET_TOKEN);
    expect(message).not.toContain('fx-secret');
    return message;
  }
  throw new Error('expected a ConfigError');
}

describe('a tenant list', () => {
  it("gives each tenant its own environment and credential, and the process's call settings as defaults", () => {
    const config = load([{ ...acme, PROFIT_MAX_CONCURRENT: 6, PROFIT_ENVIRONMENT_TYPE: 'test' }, globex], {
      PROFIT_TIMEOUT_MS: '5000',
      PROFIT_INTEGRATION_ID: 'partner-1',
    });
    const [a, g] = config.tenants?.list ?? [];
    expect(config.tenants?.by).toBe('header');
    expect(config.tenants?.header).toBe('x-profit-environment');
    expect(a).toMatchObject({
      name: 'acme',
      target: { kind: 'profit', environmentId: '12345', environmentType: 'test' },
      credential: { kind: 'token', token: TOKEN },
      profit: { maxConcurrent: 6, timeoutMs: 5000, integrationId: 'partner-1' },
    });
    expect(g).toMatchObject({
      name: 'globex',
      target: { kind: 'profit', baseUrl: globex.PROFIT_BASE_URL },
      credential: { kind: 'pass-through' },
      profit: { maxConcurrent: 4, timeoutMs: 5000 },
    });
    // The commands that talk to one environment (check, snapshot) see the first tenant.
    expect(config.target).toEqual(a?.target);
  });

  it('is read from PROFIT_TENANTS_FILE', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tenants-')), 'tenants.json');
    writeFileSync(file, JSON.stringify([acme, globex]));
    expect(loadConfig({ PROFIT_TENANTS_FILE: file }).tenants?.list.map((t) => t.name)).toEqual(['acme', 'globex']);
  });

  it('leaves the service exactly as it was without one', () => {
    const config = loadConfig({});
    expect(config.tenants).toBeUndefined();
    expect(config.target.kind).toBe('emulator');
  });
});

describe('refused at start, each with one line that names the tenant and the key', () => {
  it.each([
    [
      'an environment number that is not one',
      [{ ...acme, PROFIT_ENVIRONMENT: '123' }],
      "PROFIT_TENANTS: tenant 'acme': PROFIT_ENVIRONMENT must be the 5-digit environment number, got '123'",
    ],
    [
      'a misspelt setting',
      [{ ...acme, PROFIT_TOKN: TOKEN }],
      `PROFIT_TENANTS: tenant 'acme': unknown setting "PROFIT_TOKN" (a tenant takes name, hosts, PROFIT_…)`,
    ],
    [
      'a setting that is not a Profit environment’s',
      [{ ...acme, PORT: '4001' }],
      `PROFIT_TENANTS: tenant 'acme': unknown setting "PORT" (a tenant takes name, hosts, PROFIT_…)`,
    ],
    [
      'a name listed twice',
      [acme, { ...globex, name: 'ACME' }],
      "PROFIT_TENANTS: tenant 'ACME' is listed twice (as 'acme' before)",
    ],
    [
      'a tenant without an environment',
      [{ name: 'acme', PROFIT_TOKEN: TOKEN }],
      "PROFIT_TENANTS: tenant 'acme': needs PROFIT_ENVIRONMENT or PROFIT_BASE_URL",
    ],
    [
      'a malformed token, without showing it',
      [{ ...acme, PROFIT_TOKEN: SECRET_TOKEN.slice(1) }],
      "PROFIT_TENANTS: tenant 'acme': PROFIT_TOKEN must be",
    ],
    [
      'half an OAuth pair',
      [{ ...globex, PROFIT_OAUTH_CLIENT_SECRET: 'fx-secret' }],
      "PROFIT_TENANTS: tenant 'globex': PROFIT_OAUTH_CLIENT_ID and PROFIT_OAUTH_CLIENT_SECRET go together",
    ],
    ['an entry without a name', [{ PROFIT_ENVIRONMENT: '12345' }], 'PROFIT_TENANTS: tenant #1 needs a "name"'],
    ['a name with a space', [{ ...acme, name: 'ac me' }], 'PROFIT_TENANTS: tenant #1 needs a "name"'],
    [
      'a value that is neither text nor a number',
      [{ ...acme, PROFIT_MAX_CONCURRENT: [4] }],
      "tenant 'acme': PROFIT_MAX_CONCURRENT must be a string or a number",
    ],
    [
      'a cap beyond Profit’s',
      [{ ...acme, PROFIT_MAX_CONCURRENT: 9 }],
      "tenant 'acme': PROFIT_MAX_CONCURRENT must be between 1 and 8, got 9",
    ],
    [
      'hosts outside host mode',
      [{ ...acme, hosts: ['acme.test'] }],
      `tenant 'acme': "hosts" applies to PROFIT_TENANT_BY=host only`,
    ],
    ['an empty list', [], 'PROFIT_TENANTS must be a JSON array of tenants'],
    ['an object instead of a list', { acme }, 'PROFIT_TENANTS must be a JSON array of tenants'],
  ])('%s', (_case, tenants, message) => {
    expect(refusal(() => load(tenants))).toContain(message);
  });

  it('text that is not JSON, by position only (the text may hold a secret)', () => {
    const message = refusal(() => load(`[{"name": "acme", "PROFIT_TOKEN": "${SECRET_TOKEN}"`));
    expect(message).toMatch(/^PROFIT_TENANTS is not valid JSON/);
  });

  it('a file that cannot be read, and a file beside the variable', () => {
    expect(refusal(() => loadConfig({ PROFIT_TENANTS_FILE: '/nonexistent/tenants.json' }))).toBe(
      'PROFIT_TENANTS_FILE "/nonexistent/tenants.json" cannot be read (ENOENT)',
    );
    expect(refusal(() => load([acme], { PROFIT_TENANTS_FILE: '/x.json' }))).toBe(
      'Set either PROFIT_TENANTS_FILE or PROFIT_TENANTS, not both',
    );
  });

  it("the process's own environment or credential beside a tenant list: no tenant may inherit them", () => {
    expect(refusal(() => load([globex], { PROFIT_TOKEN: SECRET_TOKEN }))).toBe(
      "PROFIT_TOKEN belongs in a tenant's entry of PROFIT_TENANTS, not in the process's environment",
    );
    expect(refusal(() => load([globex], { PROFIT_ENVIRONMENT: '12345' }))).toContain('PROFIT_ENVIRONMENT belongs');
  });

  it('host mode: a tenant without hosts, a host two tenants claim, a host with a port', () => {
    const byHost = { PROFIT_TENANT_BY: 'host' };
    expect(refusal(() => load([acme], byHost))).toBe(
      'PROFIT_TENANTS: tenant \'acme\': PROFIT_TENANT_BY=host needs "hosts", the host names it is served on',
    );
    expect(
      refusal(() =>
        load(
          [
            { ...acme, hosts: ['a.test'] },
            { ...globex, hosts: ['b.test', 'A.test'] },
          ],
          byHost,
        ),
      ),
    ).toBe("PROFIT_TENANTS: tenant 'globex': host a.test is tenant 'acme''s already");
    expect(refusal(() => load([{ ...acme, hosts: ['a.test:443'] }], byHost))).toContain(
      '"hosts" must list host names without port or scheme',
    );
  });

  it('JWT mode without a key, and a JWT key with a pass-through tenant', () => {
    expect(refusal(() => load([acme], { PROFIT_TENANT_BY: 'jwt' }))).toBe(
      'PROFIT_TENANT_BY=jwt needs JWT_JWKS_URL, JWT_PUBLIC_KEY or JWT_SECRET to verify the claim',
    );
    expect(refusal(() => load([acme, globex], { JWT_SECRET: 'x'.repeat(32) }))).toMatch(
      /^PROFIT_TENANTS: tenant 'globex': JWT_SECRET narrows a service credential/,
    );
  });

  it('production safety for each tenant: service mode without a JWT key', () => {
    expect(refusal(() => load([acme], { NODE_ENV: 'production' }))).toMatch(
      /^PROFIT_TENANTS: tenant 'acme': NODE_ENV=production with PROFIT_TOKEN but no JWT_JWKS_URL/,
    );
  });

  it('tenant settings without a tenant list', () => {
    expect(refusal(() => loadConfig({ PROFIT_TENANT_BY: 'host' }))).toBe(
      'PROFIT_TENANT_BY applies with PROFIT_TENANTS_FILE or PROFIT_TENANTS only: remove it',
    );
  });

  it('two tenants on one environment with different caps: Profit’s limit is per environment', () => {
    const message = refusal(() =>
      load([acme, { ...globex, PROFIT_BASE_URL: undefined, PROFIT_ENVIRONMENT: '12345', PROFIT_MAX_CONCURRENT: 2 }]),
    );
    expect(message).toBe(
      "PROFIT_TENANTS: tenants 'acme' and 'globex' use one Profit environment, whose limit they share: give them the same PROFIT_MAX_CONCURRENT",
    );
    // The same environment of another type is another environment.
    expect(() =>
      load([
        acme,
        {
          ...globex,
          PROFIT_BASE_URL: undefined,
          PROFIT_ENVIRONMENT: '12345',
          PROFIT_ENVIRONMENT_TYPE: 'test',
          PROFIT_MAX_CONCURRENT: 2,
        },
      ]),
    ).not.toThrow();
  });

  it('a tenant header that is not a header of its own', () => {
    expect(refusal(() => load([acme], { PROFIT_TENANT_HEADER: 'Authorization' }))).toBe(
      "PROFIT_TENANT_HEADER must be a header name of its own, got 'authorization'",
    );
  });
});

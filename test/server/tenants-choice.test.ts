/** Which tenant a request is for, from its signs (src/server/tenants.ts): a pure function, no HTTP. */
import { describe, expect, it } from 'vitest';
import type { Tenant, TenantsConfig } from '../../src/config/index.js';
import { chooseTenant, hostName, ticketRefusal } from '../../src/server/tenants.js';

const tenant = (name: string, hosts: string[] = []): Tenant => ({
  name,
  hosts,
  target: { kind: 'profit', environmentType: 'production', baseUrl: `https://${name}.test/ProfitRestServices` },
  credential: { kind: 'pass-through' },
  profit: {
    acceptLanguage: 'nl-nl',
    maxConcurrent: 4,
    timeoutMs: 30_000,
    retryAttempts: 3,
    maxRetryAfterSeconds: 10,
    maintenanceProbeSeconds: 0,
    transport: 'rest',
    validateXml: true,
  },
});
const config = (by: TenantsConfig['by']): TenantsConfig => ({
  by,
  header: 'x-profit-environment',
  claim: 'profit_tenant',
  list: [tenant('acme', ['acme.test']), tenant('globex', ['globex.test'])],
});
const chosen = (by: TenantsConfig['by'], signs: Parameters<typeof chooseTenant>[1]) => {
  const choice = chooseTenant(config(by), signs);
  return choice.kind === 'tenant' ? choice.tenant.name : choice.code;
};

describe('chooseTenant', () => {
  it('takes the mode’s own sign', () => {
    expect(chosen('header', { header: ' acme ' })).toBe('acme');
    expect(chosen('host', { host: 'GLOBEX.test:8443' })).toBe('globex');
    expect(chosen('jwt', { jwt: true, claim: 'acme' })).toBe('acme');
  });

  it('has no default: no sign is TENANT_REQUIRED, a name or host nobody has is UNKNOWN_TENANT', () => {
    expect(chosen('header', {})).toBe('TENANT_REQUIRED');
    expect(chosen('header', { header: '' })).toBe('TENANT_REQUIRED');
    expect(chosen('header', { header: 'ACME' })).toBe('UNKNOWN_TENANT');
    expect(chosen('host', { host: 'initech.test' })).toBe('UNKNOWN_TENANT');
    expect(chosen('jwt', { jwt: true, claim: ['acme'] })).toBe('UNKNOWN_TENANT');
  });

  it('refuses signs that disagree, whichever mode', () => {
    expect(chosen('header', { header: 'globex', jwt: true, claim: 'acme' })).toBe('TENANT_MISMATCH');
    expect(chosen('host', { host: 'acme.test', header: 'globex' })).toBe('TENANT_MISMATCH');
    expect(chosen('jwt', { jwt: true, claim: 'acme', header: 'globex' })).toBe('TENANT_MISMATCH');
    expect(chosen('host', { host: 'acme.test', jwt: true, claim: 'globex' })).toBe('TENANT_MISMATCH');
  });

  it('lets a verified JWT name the tenant in header mode, and requires it to once a JWT is verified', () => {
    expect(chosen('header', { jwt: true, claim: 'globex' })).toBe('globex');
    expect(chosen('header', { jwt: true, header: 'globex' })).toBe('TENANT_REQUIRED');
    expect(chosen('host', { jwt: true, host: 'globex.test' })).toBe('TENANT_REQUIRED');
  });

  it('never lists the tenants served in a refusal', () => {
    for (const signs of [{}, { header: 'initech' }, { header: 'globex', jwt: true, claim: 'acme' }]) {
      const choice = chooseTenant(config('header'), signs);
      expect(choice.kind).toBe('refused');
      if (choice.kind === 'refused') expect(choice.message).not.toMatch(/acme|globex/);
    }
  });
});

describe('ticketRefusal', () => {
  it('opens a ticket on a request that names its tenant or none, and refuses one that names another', () => {
    expect(ticketRefusal(config('header'), 'acme', {})).toBeUndefined();
    expect(ticketRefusal(config('header'), 'acme', { header: 'acme' })).toBeUndefined();
    expect(ticketRefusal(config('header'), 'acme', { header: 'globex' })?.code).toBe('TENANT_MISMATCH');
    expect(ticketRefusal(config('header'), 'acme', { header: 'initech' })?.code).toBe('TENANT_MISMATCH');
    expect(ticketRefusal(config('host'), 'acme', { host: 'public.example' })).toBeUndefined();
    expect(ticketRefusal(config('host'), 'acme', { host: 'globex.test' })?.code).toBe('TENANT_MISMATCH');
    expect(ticketRefusal(config('jwt'), 'acme', { header: 'globex' })?.code).toBe('TENANT_MISMATCH');
  });
});

describe('hostName', () => {
  it('is the Host header lower-case without its port', () => {
    expect(hostName('Acme.Test:4000')).toBe('acme.test');
    expect(hostName('[::1]:4000')).toBe('[::1]');
    expect(hostName('')).toBeUndefined();
    expect(hostName(undefined)).toBeUndefined();
  });
});

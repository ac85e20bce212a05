import { request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { afasTokenHeader } from '../../src/emulator/auth.js';
import type { Emulator } from '../../src/emulator/server.js';
import { ADMIN_CLIENT, PORTAL_CLIENT } from './fixture-company.js';
import { ADMIN, call, startFixtureEmulator } from './helpers.js';

let emu: Emulator;
const START = Date.UTC(2025, 5, 1, 10, 0, 0);
const clock = { ms: START, now: () => clock.ms };
beforeAll(async () => {
  emu = await startFixtureEmulator({ clock, tokenLifetimeSeconds: 600 });
});
afterAll(() => emu.close());
// A test that moves the clock leaves it where it was for the next, whatever the order.
beforeEach(() => {
  clock.ms = START;
});

async function token(form: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await request(`${emu.baseUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(form).toString(),
  });
  return { status: res.statusCode, json: (await res.body.json()) as Record<string, unknown> };
}

const credentials = (c: { clientId: string; clientSecret: string }) => ({
  grant_type: 'client_credentials',
  client_id: c.clientId,
  client_secret: c.clientSecret,
});

describe('AfasToken', () => {
  it('accepts the base64 token XML with the AfasToken prefix, in any case of the scheme', async () => {
    expect((await call(emu, 'GET', '/ProfitVersion', { auth: ADMIN })).status).toBe(200);
    expect((await call(emu, 'GET', '/ProfitVersion', { auth: ADMIN.replace('AfasToken', 'afastoken') })).status).toBe(
      200,
    );
  });

  it.each([
    ['no Authorization header', null],
    ['an unknown token', afasTokenHeader('0'.repeat(64))],
    ['the token XML without base64', `AfasToken <token><version>1</version><data>${'A'.repeat(64)}</data></token>`],
    ['base64 of something else', `AfasToken ${Buffer.from('hello').toString('base64')}`],
    ['another scheme', ADMIN.replace('AfasToken', 'Basic')],
  ])('answers a body-less 401 to %s', async (_name, auth) => {
    const r = await call(emu, 'GET', '/connectors/Fx_People', { auth });
    expect(r.status).toBe(401);
    expect(r.text).toBe('');
  });
});

describe('OAuth client credentials', () => {
  it('issues a Bearer token that works like the app connector user', async () => {
    const t = await token(credentials(PORTAL_CLIENT));
    expect(t.status).toBe(200);
    expect(t.json).toMatchObject({ token_type: 'Bearer', expires_in: 600, refresh_token: null });
    expect(typeof t.json.access_token).toBe('string');
    const meta = await call(emu, 'GET', '/metainfo', { auth: `Bearer ${t.json.access_token}` });
    expect(meta.json.info.appName).toBe('Fixture portal');
    expect(meta.json.info.tokenExpiry).toBe('2025-06-01T12:10:00Z');
  });

  it('accepts client credentials in an HTTP Basic header', async () => {
    const basic = Buffer.from(`${ADMIN_CLIENT.clientId}:${ADMIN_CLIENT.clientSecret}`).toString('base64');
    const t = await token({ grant_type: 'client_credentials' }, { authorization: `Basic ${basic}` });
    expect(t.status).toBe(200);
  });

  it('answers a wrong client secret with 401 invalid_client', async () => {
    const t = await token({ ...credentials(ADMIN_CLIENT), client_secret: 'wrong' });
    expect(t).toEqual({ status: 401, json: { error: 'invalid_client' } });
    expect((await token({ ...credentials(ADMIN_CLIENT), client_id: 'nobody' })).status).toBe(401);
  });

  it('answers another grant type with 400 unsupported_grant_type and a missing parameter with invalid_request', async () => {
    expect(await token({ ...credentials(ADMIN_CLIENT), grant_type: 'password' })).toEqual({
      status: 400,
      json: { error: 'unsupported_grant_type' },
    });
    expect(await token({ client_id: ADMIN_CLIENT.clientId })).toEqual({
      status: 400,
      json: { error: 'invalid_request' },
    });
  });

  it('expires tokens on the emulator clock, answering 401 afterwards', async () => {
    const t = await token(credentials(ADMIN_CLIENT));
    const auth = `Bearer ${t.json.access_token}`;
    clock.ms += 599_000;
    expect((await call(emu, 'GET', '/ProfitVersion', { auth })).status).toBe(200);
    clock.ms += 1_000;
    expect((await call(emu, 'GET', '/ProfitVersion', { auth })).status).toBe(401);
  });

  it('counts token issuances in the log', async () => {
    emu.log.clear();
    await token(credentials(ADMIN_CLIENT));
    await token(credentials(PORTAL_CLIENT));
    await token({ ...credentials(ADMIN_CLIENT), client_secret: 'wrong' });
    expect(emu.log.tokenIssuances()).toBe(2);
    const issued = emu.log.entries().filter((e) => e.tokenIssued);
    expect(issued.map((e) => e.appConnector)).toEqual(['fx-admin', 'fx-portal']);
  });
});

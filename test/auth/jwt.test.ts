/**
 * Service mode behind a router: one service credential (the demo admin's OAuth client), callers authenticated by
 * a JWT the deployment signs. A verified JWT's scopes can only narrow what the app connector grants. Keys are
 * generated locally; the service is given the public key (JWT_PUBLIC_KEY) or a shared secret (JWT_SECRET).
 */
import { exportSPKI, generateKeyPair, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import type { Service } from '../../src/server/index.js';
import { adminOAuthSettings, graphql, startTestService } from '../server/helpers.js';

let emulator: Emulator;
let service: Service;
let privateKey: CryptoKey;
let otherKey: CryptoKey;

beforeAll(async () => {
  emulator = await startEmulator({});
  const pair = await generateKeyPair('ES256', { extractable: true });
  privateKey = pair.privateKey;
  otherKey = (await generateKeyPair('ES256')).privateKey;
  service = await startTestService({
    ...adminOAuthSettings(emulator),
    JWT_PUBLIC_KEY: await exportSPKI(pair.publicKey),
    JWT_ISSUER: 'https://router.example',
    JWT_AUDIENCE: 'profit-subgraph',
  });
});
afterAll(async () => {
  await service?.close();
  await emulator?.close();
});

function jwt(claims: Record<string, unknown>, key = privateKey, options: { expired?: boolean } = {}): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'ES256' })
    .setIssuer('https://router.example')
    .setAudience('profit-subgraph')
    .setSubject('user-1')
    .setIssuedAt()
    .setExpirationTime(options.expired ? Math.floor(Date.now() / 1000) - 60 : '5m')
    .sign(key);
}

const connectorCalls = (since: number) =>
  emulator.log
    .entries()
    .filter((e) => e.seq > since && e.path.includes('/connectors/'))
    .map((e) => e.path.replace(/.*\/connectors\//, ''));
const lastSeq = () => emulator.log.entries().at(-1)?.seq ?? 0;

const QUERY =
  '{ persons(first: 2) { edges { node { personId } } } employees(first: 2) { edges { node { employeeId } } } }';

describe('JWT narrowing in service mode', () => {
  it('refuses a request without a JWT, or with one that does not verify, with 401 and no Profit call', async () => {
    const since = lastSeq();
    for (const authorization of [
      undefined,
      `Bearer ${await jwt({ scope: 'profit:get:*' }, otherKey)}`,
      `Bearer ${await jwt({ scope: 'profit:get:*' }, privateKey, { expired: true })}`,
    ]) {
      const reply = await graphql(service, QUERY, authorization === undefined ? {} : { authorization });
      expect(reply.status).toBe(401);
      expect(reply.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    expect(connectorCalls(since)).toEqual([]);
  });

  it('lets scopes narrow the grant: a connector outside them is FORBIDDEN (scope-missing) and not called', async () => {
    const token = await jwt({ scope: 'openid profit:get:Profit_Persons' });
    const since = lastSeq();
    const reply = await graphql(service, QUERY, { authorization: `Bearer ${token}` });
    expect(reply.status).toBe(200);
    expect(reply.json.data.persons.edges).toHaveLength(2);
    expect(reply.json.data.employees).toBeNull();
    expect(reply.json.errors).toHaveLength(1);
    expect(reply.json.errors[0].extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'scope-missing',
      connector: 'Profit_Employees',
      scope: 'profit:get:Profit_Employees',
    });
    expect(connectorCalls(since)).toEqual(['Profit_Persons']);
  });

  it('cannot widen the grant: the service credential still decides fields', async () => {
    const token = await jwt({ scp: ['profit:get:*', 'profit:update:*'] });
    const reply = await graphql(service, '{ me { narrowed getConnectors updateConnectors } }', {
      authorization: `Bearer ${token}`,
    });
    expect(reply.json.data.me.narrowed).toBe(true);
    expect(reply.json.data.me.getConnectors).toContain('Profit_Employees');
    expect(reply.json.data.me.updateConnectors).toContain('KnPerson');
  });

  it('narrows mutations by profit:update scopes', async () => {
    const token = await jwt({ scope: 'profit:get:Profit_Persons' });
    const since = lastSeq();
    const reply = await graphql(service, 'mutation { deleteProject(projectId: "NOPE") { projectId } }', {
      authorization: `Bearer ${token}`,
    });
    expect(reply.json.errors[0].extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'scope-missing',
      scope: 'profit:update:PtProject',
    });
    expect(connectorCalls(since)).toEqual([]);
  });

  it('does not narrow with a JWT that carries no scope claim (it only authenticates)', async () => {
    const reply = await graphql(service, QUERY, { authorization: `Bearer ${await jwt({})}` });
    expect(reply.json.errors).toBeUndefined();
    expect(reply.json.data.employees.edges).toHaveLength(2);
  });

  it('lets schema-only operations through without a JWT (a router reading _service)', async () => {
    const reply = await graphql(service, '{ _service { sdl } }');
    expect(reply.status).toBe(200);
  });
});

describe('JWT configuration', () => {
  it('verifies HS256 with JWT_SECRET', async () => {
    const { createJwtVerifier } = await import('../../src/server/jwt.js');
    const verify = createJwtVerifier({ secret: 'a-shared-secret-of-enough-length-0123456789' });
    const token = await new SignJWT({ scope: 'profit:get:Profit_Persons' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('1m')
      .sign(new TextEncoder().encode('a-shared-secret-of-enough-length-0123456789'));
    expect(await verify(`Bearer ${token}`)).toMatchObject({ kind: 'verified', scopes: ['profit:get:Profit_Persons'] });
    expect(await verify(`Bearer ${token}x`)).toMatchObject({ kind: 'invalid' });
  });

  it('refuses JWT settings in pass-through mode, and two key sources at once', () => {
    expect(() => loadConfig({ JWT_SECRET: 'x' })).toThrow(ConfigError);
    expect(() =>
      loadConfig({ PROFIT_TOKEN: 'a'.repeat(64), JWT_SECRET: 'x', JWT_JWKS_URL: 'https://idp/jwks' }),
    ).toThrow(/not several/);
    expect(loadConfig({ PROFIT_TOKEN: 'a'.repeat(64), JWT_SECRET: 'x' }).auth.jwt?.secret).toBe('x');
  });
});

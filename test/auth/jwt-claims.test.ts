/**
 * Service mode with JWT_ISSUER and JWT_AUDIENCE set: a token is accepted only when it names that issuer and that
 * audience. Every token here is signed with the right key and is current, so only its `iss` or `aud` can be the
 * reason it is refused; each refusal is 401 UNAUTHENTICATED over HTTP, before any Profit call.
 */
import { exportSPKI, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import type { Service } from '../../src/server/index.js';
import { adminOAuthSettings, graphql, startTestService } from '../server/helpers.js';

const ISSUER = 'https://router.example';
const AUDIENCE = 'profit-subgraph';
const QUERY = '{ persons(first: 1) { edges { node { personId } } } }';

let emulator: Emulator;
let service: Service;
let privateKey: CryptoKey;

beforeAll(async () => {
  emulator = await startEmulator({});
  const pair = await generateKeyPair('ES256', { extractable: true });
  privateKey = pair.privateKey;
  service = await startTestService({
    ...adminOAuthSettings(emulator),
    JWT_PUBLIC_KEY: await exportSPKI(pair.publicKey),
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
  });
});
afterAll(async () => {
  await service?.close();
  await emulator?.close();
});

/** A current token signed with the right key; `iss` and `aud` exactly as given (absent when `undefined`). */
function token(claims: { iss?: string; aud?: string | string[] }): Promise<string> {
  const payload: JWTPayload = { scope: 'profit:get:*', sub: 'user-1', ...claims };
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'ES256' })
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(privateKey);
}

const connectorCalls = (since: number) =>
  emulator.log.entries().filter((e) => e.seq > since && e.path.includes('/connectors/'));
const lastSeq = () => emulator.log.entries().at(-1)?.seq ?? 0;

async function ask(claims: { iss?: string; aud?: string | string[] }) {
  return graphql(service, QUERY, { authorization: `Bearer ${await token(claims)}` });
}

describe('the issuer and audience a service requires', () => {
  it('accepts a token naming the configured issuer and audience (among others)', async () => {
    for (const aud of [AUDIENCE, ['another-subgraph', AUDIENCE]]) {
      const reply = await ask({ iss: ISSUER, aud });
      expect(reply.status).toBe(200);
      expect(reply.json.errors).toBeUndefined();
      expect(reply.json.data.persons.edges).toHaveLength(1);
    }
  });

  it.each<[string, Record<string, unknown>]>([
    // JWT_ISSUER
    ['another issuer', { iss: 'https://elsewhere.example', aud: AUDIENCE }],
    ['the issuer in another case', { iss: ISSUER.toUpperCase(), aud: AUDIENCE }],
    ['no issuer', { aud: AUDIENCE }],
    // JWT_AUDIENCE
    ['another audience', { iss: ISSUER, aud: 'another-subgraph' }],
    ['only other audiences', { iss: ISSUER, aud: ['a-subgraph', 'b-subgraph'] }],
    ['no audience', { iss: ISSUER }],
  ])('refuses a token with %s with 401 UNAUTHENTICATED and no Profit call', async (_, claims) => {
    const since = lastSeq();
    const reply = await ask(claims);
    expect(reply.status).toBe(401);
    expect(reply.json.data).toBeUndefined();
    expect(reply.json.errors).toHaveLength(1);
    expect(reply.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(connectorCalls(since)).toEqual([]);
  });
});

describe('the Authorization header and the scope claims', () => {
  const NARROW = '{ persons(first: 1) { edges { node { personId } } } employees(first: 1) { edges { cursor } } }';

  it.each(['bearer ', 'BEARER ', 'Bearer   '])(
    'takes the scheme in any case, then any spaces (RFC 7235): "%s<JWT>"',
    async (prefix) => {
      const reply = await graphql(service, QUERY, {
        authorization: prefix + (await token({ iss: ISSUER, aud: AUDIENCE })),
      });
      expect(reply.status).toBe(200);
      expect(reply.json.errors).toBeUndefined();
    },
  );

  it('reads scp given as one space-separated string, like scope: it narrows to the scopes it lists', async () => {
    const jwt = await new SignJWT({ scp: 'openid profit:get:Profit_Persons', iss: ISSUER, aud: AUDIENCE })
      .setProtectedHeader({ alg: 'ES256' })
      .setExpirationTime('5m')
      .sign(privateKey);
    const since = lastSeq();
    const reply = await graphql(service, NARROW, { authorization: `Bearer ${jwt}` });
    expect(reply.status).toBe(200);
    expect(reply.json.data.persons.edges).toHaveLength(1);
    expect(reply.json.data.employees).toBeNull();
    expect(reply.json.errors).toHaveLength(1);
    expect(reply.json.errors[0].extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'scope-missing',
      scope: 'profit:get:Profit_Employees',
    });
    expect(connectorCalls(since).map((e) => e.path.replace(/.*\/connectors\//, ''))).toEqual(['Profit_Persons']);
  });
});

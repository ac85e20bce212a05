/**
 * The response cache without Redis (RESPONSE_CACHE_TTL_SECONDS; in memory): the service over HTTP on its embedded
 * emulator, Profit calls counted in the emulator's request log.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import type { Service } from '../../src/server/index.js';
import { adminOAuthSettings, demoAuthorization, graphql, http, startTestService } from './helpers.js';

const EMPLOYEES = '{ employees(first: 3) { edges { node { employeeId name } } } }';
const PERSONS = '{ persons(first: 2) { edges { node { personId } } } }';
const ORGANISATIONS = '{ organisations(first: 2) { edges { node { organisationId name } } } }';
const UPDATE_EMPLOYEE = 'mutation ($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { employeeId } }';

/** Profit calls made while `run` ran, as `METHOD path`. */
async function profitCalls(service: Service, run: () => Promise<unknown>): Promise<string[]> {
  const log = service.emulator!.log;
  const before = log.entries().at(-1)?.seq ?? 0;
  await run();
  return log
    .entries()
    .filter((e) => e.seq > before)
    .map((e) => `${e.method} ${e.path}`);
}

async function lookups(service: Service): Promise<{ hit: number; miss: number }> {
  const text = (await http(service.metricsUrl)).text;
  const count = (result: string) =>
    Number(
      text.match(new RegExp(`profit_subgraph_response_cache_lookups_total\\{result="${result}"\\} (\\d+)`))?.[1] ?? 0,
    );
  return { hit: count('hit'), miss: count('miss') };
}

describe('with RESPONSE_CACHE_TTL_SECONDS set and no Redis', () => {
  let service: Service;
  let admin: string;
  let hr: string;
  beforeAll(async () => {
    service = await startTestService({ RESPONSE_CACHE_TTL_SECONDS: '60' });
    admin = demoAuthorization(service, 'admin');
    hr = demoAuthorization(service, 'hr');
  });
  afterAll(() => service.close());
  beforeEach(() => service.emulator!.faults.clear());

  it('answers the second identical query from the cache, with no Profit call, and counts a miss and a hit', async () => {
    const variables = { first: 2 };
    const query = 'query ($first: Int) { employees(first: $first) { edges { node { employeeId } } } }';
    const before = await lookups(service);
    const first = await graphql(service, query, { authorization: admin, variables });
    let second: Awaited<ReturnType<typeof graphql>> | undefined;
    const calls = await profitCalls(service, async () => {
      second = await graphql(service, query, { authorization: admin, variables });
    });
    expect(calls).toEqual([]);
    expect(second?.json).toEqual(first.json);
    expect(second?.json.data.employees.edges).toHaveLength(2);
    // The browser is still told not to keep it: only the server can drop an entry when a write happens.
    expect(second?.headers['cache-control']).toBe('no-store');
    expect(await lookups(service)).toEqual({ hit: before.hit + 1, miss: before.miss + 1 });
  });

  it('keys by the variables: other variables call Profit', async () => {
    const query = 'query ($first: Int) { employees(first: $first) { edges { node { employeeId } } } }';
    await graphql(service, query, { authorization: admin, variables: { first: 1 } });
    const calls = await profitCalls(service, () =>
      graphql(service, query, { authorization: admin, variables: { first: 3 } }),
    );
    expect(calls).toEqual(['GET /ProfitRestServices/connectors/Profit_Employees']);
    const again = () => graphql(service, query, { authorization: admin, variables: { first: 3 } });
    expect(await profitCalls(service, again)).toEqual([]);
  });

  it("does not serve another credential's identical query from the first one's entry", async () => {
    await graphql(service, EMPLOYEES, { authorization: admin });
    const calls = await profitCalls(service, () => graphql(service, EMPLOYEES, { authorization: hr }));
    // Besides hr's own grant (metainfo), the rows: hr's answer comes from Profit, not from admin's entry.
    expect(calls.filter((c) => c.includes('/connectors/'))).toEqual([
      'GET /ProfitRestServices/connectors/Profit_Employees',
    ]);
    const again = await profitCalls(service, () => graphql(service, EMPLOYEES, { authorization: hr }));
    expect(again).toEqual([]);
  });

  it('calls Profit again for employees and persons after a mutation of an Employee, and keeps what read other entities', async () => {
    const page = await graphql(service, EMPLOYEES, { authorization: admin });
    await graphql(service, ORGANISATIONS, { authorization: admin });
    await graphql(service, PERSONS, { authorization: admin });
    const employeeId = page.json.data.employees.edges[0].node.employeeId;
    const written = await graphql(service, UPDATE_EMPLOYEE, {
      authorization: admin,
      variables: { input: { employeeId, blocked: false } },
    });
    expect(written.json.errors).toBeUndefined();
    const employees = await profitCalls(service, () => graphql(service, EMPLOYEES, { authorization: admin }));
    expect(employees).toEqual(['GET /ProfitRestServices/connectors/Profit_Employees']);
    // updateEmployee may carry the employee's person (KnPerson inside KnEmployee): persons are read again too.
    const persons = await profitCalls(service, () => graphql(service, PERSONS, { authorization: admin }));
    expect(persons).toEqual(['GET /ProfitRestServices/connectors/Profit_Persons']);
    const organisations = await profitCalls(service, () => graphql(service, ORGANISATIONS, { authorization: admin }));
    expect(organisations).toEqual([]);
  });

  it('never caches a mutation', async () => {
    const employeeId = (await graphql(service, EMPLOYEES, { authorization: admin })).json.data.employees.edges[0].node
      .employeeId;
    const write = () =>
      graphql(service, UPDATE_EMPLOYEE, { authorization: admin, variables: { input: { employeeId, blocked: false } } });
    await write();
    const calls = await profitCalls(service, write);
    expect(calls).toEqual([
      'PUT /ProfitRestServices/connectors/KnEmployee',
      'GET /ProfitRestServices/connectors/Profit_Employees',
    ]);
  });

  it('does not cache an answer carrying errors', async () => {
    const query = '{ employees(first: 4) { edges { node { employeeId } } } }';
    await graphql(service, '{ __typename }', { authorization: admin });
    service.emulator!.faults.once({ kind: '500', path: 'Profit_Employees' });
    const failed = await graphql(service, query, { authorization: admin });
    expect(failed.json.errors[0].extensions.code).toBe('PROFIT_REJECTED');
    const calls = await profitCalls(service, () => graphql(service, query, { authorization: admin }));
    expect(calls).toEqual(['GET /ProfitRestServices/connectors/Profit_Employees']);
    // The answer without errors is the one kept.
    expect(await profitCalls(service, () => graphql(service, query, { authorization: admin }))).toEqual([]);
  });

  it('does not cache what it knows no hint for: the caller’s access (`me`)', async () => {
    await graphql(service, '{ me { connectors: types { name } } }', { authorization: admin });
    const first = await lookups(service);
    await graphql(service, '{ me { connectors: types { name } } }', { authorization: admin });
    expect(await lookups(service)).toEqual(first);
  });
});

describe('in service mode behind a router (one credential, JWT scopes)', () => {
  it("keys by the JWT's scopes too: a caller whose scopes withhold a connector never gets another's answer", async () => {
    const emulator = await startEmulator({});
    const secret = 'a-shared-secret-of-enough-length-0123456789';
    const service = await startTestService({
      ...adminOAuthSettings(emulator),
      JWT_SECRET: secret,
      RESPONSE_CACHE_TTL_SECONDS: '60',
    });
    const bearer = async (scope: string) =>
      `Bearer ${await new SignJWT({ scope })
        .setProtectedHeader({ alg: 'HS256' })
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(secret))}`;
    try {
      const persons = '{ persons(first: 2) { edges { node { personId } } } }';
      const reader = await bearer('profit:get:Profit_Persons');
      expect((await graphql(service, persons, { authorization: reader })).json.errors).toBeUndefined();
      const cached = await graphql(service, persons, { authorization: reader });
      expect(cached.headers.age).toBeDefined();
      const other = await graphql(service, persons, { authorization: await bearer('profit:get:Profit_Employees') });
      expect(other.json.data.persons).toBeNull();
      expect(other.json.errors[0].extensions.code).toBe('FORBIDDEN');
    } finally {
      await service.close();
      await emulator.close();
    }
  });
});

describe('TTL', () => {
  it('calls Profit again once an entry is older than RESPONSE_CACHE_TTL_SECONDS', async () => {
    const service = await startTestService({ RESPONSE_CACHE_TTL_SECONDS: '1' });
    try {
      const admin = demoAuthorization(service);
      await graphql(service, EMPLOYEES, { authorization: admin });
      expect(await profitCalls(service, () => graphql(service, EMPLOYEES, { authorization: admin }))).toEqual([]);
      await delay(1_100);
      expect(await profitCalls(service, () => graphql(service, EMPLOYEES, { authorization: admin }))).toEqual([
        'GET /ProfitRestServices/connectors/Profit_Employees',
      ]);
    } finally {
      await service.close();
    }
  });
});

describe('off by default', () => {
  it('calls Profit for every query when RESPONSE_CACHE_TTL_SECONDS is unset', async () => {
    const service = await startTestService();
    try {
      const admin = demoAuthorization(service);
      await graphql(service, EMPLOYEES, { authorization: admin });
      expect(await profitCalls(service, () => graphql(service, EMPLOYEES, { authorization: admin }))).toEqual([
        'GET /ProfitRestServices/connectors/Profit_Employees',
      ]);
      expect(await lookups(service)).toEqual({ hit: 0, miss: 0 });
    } finally {
      await service.close();
    }
  });
});

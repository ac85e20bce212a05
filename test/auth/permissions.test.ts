/**
 * The grant cache: one `/metainfo` per credential per TTL, one `/metainfo/get/{id}` per connector a request
 * touches, shared by concurrent first requests, partitioned by credential fingerprint, and dropped when Profit
 * answers as if the grant changed. Every test counts the exact Profit calls, metainfo included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermissionStore } from '../../src/graphql/auth/index.js';
import { createRequestContext } from '../../src/graphql/index.js';
import { type DemoUser, type Harness, startHarness } from '../graphql/helpers.js';
import { pathsOf } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ scale: 1 });
});
afterAll(() => h?.close());

const EMPLOYEES = '{ employees(first: 2) { edges { node { employeeId name } } } }';

function runWith(store: PermissionStore, user: DemoUser, source = EMPLOYEES) {
  return h.run(source, undefined, { context: createRequestContext({ client: h.client(user), permissions: store }) });
}

describe('the grant cache', () => {
  it('reads /metainfo, then /metainfo/get for the connector, then the data: three calls, then one', async () => {
    const store = new PermissionStore();
    const first = await runWith(store, 'admin');
    expect(first.result.errors).toBeUndefined();
    expect(pathsOf(first.calls)).toEqual([
      '/metainfo',
      '/metainfo/get/Profit_Employees',
      '/connectors/Profit_Employees',
    ]);
    const second = await runWith(store, 'admin');
    expect(pathsOf(second.calls)).toEqual(['/connectors/Profit_Employees']);
    expect(store.stats).toEqual({ metainfo: 1, connectorMetainfo: 1 });
  });

  it('asks /metainfo/get only for connectors a request touches', async () => {
    const store = new PermissionStore();
    const { calls } = await runWith(
      store,
      'admin',
      '{ employees(first: 2) { edges { node { employeeId person { name } } } } }',
    );
    expect(pathsOf(calls).sort()).toEqual(
      [
        '/metainfo',
        '/metainfo/get/Profit_Employees',
        '/metainfo/get/Profit_Persons',
        '/connectors/Profit_Employees',
        '/connectors/Profit_Persons',
      ].sort(),
    );
  });

  it('shares one load between concurrent first requests of a credential', async () => {
    const store = new PermissionStore();
    const results = await Promise.all(Array.from({ length: 8 }, () => runWith(store, 'hr')));
    for (const r of results) expect(r.result.errors).toBeUndefined();
    const all = pathsOf(h.emulator.log.entries().filter((e) => e.seq >= results[0]!.calls[0]!.seq));
    expect(all.filter((p) => p === '/metainfo')).toHaveLength(1);
    expect(all.filter((p) => p === '/metainfo/get/Profit_Employees')).toHaveLength(1);
    expect(store.stats).toEqual({ metainfo: 1, connectorMetainfo: 1 });
  });

  it('keeps credentials apart: each has its own entry, keyed by fingerprint', async () => {
    const store = new PermissionStore();
    await runWith(store, 'admin');
    await runWith(store, 'hr');
    expect(store.size).toBe(2);
    expect(store.stats.metainfo).toBe(2);
  });

  it('reads the grant again once the TTL has passed', async () => {
    let now = 1_000_000;
    const store = new PermissionStore({ ttlMs: 300_000, now: () => now });
    await runWith(store, 'admin');
    now += 299_000;
    expect(pathsOf((await runWith(store, 'admin')).calls)).toEqual(['/connectors/Profit_Employees']);
    now += 2_000;
    expect(pathsOf((await runWith(store, 'admin')).calls)).toEqual([
      '/metainfo',
      '/metainfo/get/Profit_Employees',
      '/connectors/Profit_Employees',
    ]);
  });

  it('drops the least recently used credential beyond maxCredentials', async () => {
    const store = new PermissionStore({ maxCredentials: 1 });
    await runWith(store, 'admin');
    await runWith(store, 'hr');
    expect(store.size).toBe(1);
    expect(pathsOf((await runWith(store, 'admin')).calls)[0]).toBe('/metainfo');
  });

  it('does not keep a failed load: the next request asks again', async () => {
    const store = new PermissionStore();
    h.emulator.faults.maintenance(7200);
    try {
      const { result } = await runWith(store, 'admin');
      expect(result.errors?.[0]?.extensions?.code).toBe('PROFIT_UNAVAILABLE');
    } finally {
      h.emulator.faults.maintenance(null);
    }
    const { result, calls } = await runWith(store, 'admin');
    expect(result.errors).toBeUndefined();
    expect(pathsOf(calls)[0]).toBe('/metainfo');
  });

  it('decides each field of each row without waiting once the connector’s fields are known', async () => {
    const context = createRequestContext({ client: h.client('hr'), permissions: new PermissionStore() });
    await h.run(EMPLOYEES, undefined, { context });
    const { getGrant } = await import('../../src/graphql/auth/index.js');
    expect(context.auth.require([getGrant('Profit_Employees'), getGrant('Profit_Employees', 'Name')])).toBeUndefined();
    expect(() => context.auth.require([getGrant('Profit_Employees'), getGrant('Profit_Employees', 'Salary')])).toThrow(
      /Profit_Employees\.Salary/,
    );
  });

  it('refreshes when Profit answers as if the grant changed (a connector withdrawn), then denies without calling it', async () => {
    const store = new PermissionStore();
    const hr = h.emulator.company.appConnectors.find((a) => a.id === 'hr')!;
    const grants = hr.getConnectors as Record<string, string[]>;
    await runWith(store, 'hr', '{ leaves(first: 1) { edges { node { leaveId } } } }');
    const saved = grants.Profit_Leaves!;
    delete grants.Profit_Leaves;
    try {
      // The cache still says granted: Profit is asked and refuses; the answer drops the cached grant.
      const stale = await runWith(store, 'hr', '{ leaves(first: 1) { edges { node { leaveId } } } }');
      expect(pathsOf(stale.calls)).toEqual(['/connectors/Profit_Leaves']);
      expect(stale.result.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'not-granted' });
      // The next request reads the grant anew and denies before any call to the connector.
      const fresh = await runWith(store, 'hr', '{ leaves(first: 1) { edges { node { leaveId } } } }');
      expect(pathsOf(fresh.calls)).toEqual(['/metainfo']);
      expect(fresh.result.errors?.[0]?.extensions).toMatchObject({
        code: 'FORBIDDEN',
        reason: 'not-granted',
        connector: 'Profit_Leaves',
      });
    } finally {
      grants.Profit_Leaves = saved;
    }
  });

  it('refreshes when Profit says a cached field is not found', async () => {
    const store = new PermissionStore();
    const hr = h.emulator.company.appConnectors.find((a) => a.id === 'hr')!;
    const grants = hr.getConnectors as Record<string, string[]>;
    const query = '{ employees(first: 1, orderBy: [{ field: mailWork }]) { edges { node { employeeId } } } }';
    await runWith(store, 'hr', query);
    const saved = grants.Profit_Employees!;
    grants.Profit_Employees = [...saved, 'MailWork'];
    try {
      const stale = await runWith(store, 'hr', query);
      expect(stale.result.errors?.[0]?.extensions?.code).toBe('PROFIT_REJECTED');
      const fresh = await runWith(store, 'hr', query);
      expect(pathsOf(fresh.calls)).toEqual(['/metainfo', '/metainfo/get/Profit_Employees']);
      expect(fresh.result.errors?.[0]?.extensions).toMatchObject({ code: 'FORBIDDEN', field: 'MailWork' });
    } finally {
      grants.Profit_Employees = saved;
    }
  });
});

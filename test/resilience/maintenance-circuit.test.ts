/**
 * The Profit connection's maintenance circuit (`retry.maintenanceProbeSeconds`), against the emulator over HTTP
 * with a clock the test moves: after a 503 asking to wait beyond the cap, nothing is sent until Profit's time is
 * up, but for one probe at a time and one per interval; the probe's answer closes or re-opens it.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ProfitClient, ProfitConnection } from '../../src/profit/index.js';
import { calls, expectProfitError, type Harness, startHarness } from '../integration/support.js';

describe('the maintenance circuit', () => {
  let harness: Harness;
  let clock: number;
  let connection: ProfitConnection;
  let admin: ProfitClient;
  const sent = async () => calls(await harness.log.entries());
  const persons = () => admin.get('Profit_Persons', { take: 1 });

  beforeAll(async () => {
    harness = await startHarness();
  });
  afterAll(() => harness.close());
  beforeEach(() => {
    harness.reset();
    clock = Date.parse('2026-11-25T22:00:00Z');
    connection = harness.connect({ now: () => clock, retry: { maintenanceProbeSeconds: 60 } });
    admin = connection.client(harness.token('admin'));
  });

  it('is off by default: every call during maintenance reaches Profit', async () => {
    const plain = harness.connect().client(harness.token('admin'));
    harness.emulator.faults.maintenance(7200);
    await expectProfitError(plain.get('Profit_Persons', { take: 1 }), 'unavailable');
    await expectProfitError(plain.get('Profit_Persons', { take: 1 }), 'unavailable');
    expect(await sent()).toEqual(['GET /connectors/Profit_Persons', 'GET /connectors/Profit_Persons']);
  });

  it('after one 503 sends nothing, reads or writes, and says when Profit is back', async () => {
    harness.emulator.faults.maintenance(7200);
    const first = await expectProfitError(persons(), 'unavailable');
    expect(first.requestSent).toBe(true);
    expect(connection.maintenanceUntil?.toISOString()).toBe('2026-11-26T00:00:00.000Z');
    clock += 59_000; // the probe is due after 60 s
    harness.emulator.faults.maintenance(null); // not seen: nothing is sent
    const refused = await Promise.all([
      expectProfitError(persons(), 'unavailable'),
      expectProfitError(admin.insert('HrAbsenceID', { fields: { EmId: 'x' } }), 'unavailable'),
      expectProfitError(admin.profitVersion(), 'unavailable'),
    ]);
    for (const e of refused) {
      expect(e.requestSent).toBe(false);
      expect(e.retryAfterSeconds).toBe(7200 - 59);
      expect(e.message).toMatch(
        /was not sent: Profit is in maintenance .*about 119 min \(at 2026-11-26T00:00:00\.000Z\)/,
      );
    }
    expect(await sent()).toEqual(['GET /connectors/Profit_Persons']);
  });

  it('lets one probe through per interval; a 503 re-opens the circuit, any other answer closes it', async () => {
    harness.emulator.faults.maintenance(7200);
    await expectProfitError(persons(), 'unavailable');
    clock += 60_000;
    // Due: the first call is the probe (still maintenance); the concurrent one is refused without being sent.
    const [probe, other] = await Promise.all([
      expectProfitError(persons(), 'unavailable'),
      expectProfitError(persons(), 'unavailable'),
    ]);
    expect([probe.requestSent, other.requestSent]).toEqual([true, false]);
    await expectProfitError(persons(), 'unavailable');
    expect(await sent()).toHaveLength(2);
    harness.emulator.faults.maintenance(null);
    clock += 59_000;
    await expectProfitError(persons(), 'unavailable');
    clock += 1_000;
    await expect(persons()).resolves.toMatchObject({ rows: [expect.any(Object)] });
    expect(connection.maintenanceUntil).toBeUndefined();
    await Promise.all([persons(), persons(), persons()]);
    expect(await sent()).toHaveLength(6);
  });

  it('closes by itself once Profit’s retry_after has passed, before the next probe is due', async () => {
    harness.emulator.faults.maintenance(30); // beyond the 10 s cap, shorter than the 60 s probe interval
    await expectProfitError(persons(), 'unavailable');
    harness.emulator.faults.maintenance(null);
    clock += 29_000;
    await expectProfitError(persons(), 'unavailable');
    clock += 1_000;
    await persons();
    expect(await sent()).toEqual(['GET /connectors/Profit_Persons', 'GET /connectors/Profit_Persons']);
  });

  it('ignores a 503 within the cap: that one is waited for and retried, as before', async () => {
    harness.emulator.faults.set({ retryAfter: 0 });
    harness.emulator.faults.once({ kind: '503', path: 'Profit_Persons' });
    await persons();
    expect(connection.maintenanceUntil).toBeUndefined();
    expect(await sent()).toEqual(['GET /connectors/Profit_Persons', 'GET /connectors/Profit_Persons']);
  });

  it('with interval 0, sends one probe at a time: concurrent calls during a probe are refused', async () => {
    const eager = harness.connect({ now: () => clock, retry: { maintenanceProbeSeconds: 0 } });
    const client = eager.client(harness.token('admin'));
    harness.emulator.faults.maintenance(7200);
    await expectProfitError(client.get('Profit_Persons', { take: 1 }), 'unavailable');
    harness.emulator.faults.update({ latency: { fixedMs: 100 } });
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, () => client.get('Profit_Persons', { take: 1 })),
    );
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect(await sent()).toHaveLength(2);
  });
});

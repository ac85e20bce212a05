/**
 * Issue 14 §1 end to end: three `profit-subgraph serve` processes (the built CLI), one emulator (20 ms per
 * call) and a real redis-server. With REDIS_URL, PROFIT_MAX_CONCURRENT is the cap of all replicas together.
 */
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentials, type Emulator, startEmulator } from '../../src/emulator/index.js';
import { createRedisClient } from '../../src/redis/client.js';
import { limiterKeys } from '../../src/redis/limiter-scripts.js';
import { budgetName } from '../../src/server/profit-caps.js';
import { REDIS_SERVER, type RedisServer, startRedisServer } from './redis-server.js';
import { buildIfStale, type Replica, startReplica } from './replica.js';

const MAX = 4;
/** SharedLimiter's default lease: a dead replica's slots are free within this. */
const LEASE_MS = 5_000;

/** Four Profit calls per request: employees, their persons, employers and leaves (as bench/load.ts). */
const QUERY = `{
  employees(first: 10) {
    edges { node { employeeId name person { personId lastName } employer { organisationId name } leaves(first: 3) { edges { node { leaveId } } } } }
  }
}`;

let redisServer: RedisServer;
let admin: Redis;
let emulator: Emulator;
let authorization: string;
let replicas: Replica[] = [];

beforeAll(async () => {
  if (!REDIS_SERVER) return;
  buildIfStale();
  redisServer = await startRedisServer();
  admin = createRedisClient(redisServer.url);
  emulator = await startEmulator({ port: 0 });
  // Profit's own latency, stood in for: every call waits this long in the emulator.
  emulator.faults.set({ latency: { fixedMs: 20 } });
  authorization = credentials(emulator.company).find((app) => app.appConnector === 'admin')?.users[0]
    ?.authorization as string;
  replicas = await Promise.all(
    [1, 2, 3].map(() =>
      startReplica({
        PROFIT_BASE_URL: emulator.baseUrl,
        REDIS_URL: redisServer.url,
        PROFIT_MAX_CONCURRENT: String(MAX),
      }),
    ),
  );
  // Each replica learns the admin's grant (one /metainfo) before the load, so only the shared cap is measured.
  // (A replica's caps reach Redis within milliseconds of its start, seconds before it listens.)
  for (const r of replicas) expect(await r.graphql(QUERY, authorization)).toBe(true);
}, 300_000);

afterAll(async () => {
  await Promise.all(replicas.map((r) => r.kill()));
  admin?.disconnect();
  await emulator?.close();
  await redisServer?.kill();
});

/** `clients` loops of the query on each replica until `stop()`; counts answers that carried data and failures. */
function load(on: readonly Replica[], clients: number) {
  let running = true;
  const counts = { ok: 0, failed: 0 };
  const loops = on.flatMap((r) =>
    Array.from({ length: clients }, async () => {
      while (running) {
        if (await r.graphql(QUERY, authorization)) counts.ok++;
        else counts.failed++;
      }
    }),
  );
  return {
    counts,
    async stop() {
      running = false;
      await Promise.all(loops);
      return counts;
    },
  };
}

describe.skipIf(!REDIS_SERVER)('three replicas with REDIS_URL share one Profit budget', () => {
  it('never let the emulator see more parallel calls than PROFIT_MAX_CONCURRENT, under load spread over them', async () => {
    emulator.log.clear();
    const run = load(replicas, 6);
    await until(() => emulator.log.entries().length >= 300, 60_000);
    const counts = await run.stop();

    expect(counts.failed).toBe(0);
    expect(emulator.log.maxInFlight()).toBe(MAX);
    for (const r of replicas)
      expect((await r.metrics()).get('profit_subgraph_profit_limiter_shared{cap="shared"}')).toBe(1);
  }, 90_000);

  it('free the slots of a replica killed mid-call within the lease time, so the others reach the full cap again', async () => {
    const [a, b, c] = replicas as [Replica, Replica, Replica];
    const holders = limiterKeys('profit-subgraph:limiter:', budgetName(emulator.baseUrl, 'shared'))[0] as string;
    // Slow calls, all on the third replica, so that it holds every slot when it dies.
    emulator.faults.set({ latency: { fixedMs: 2_000 } });
    const onC = load([c], 6);
    await until(async () => (await admin.zcard(holders)) === MAX);
    await until(() => emulator.log.entries().filter((e) => e.status === 'pending').length === MAX);
    await c.kill();
    void onC.stop();
    emulator.faults.set({ latency: { fixedMs: 20 } });

    // The dead replica's leases still hold the budget; the survivors' callers wait for them to expire.
    emulator.log.clear();
    const run = load([a, b], 6);
    expect(await admin.zcard(holders)).toBe(MAX);
    // Within the lease (and a margin for this loaded machine), the survivors hold every slot.
    await until(() => emulator.log.maxInFlight() === MAX, LEASE_MS + 5_000);
    const counts = await run.stop();

    expect(counts.failed).toBe(0);
    expect(emulator.log.maxInFlight()).toBe(MAX);
  }, 90_000);

  it('keep serving on their local share while Redis is down, say so in logs and /metrics, and share again once it is back', async () => {
    const [a, b] = replicas as [Replica, Replica];
    const run = load([a, b], 4);
    await until(() => run.counts.ok >= 20, 30_000);

    await redisServer.kill();
    for (const r of [a, b]) {
      await until(async () => (await r.metrics()).get('profit_subgraph_profit_limiter_shared{cap="shared"}') === 0);
    }
    const servedLocally = run.counts.ok;
    await until(() => run.counts.ok >= servedLocally + 20, 30_000);

    await redisServer.restart();
    for (const r of [a, b]) {
      await until(async () => (await r.metrics()).get('profit_subgraph_profit_limiter_shared{cap="shared"}') === 1);
    }
    const counts = await run.stop();

    expect(counts.failed).toBe(0);
    for (const r of [a, b]) {
      const m = await r.metrics();
      expect(m.get('profit_subgraph_profit_limiter_fallbacks_total{cap="shared"}')).toBeGreaterThanOrEqual(1);
      const lines = r.logs.filter((l) => l.cap === 'shared');
      expect(lines[0]?.level).toBe('info');
      expect(lines.at(-1)?.level).toBe('info');
      expect(lines.find((l) => l.level === 'warn')?.msg).toMatch(
        /Redis unavailable, falling back to this replica's share of \d/,
      );
      expect(JSON.stringify(r.logs)).not.toContain(authorization.slice(10, 40));
    }
  }, 120_000);
});

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms: ${condition}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

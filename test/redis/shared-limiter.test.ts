import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { afasTokenHeader } from '../../src/emulator/auth.js';
import type { Emulator } from '../../src/emulator/server.js';
import { createRedisClient } from '../../src/redis/client.js';
import { limiterKeys } from '../../src/redis/limiter-scripts.js';
import { type LimiterMode, SharedLimiter, type SharedLimiterOptions } from '../../src/redis/shared-limiter.js';
import { ADMIN_TOKEN_DATA } from '../emulator/fixture-company.js';
import { startFixtureEmulator } from '../emulator/helpers.js';
import { killChild, REDIS_SERVER, type RedisServer, startRedisServer } from './redis-server.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PREFIX = 'profit-subgraph:limiter:';

let server: RedisServer;
let admin: Redis;
const cleanup: (() => unknown)[] = [];
let budgets = 0;
const connections = new Map<SharedLimiter, Redis>();

/** A fresh budget name per test, so no test sees another's leases. */
const budget = () => `env-${++budgets}`;

beforeAll(async () => {
  if (!REDIS_SERVER) return;
  server = await startRedisServer();
  admin = createRedisClient(server.url);
  await until(() => admin.status === 'ready');
});

afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

afterAll(async () => {
  admin?.disconnect();
  await server?.kill();
});

/** A limiter on its own connection, as another process would have; closed after the test. */
async function limiter(options: Omit<SharedLimiterOptions, 'redis'>): Promise<SharedLimiter> {
  const redis = createRedisClient(server.url);
  const l = new SharedLimiter({ redis, ...options });
  connections.set(l, redis);
  cleanup.push(
    () => redis.disconnect(),
    () => l.close(),
  );
  await until(() => l.mode === 'shared');
  return l;
}

function keys(name: string) {
  const [holders, queue] = limiterKeys(PREFIX, name) as [string, string];
  return { holders: () => admin.zcard(holders), queue: () => admin.zcard(queue) };
}

/** Starts test/redis/worker.ts in a process of its own; `events` fills with its JSON lines. */
function worker(env: Record<string, string>): {
  child: ChildProcess;
  events: Record<string, string>[];
  exited: Promise<void>;
} {
  const child = spawn(process.execPath, ['--import', './test/support/typescript.mjs', 'test/redis/worker.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', REDIS_URL: server.url, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const events: Record<string, string>[] = [];
  let buffer = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) if (line) events.push(JSON.parse(line));
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  cleanup.push(() => killChild(child));
  return { child, events, exited };
}

/** Waits for a condition that the code under test makes true by itself (not a measure of speed). */
async function until(check: () => boolean | Promise<boolean>, what = 'condition', ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('SharedLimiter options', () => {
  it('refuses a budget name that is not a plain key part, and a cap that is not a positive integer', () => {
    const redis = createRedisClient('redis://127.0.0.1:1');
    cleanup.push(() => redis.disconnect());
    expect(() => new SharedLimiter({ redis, name: 'a{b}', max: 4 })).toThrow(
      "name must match /^[A-Za-z0-9._:-]{1,100}$/, got 'a{b}'",
    );
    expect(() => new SharedLimiter({ redis, name: 'env', max: 0 })).toThrow('max must be a positive integer, got 0');
    expect(() => new SharedLimiter({ redis, name: 'env', max: 4, leaseMs: 1.5 })).toThrow(
      'leaseMs must be a positive integer, got 1.5',
    );
  });
});

describe.skipIf(!REDIS_SERVER)('SharedLimiter against a real redis-server', () => {
  describe('one cap for all processes', () => {
    let emu: Emulator;
    beforeAll(async () => {
      emu = await startFixtureEmulator();
      emu.faults.set({ latency: { fixedMs: 20 } });
    });
    afterAll(() => emu?.close());

    async function run(limiterKind: 'shared' | 'local'): Promise<{ calls: number; peak: number }> {
      emu.log.clear();
      const name = budget();
      const env = {
        WORKER_JOB: 'calls',
        LIMITER: limiterKind,
        NAME: name,
        MAX: '3',
        TASKS: '4',
        CALLS: '10',
        EMULATOR_URL: emu.baseUrl,
        AUTH: afasTokenHeader(ADMIN_TOKEN_DATA),
      };
      const workers = [worker(env), worker(env), worker(env)];
      await Promise.all(workers.map((w) => w.exited));
      for (const w of workers) expect(w.events.at(-1)).toEqual({ event: 'done' });
      return { calls: emu.log.entries().length, peak: emu.log.maxInFlight() };
    }

    it('never lets three processes together have more calls in flight at the emulator than the cap', async () => {
      const { calls, peak } = await run('shared');
      expect(calls).toBe(3 * 4 * 10);
      expect(peak).toBe(3);
    }, 60_000);

    it('keeps two processes calling, none failing, while Redis dies and comes back', async () => {
      emu.log.clear();
      const own = await startRedisServer();
      cleanup.push(() => own.kill());
      const env = {
        WORKER_JOB: 'loop',
        REDIS_URL: own.url,
        NAME: budget(),
        MAX: '3',
        TASKS: '3',
        EMULATOR_URL: emu.baseUrl,
        AUTH: afasTokenHeader(ADMIN_TOKEN_DATA),
      };
      const workers = [worker(env), worker(env)];
      const modes = (w: (typeof workers)[number]) => w.events.filter((e) => e.event === 'mode').map((e) => e.mode);
      const callsGrowBy = async (n: number) => {
        const target = emu.log.entries().length + n;
        await until(() => emu.log.entries().length >= target, `${n} more calls`);
      };
      await until(() => workers.every((w) => modes(w).length === 1), 'both workers to share the cap');
      await callsGrowBy(20);
      await own.kill();
      await until(() => workers.every((w) => modes(w).length === 2), 'both workers to fall back');
      await callsGrowBy(20);
      await own.restart();
      await until(() => workers.every((w) => modes(w).length === 3), 'both workers to share again');
      await callsGrowBy(20);
      for (const w of workers) w.child.kill('SIGTERM');
      await Promise.all(workers.map((w) => w.exited));
      for (const w of workers) {
        expect(modes(w)).toEqual(['shared', 'local', 'shared']);
        expect(w.events.at(-1)).toMatchObject({ event: 'done', failed: 0 });
      }
    }, 60_000);

    it('is needed: three local limiters of the same cap together exceed it', async () => {
      const { calls, peak } = await run('local');
      expect(calls).toBe(3 * 4 * 10);
      expect(peak).toBeGreaterThan(3);
    }, 60_000);
  });

  describe('leases', () => {
    it('frees the slots of a process killed while holding them within the lease time', async () => {
      const name = budget();
      const held = worker({ WORKER_JOB: 'hold', NAME: name, MAX: '2', HOLD: '2', LEASE_MS: '1000' });
      await until(() => held.events.some((e) => e.event === 'held'), 'the worker to hold its slots');
      const other = await limiter({ name, max: 2, leaseMs: 1_000 });
      held.child.kill('SIGKILL');
      await held.exited;
      expect(await keys(name).holders()).toBe(2);

      // Without expiry this would wait for ever; the bound is the lease plus the waiter's poll, with room to spare.
      const release = await other.acquire(AbortSignal.timeout(3_000));
      expect(await keys(name).holders()).toBe(1);
      release();
    });

    it('releases once however often release is called, and never a slot taken by someone else', async () => {
      const name = budget();
      const a = await limiter({ name, max: 1 });
      const release = await a.acquire();
      release();
      release();
      const again = await a.acquire();
      release();
      expect(await keys(name).holders()).toBe(1);
      expect(a.active).toBe(1);
      again();
      await until(async () => (await keys(name).holders()) === 0, 'the release to reach Redis');
    });

    it('does not free a slot taken by someone else when released after its lease expired', async () => {
      const name = budget();
      const stalled = await limiter({ name, max: 1, leaseMs: 300 });
      const late = await stalled.acquire();
      stalled.close(); // stops its heartbeat, as a stalled event loop would
      const other = await limiter({ name, max: 1, leaseMs: 300 });
      const release = await other.acquire(AbortSignal.timeout(3_000));
      late();
      await connections.get(stalled)?.ping(); // answered after the late LEAVE, sent before it on the same connection
      expect(await keys(name).holders()).toBe(1);
      const third = await limiter({ name, max: 1 });
      const waiting = third.acquire();
      await until(async () => (await keys(name).queue()) === 1, 'the next caller to queue');
      release();
      (await waiting)();
    });
  });

  describe('waiting', () => {
    it('lets a waiter whose signal fires leave the queue without ever taking a slot', async () => {
      const name = budget();
      const a = await limiter({ name, max: 1 });
      const b = await limiter({ name, max: 1, waiterTtlMs: 60_000 }); // its place would not expire by itself soon
      const releaseA = await a.acquire();
      const controller = new AbortController();
      const waiting = b.acquire(controller.signal);
      await until(async () => (await keys(name).queue()) === 1, 'b to queue');
      controller.abort(new Error('caller gave up'));
      await expect(waiting).rejects.toThrow('caller gave up');
      await until(async () => (await keys(name).queue()) === 0, 'b to leave the queue');
      releaseA();
      await until(async () => (await keys(name).holders()) === 0, 'a to release');
      expect(b.active).toBe(0);
      expect(b.queued).toBe(0);
    });

    it('serves waiters of several processes in the order they arrived', async () => {
      const name = budget();
      const [a, b, c] = [
        await limiter({ name, max: 1 }),
        await limiter({ name, max: 1 }),
        await limiter({ name, max: 1 }),
      ];
      const release = await a.acquire();
      const order: string[] = [];
      // Each waiter is in Redis's queue before the next one asks: their arrival order is known.
      const queue = async (l: SharedLimiter, label: string, position: number) => {
        const granted = l.acquire().then((r) => {
          order.push(label);
          return r;
        });
        await until(async () => (await keys(name).queue()) === position, `${label} to queue`);
        return { granted };
      };
      const waiters = [
        await queue(b, 'b1', 1),
        await queue(c, 'c1', 2),
        await queue(b, 'b2', 3),
        await queue(a, 'a1', 4),
      ];
      release();
      for (const { granted } of waiters) (await granted)();
      expect(order).toEqual(['b1', 'c1', 'b2', 'a1']);
    });

    it('drops the waiters of a process that died, so they do not block the queue', async () => {
      const name = budget();
      const a = await limiter({ name, max: 1 });
      const release = await a.acquire();
      const dead = worker({ WORKER_JOB: 'wait', NAME: name, MAX: '1' });
      await until(async () => (await keys(name).queue()) === 1, 'the worker to queue');
      dead.child.kill('SIGKILL');
      await dead.exited;
      const b = await limiter({ name, max: 1 });
      const next = b.acquire();
      release();
      (await next)();
      expect(await keys(name).queue()).toBe(0);
    });

    it('takes a free slot in one Redis round trip', async () => {
      const name = budget();
      const a = await limiter({ name, max: 2, leaseMs: 60_000 });
      (await a.acquire())(); // the first call on a connection may load the script (EVAL instead of EVALSHA)
      await until(async () => (await keys(name).holders()) === 0, 'the release to reach Redis');
      await admin.config('RESETSTAT');
      const release = await a.acquire();
      // Commands run inside a script are counted too: only EVAL/EVALSHA are calls from the client.
      const stats = await admin.info('commandstats');
      const calls = [...stats.matchAll(/cmdstat_(evalsha|eval):calls=(\d+)/g)].map((m) => `${m[1]}=${m[2]}`);
      expect(calls).toEqual(['evalsha=1']);
      release();
    });
  });

  describe('when Redis is unavailable', () => {
    it("falls back to this process's share of the cap, from the processes seen sharing it", async () => {
      const own = await startRedisServer();
      cleanup.push(() => own.kill());
      const name = budget();
      const make = () => {
        const redis = createRedisClient(own.url);
        const l = new SharedLimiter({ redis, name, max: 5, leaseMs: 300 });
        cleanup.push(
          () => redis.disconnect(),
          () => l.close(),
        );
        return l;
      };
      const [a, b] = [make(), make()];
      await until(() => a.localMax === 2 && b.localMax === 2, 'both to see two processes');
      await own.kill();
      await until(() => a.mode === 'local' && b.mode === 'local', 'local mode');
      const held = [await a.acquire(), await a.acquire()];
      const third = a.acquire();
      expect(a.queued).toBe(1);
      for (const release of held) release();
      (await third)();
    });

    it('falls back to the local cap at once when Redis is down at start, and says so', async () => {
      const changes: [LimiterMode, string][] = [];
      const redis = createRedisClient('redis://127.0.0.1:1');
      const l = new SharedLimiter({ redis, name: budget(), max: 2, onModeChange: (m, r) => changes.push([m, r]) });
      cleanup.push(
        () => redis.disconnect(),
        () => l.close(),
      );
      const [r1, r2] = [await l.acquire(), await l.acquire()];
      expect(l.active).toBe(2);
      expect(l.mode).toBe('local');
      await until(() => changes.length > 0, 'the mode report');
      expect(changes[0]?.[0]).toBe('local');
      r1();
      r2();
    });

    it('goes local when Redis dies mid-run without failing a call, and back to shared when it returns', async () => {
      const own = await startRedisServer();
      cleanup.push(() => own.kill());
      const changes: LimiterMode[] = [];
      const redis = createRedisClient(own.url);
      const l = new SharedLimiter({ redis, name: budget(), max: 2, onModeChange: (m) => changes.push(m) });
      cleanup.push(
        () => redis.disconnect(),
        () => l.close(),
      );
      await until(() => l.mode === 'shared', 'shared mode');
      const [first, second] = [await l.acquire(), await l.acquire()];
      const waiting = l.acquire().then((r) => r);
      await own.kill();
      await until(() => l.mode === 'local', 'local mode');
      // The waiter moved to the local cap, whose slots are all free: it gets one there and does not fail.
      (await waiting)();
      first();
      second();
      (await l.acquire())();

      await own.restart();
      await until(() => l.mode === 'shared', 'shared mode again');
      const back = await l.acquire();
      const probe = createRedisClient(own.url);
      cleanup.push(() => probe.disconnect());
      await until(() => probe.status === 'ready', 'probe');
      expect(await probe.zcard(limiterKeys(PREFIX, `env-${budgets}`)[0] as string)).toBe(1);
      back();
      expect(changes).toEqual(['shared', 'local', 'shared']);
    });
  });
});

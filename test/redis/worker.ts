/**
 * One "replica" for test/redis/shared-limiter.test.ts, run as its own process. Reads its job from the environment and
 * writes one JSON line per event to stdout.
 *
 *   WORKER_JOB=calls  TASKS × CALLS: acquire → GET the emulator → release; then `{"event":"done"}`.
 *   WORKER_JOB=loop   TASKS callers making calls until SIGTERM; then `{"event":"done","calls":n,"failed":n}`.
 *   WORKER_JOB=hold   acquire HOLD slots, say `{"event":"held"}`, and keep them until killed.
 *   WORKER_JOB=wait   acquire one slot (expected to queue), say `{"event":"waiting"}`, wait until killed.
 *   LIMITER=local     a plain local Limiter instead (the behaviour before issue 14), for contrast.
 */
import { request } from 'undici';
import { Limiter } from '../../src/profit/limiter.js';
import { createRedisClient } from '../../src/redis/client.js';
import { SharedLimiter } from '../../src/redis/shared-limiter.js';

const env = process.env;
const say = (event: object) => process.stdout.write(`${JSON.stringify(event)}\n`);
const max = Number(env.MAX);

const redis = createRedisClient(env.REDIS_URL as string);
const limiter =
  env.LIMITER === 'local'
    ? new Limiter(max)
    : new SharedLimiter({
        redis,
        name: env.NAME as string,
        max,
        leaseMs: Number(env.LEASE_MS ?? 5_000),
        onModeChange: (mode, reason) => say({ event: 'mode', mode, reason }),
      });
if (limiter instanceof SharedLimiter) await new Promise((resolve) => redis.once('ready', resolve));
if (limiter instanceof SharedLimiter) while (limiter.mode !== 'shared') await new Promise((r) => setTimeout(r, 5));

const call = async () => {
  const release = await limiter.acquire();
  try {
    const res = await request(`${env.EMULATOR_URL}/connectors/Fx_People?skip=0&take=1`, {
      headers: { authorization: env.AUTH as string },
    });
    await res.body.text();
    if (res.statusCode !== 200) throw new Error(`emulator answered ${res.statusCode}`);
  } finally {
    release();
  }
};

if (env.WORKER_JOB === 'calls') {
  const task = async () => {
    for (let i = 0; i < Number(env.CALLS); i++) await call();
  };
  await Promise.all(Array.from({ length: Number(env.TASKS) }, task));
  say({ event: 'done' });
  if (limiter instanceof SharedLimiter) limiter.close();
  redis.disconnect();
} else if (env.WORKER_JOB === 'loop') {
  let stop = false;
  let calls = 0;
  let failed = 0;
  process.on('SIGTERM', () => {
    stop = true;
  });
  const task = async () => {
    while (!stop) {
      try {
        await call();
        calls++;
      } catch {
        failed++;
      }
    }
  };
  await Promise.all(Array.from({ length: Number(env.TASKS) }, task));
  say({ event: 'done', calls, failed });
  process.exit(0);
} else if (env.WORKER_JOB === 'hold') {
  for (let i = 0; i < Number(env.HOLD); i++) await limiter.acquire();
  say({ event: 'held' });
  setInterval(() => {}, 1_000);
} else if (env.WORKER_JOB === 'wait') {
  void limiter.acquire();
  setTimeout(() => say({ event: 'waiting' }), 50);
  setInterval(() => {}, 1_000);
}

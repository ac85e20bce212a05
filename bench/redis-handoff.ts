/**
 * How long a SharedLimiter waiter takes to learn of a freed slot, and what a free slot costs, against the Redis at
 * REDIS_URL (e.g. a local `redis-server --port 6390 --save "" --appendonly no`):
 *
 *   REDIS_URL=redis://127.0.0.1:6390 node --import ./test/support/typescript.mjs bench/redis-handoff.ts
 *
 * Two limiters on two connections share a cap of 1. A holds; B waits; A releases; we time release → B's grant,
 * which travels as LEAVE → PUBLISH → B's TAKE. (A slot freed by an expired lease is announced by nobody: waiters see
 * it at their next poll, every `pollIntervalMs`.)
 */
import { performance } from 'node:perf_hooks';
import { createRedisClient } from '../src/redis/client.js';
import { SharedLimiter } from '../src/redis/shared-limiter.js';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const rounds = Number(process.env.ROUNDS ?? 200);

async function ready(l: SharedLimiter): Promise<void> {
  while (l.mode !== 'shared') await new Promise((r) => setTimeout(r, 5));
}

function quantiles(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => (s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0).toFixed(2);
  return `p50 ${q(0.5)} ms, p90 ${q(0.9)} ms, p99 ${q(0.99)} ms, max ${q(1)} ms (n=${s.length})`;
}

const ra = createRedisClient(url);
const rb = createRedisClient(url);
const name = `bench-${process.pid}`;
const a = new SharedLimiter({ redis: ra, name, max: 1 });
const b = new SharedLimiter({ redis: rb, name, max: 1 });
await ready(a);
await ready(b);

// A free slot: acquire → granted (one EVALSHA).
const free: number[] = [];
for (let i = 0; i < rounds; i++) {
  const t0 = performance.now();
  const release = await a.acquire();
  free.push(performance.now() - t0);
  release();
  await new Promise((r) => setTimeout(r, 1));
}
console.log(`free slot, acquire → granted: ${quantiles(free)}`);

// Handoff through the release message.
const handoff: number[] = [];
for (let i = 0; i < rounds; i++) {
  const releaseA = await a.acquire();
  const waiting = b.acquire();
  await new Promise((r) => setTimeout(r, 5)); // B is queued in Redis
  const t0 = performance.now();
  releaseA();
  (await waiting)();
  handoff.push(performance.now() - t0);
  await new Promise((r) => setTimeout(r, 1));
}
console.log(`handoff, release in A → grant in B (pub/sub): ${quantiles(handoff)}`);

a.close();
b.close();
ra.disconnect();
rb.disconnect();

/**
 * What the response cache saves per query: the same page of 25 employees (with their person), asked again and again
 * by one caller, with the cache off, on in memory, and on in Redis when REDIS_URL is set. The emulator answers at
 * once, so against a real Profit the saving is larger by Profit's own latency.
 *
 *   node --import ./test/support/typescript.mjs bench/response-cache.ts
 *   REDIS_URL=redis://127.0.0.1:6390 node --import ./test/support/typescript.mjs bench/response-cache.ts
 */
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import { loadConfig } from '../src/config/index.js';
import { credentials } from '../src/emulator/index.js';
import { startService } from '../src/server/index.js';

const rounds = Number(process.env.ROUNDS ?? 300);
const QUERY =
  '{ employees(first: 25) { edges { node { employeeId name dateInService person { personId lastName } } } } }';

function quantiles(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => (s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? 0).toFixed(2);
  return `p50 ${q(0.5)} ms, p90 ${q(0.9)} ms, p99 ${q(0.99)} ms (n=${s.length})`;
}

async function run(label: string, env: Record<string, string>): Promise<void> {
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', ...env });
  const service = await startService(config, { startupCheck: false });
  try {
    const admin = credentials(service.emulator!.company)
      .flatMap((a) => a.users)
      .find((u) => u.name === 'admin')!.authorization;
    const ask = async () => {
      const res = await request(service.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: admin },
        body: JSON.stringify({ query: QUERY }),
      });
      await res.body.text();
    };
    for (let i = 0; i < 20; i++) await ask();
    const before = service.emulator!.log.entries().length;
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const start = performance.now();
      await ask();
      times.push(performance.now() - start);
    }
    const calls = service.emulator!.log.entries().length - before;
    console.log(`${label.padEnd(22)} ${quantiles(times)}, Profit calls ${calls}`);
  } finally {
    await service.close();
  }
}

await run('cache off', {});
await run('cache on, in memory', { RESPONSE_CACHE_TTL_SECONDS: '60' });
if (process.env.REDIS_URL) {
  await run('cache on, in Redis', { RESPONSE_CACHE_TTL_SECONDS: '60', REDIS_URL: process.env.REDIS_URL });
}

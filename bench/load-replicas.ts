/**
 * `npm run load -- --replicas=1,3 [--redis]`: the multi-replica mode of bench/load.ts (issue 14 §5). For each count,
 * that many `profit-subgraph serve` processes (the built CLI) in front of one emulator process (`emulator` command,
 * `--latency` ms per call), with `--redis` all sharing one `redis-server` (REDIS_URL: one Profit budget); autocannon
 * in this process sends `--connections` connections per replica for `--duration` s.
 *
 * Reports throughput, p50/p99 (p99: the worst replica's), errors, the most Profit calls in flight at once (the
 * emulator's log, sampled and emptied every 250 ms) against PROFIT_MAX_CONCURRENT, and Redis round trips per
 * request (script calls by `INFO commandstats` before and after; the timers' heartbeats and polls included).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { request } from 'undici';
import { createRedisClient } from '../src/redis/client.js';
import { SERVE_NODE_FLAGS } from '../src/server/runtime-flags.js';
import { freePort, markdownTable } from './measure.js';

/** The built CLI beside the built bench (dist/src/cli.js): `npm run load` builds first. */
const CLI = fileURLToPath(new URL('../src/cli.js', import.meta.url));

export interface ReplicaOptions {
  readonly counts: readonly number[];
  readonly redis: boolean;
  readonly seconds: number;
  /** Connections per replica. */
  readonly connections: number;
  readonly latencyMs: number;
  readonly scale: number;
  readonly maxConcurrent: number;
  readonly query: string;
  readonly wheres: readonly Record<string, unknown>[];
}

interface Row {
  readonly replicas: number;
  readonly requests: number;
  readonly throughput: number;
  readonly p50: number;
  readonly p99: number;
  readonly failures: number;
  readonly maxInFlight: number;
  readonly callsPerRequest: number;
  readonly redisPerRequest: number | undefined;
}

/** A child process; resolves once a stdout line matches `ready`, with the match. */
function start(
  args: readonly string[],
  env: Record<string, string>,
  ready: RegExp,
): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const [command, ...rest] = args as [string, ...string[]];
  const child = spawn(command, rest, { env: { PATH: process.env.PATH ?? '', ...env } });
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(chunk));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = ready.exec(out);
      if (match) resolve({ child, match });
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}) before it was ready:\n${out}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function admin(url: string, method: 'GET' | 'PUT' | 'DELETE', body?: unknown): Promise<unknown> {
  const res = await request(url, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await res.body.text();
  return text === '' ? undefined : JSON.parse(text);
}

/**
 * Round trips to Redis so far, by `INFO commandstats`: the limiter's script calls (EVALSHA, and EVAL the first time
 * on a connection). Commands a script runs inside Redis are counted there too, under their own names, but cost no
 * round trip, so they are left out; the limiter sends nothing else while it runs.
 */
async function redisRoundTrips(redis: ReturnType<typeof createRedisClient>): Promise<number> {
  const info = await redis.info('commandstats');
  let total = 0;
  for (const m of info.matchAll(/^cmdstat_(evalsha|eval):calls=(\d+)/gm)) total += Number(m[2]);
  return total;
}

export async function runReplicas(o: ReplicaOptions): Promise<void> {
  const children: ChildProcess[] = [];
  try {
    const emulator = await start(
      [process.execPath, CLI, 'emulator'],
      { EMULATOR_PORT: '0', EMULATOR_SCALE: String(o.scale) },
      /base URL:\s+(\S+)\s[\s\S]*admin:\s+(\S+)\/\{/,
    );
    children.push(emulator.child);
    const [, baseUrl, adminUrl] = emulator.match as unknown as [string, string, string];
    await admin(`${adminUrl}/faults`, 'PUT', { latency: { fixedMs: o.latencyMs } });
    const creds = (await admin(`${adminUrl}/credentials`, 'GET')) as {
      appConnector: string;
      users: { name: string; authorization: string }[];
    }[];
    const authorization = creds.find((a) => a.appConnector === 'admin')?.users[0]?.authorization as string;

    let redisUrl: string | undefined;
    let redis: ReturnType<typeof createRedisClient> | undefined;
    if (o.redis) {
      const port = await freePort();
      const server = await start(
        ['redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
        {},
        /Ready to accept connections/,
      );
      children.push(server.child);
      redisUrl = `redis://127.0.0.1:${port}`;
      redis = createRedisClient(redisUrl);
      await new Promise((resolve) => redis?.once('ready', resolve));
    }

    const rows: Row[] = [];
    for (const count of o.counts) {
      process.stderr.write(`load: ${count} replica(s)${o.redis ? ' sharing Redis' : ''} for ${o.seconds} s…\n`);
      const replicas = await Promise.all(
        Array.from({ length: count }, () =>
          start(
            [process.execPath, ...SERVE_NODE_FLAGS, CLI, 'serve'],
            {
              PORT: '0',
              HOST: '127.0.0.1',
              PLAYGROUND: 'false',
              LOG_LEVEL: 'warn',
              PROFIT_BASE_URL: baseUrl,
              PROFIT_MAX_CONCURRENT: String(o.maxConcurrent),
              ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
            },
            /GraphQL at (\S+)/,
          ),
        ),
      );
      children.push(...replicas.map((r) => r.child));
      const urls = replicas.map((r) => r.match[1] as string);
      const drive = (seconds: number) =>
        Promise.all(
          urls.map((url) =>
            autocannon({
              url,
              connections: o.connections,
              duration: seconds,
              pipelining: 1,
              timeout: 30,
              headers: { 'content-type': 'application/json', authorization },
              requests: o.wheres.map((where) => ({
                method: 'POST' as const,
                body: JSON.stringify({ query: o.query, variables: { where } }),
              })),
            }),
          ),
        );
      // Warm-up (JIT, keep-alive pools, each replica's grant of the credential): not reported.
      await drive(2);

      let maxInFlight = 0;
      let lastSeq: number | undefined;
      let firstSeq: number | undefined;
      const sample = async () => {
        const { entries } = (await admin(`${adminUrl}/log`, 'GET')) as { entries: { seq: number; inFlight: number }[] };
        await admin(`${adminUrl}/log`, 'DELETE');
        for (const e of entries) maxInFlight = Math.max(maxInFlight, e.inFlight);
        if (entries.length > 0) {
          firstSeq ??= (entries[0] as { seq: number }).seq;
          lastSeq = (entries.at(-1) as { seq: number }).seq;
        }
      };
      await sample();
      maxInFlight = 0;
      firstSeq = lastSeq === undefined ? undefined : lastSeq + 1;
      const redisBefore = redis ? await redisRoundTrips(redis) : 0;
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          await sample();
          await new Promise((r) => setTimeout(r, 250));
        }
      })();
      const results = await drive(o.seconds);
      sampling = false;
      await sampler;
      await new Promise((r) => setTimeout(r, 500));
      await sample();
      const redisAfter = redis ? await redisRoundTrips(redis) : 0;

      const requests = results.reduce((s, r) => s + r.requests.total, 0);
      const sent = results.reduce((s, r) => s + ((r.requests as { sent?: number }).sent ?? r.requests.total), 0);
      const calls = lastSeq !== undefined && firstSeq !== undefined ? lastSeq - firstSeq + 1 : 0;
      rows.push({
        replicas: count,
        requests,
        throughput: requests / o.seconds,
        // Request-weighted p50; the p99 of the slowest replica (autocannon's histograms are not merged).
        p50: results.reduce((s, r) => s + r.latency.p50 * r.requests.total, 0) / Math.max(1, requests),
        p99: Math.max(...results.map((r) => r.latency.p99)),
        failures: results.reduce((s, r) => s + r.errors + r.timeouts + r.non2xx, 0),
        maxInFlight,
        callsPerRequest: calls / Math.max(1, sent),
        redisPerRequest: redis ? (redisAfter - redisBefore) / Math.max(1, sent) : undefined,
      });
      await Promise.all(replicas.map((r) => stop(r.child)));
    }
    redis?.disconnect();

    const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '—');
    const table = markdownTable(
      [
        'replicas',
        'requests',
        'req/s',
        'p50 ms',
        'p99 ms (worst replica)',
        'errors + non-2xx',
        `max Profit calls in flight (cap ${o.maxConcurrent}${o.redis ? ', all replicas' : ' per replica'})`,
        'Profit calls per request',
        'Redis round trips per request',
      ],
      rows.map((r) => [
        String(r.replicas),
        String(r.requests),
        f0(r.throughput),
        f0(r.p50),
        f0(r.p99),
        String(r.failures),
        String(r.maxInFlight),
        r.callsPerRequest.toFixed(2),
        r.redisPerRequest === undefined ? '—' : r.redisPerRequest.toFixed(1),
      ]),
    );
    const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
    const context =
      `Measured on ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${cpu} ×${cpus().length} ` +
      `(load average ${loadavg()[0]?.toFixed(1)} at the end: the machine is shared and was loaded by other work); ` +
      `one emulator process (demo company at scale ${o.scale}, ${o.latencyMs} ms per Profit call), ` +
      `${o.redis ? 'one redis-server, ' : 'no Redis (each replica its own cap), '}the replicas as processes of their ` +
      `own, autocannon in the bench process with ${o.connections} connections per replica for ${o.seconds} s after ` +
      `a 2 s warm-up; PROFIT_MAX_CONCURRENT=${o.maxConcurrent}.`;
    const report = `${context}\n\n${table}`;
    console.log(`\n${report}\n`);
    const command = `npm run load -- ${process.argv.slice(2).join(' ')}`;
    await writeFile(
      new URL('./replicas-results.md', import.meta.url.replace('/dist/bench/', '/bench/')),
      `# npm run load -- --replicas\n\n\`\`\`sh\n${command}\n\`\`\`\n\n${report}\n`,
    );
  } finally {
    await Promise.all(children.map(stop));
  }
}

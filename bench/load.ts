/**
 * `npm run load`: drives the service (on its embedded emulator, in a child process: bench/load-server.ts) with
 * autocannon over loopback, at several concurrency levels for a bounded time each, then a soak run.
 *
 * For each level it reports throughput, p50/p99 latency, errors (transport errors, non-2xx answers and 200 answers
 * carrying GraphQL `errors`), the Profit calls per GraphQL request (the emulator's request log) and the service
 * process's memory before and after. The soak run samples memory every few seconds after a warm-up and reports
 * the slope of a least-squares line through the samples, so "flat" is a number.
 *
 * The requests rotate through four realistic bodies: a page of 25 employees with their person, employer and
 * leaves, each with a different where. The emulator waits `--latency` ms on every call, standing in for Profit.
 * Only 127.0.0.1 is contacted; every run ends by itself.
 *
 *   npm run load [-- --duration=10 --levels=1,8,32,64 --soak=60 --soak-connections=32 --latency=5 --scale=5]
 *
 * `--scenario=flood` measures instead whether made-up credentials can starve a known caller: the known caller's
 * p50 on one connection, quiet and then while `--flood` connections send the same kind of query, each request
 * with a new random token (every one costs Profit a `/metainfo` call to refuse), and the ratio of the two.
 *
 *   npm run load -- --scenario=flood [--duration=15 --flood=64 --latency=25]
 *
 * `--replicas=1,3` runs that many service processes in front of one emulator process instead, `--redis` making them
 * share one Profit budget through a redis-server (bench/load-replicas.ts): throughput, p99, Profit calls in flight
 * against PROFIT_MAX_CONCURRENT (`--max-concurrent`, default 4) and Redis round trips per request.
 *
 *   npm run load -- --replicas=1,3 --redis [--duration=10 --connections=6 --latency=20]
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import autocannon from 'autocannon';
import { type Child, type Stats, startChild as startLoadChild } from './load-child.js';
import { runReplicas } from './load-replicas.js';
import { markdownTable, textArgs } from './measure.js';

const startChild = () => startLoadChild({ latencyMs: LATENCY, scale: SCALE });

const args = textArgs();
const num = (name: string, fallback: number) => (args.has(name) ? Number(args.get(name)) : fallback);
/** Seconds per concurrency level. @default 10 */
const DURATION = num('duration', 10);
/** Concurrent connections per level. @default 1, 8, 32, 64 */
const LEVELS = (args.get('levels') ?? '1,8,32,64').split(',').map(Number);
/** Seconds of the soak run (0: none). @default 60 */
const SOAK = num('soak', 60);
/** Connections during the soak run. @default 32 */
const SOAK_CONNECTIONS = num('soak-connections', 32);
/** Seconds of the soak run before memory samples count. @default 10 */
const SOAK_WARMUP = num('soak-warmup', 10);
/** Seconds between memory samples during the soak run. @default 5 */
const SAMPLE_EVERY = num('sample', 5);
/** Latency the emulator adds to every Profit call, ms. @default 5 */
const LATENCY = num('latency', 5);
/** The demo company's scale (40 employees per unit). @default 5 (200 employees) */
const SCALE = num('scale', 5);
/** `levels` (concurrency levels and soak) or `flood` (a known caller under a flood of made-up tokens). */
const SCENARIO = args.get('scenario') ?? 'levels';
/** Connections sending made-up tokens in the flood scenario. @default 64 */
const FLOOD = num('flood', 64);

const QUERY = `query Page($where: EmployeeWhere) {
  employees(where: $where, first: 25, orderBy: [{ field: name }]) {
    edges {
      node {
        employeeId name department dateInService
        person { personId firstName lastName mailWork }
        employer { organisationId name city }
        leaves(first: 5) { edges { node { leaveId startDate endDate hours } } }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** The rotation: four wheres a real client might send. */
const WHERES: readonly Record<string, unknown>[] = [
  { active: { eq: true } },
  { departmentId: { in: ['CONS', 'ICT'] } },
  { or: [{ name: { startsWith: 'B' } }, { name: { startsWith: 'J' } }, { name: { contains: 'van' } }] },
  { hoursPerWeek: { gte: '32' }, dateInService: { lt: '2020-01-01' } },
];

interface Level {
  connections: number;
  seconds: number;
  requests: number;
  throughput: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  graphqlErrors: number;
  callsPerRequest: number;
  before: Stats;
  after: Stats;
}

/**
 * Stats once the service is idle: the Profit call count has stopped moving (bounded to 30 s). Requests still in
 * flight when a level ends finish their calls first, so each level's calls belong to the requests it sent.
 */
async function settled(child: Child): Promise<Stats> {
  let last = await child.stats();
  for (let i = 0; i < 150; i++) {
    await new Promise((r) => setTimeout(r, 200));
    const now = await child.stats();
    if (now.profitCalls === last.profitCalls) return child.stats(true);
    last = now;
  }
  return child.stats(true);
}

/** One level of the known caller's load; `idle: false` starts without waiting for the service to go idle. */
async function drive(child: Child, connections: number, seconds: number, idle = true): Promise<Level> {
  const before = idle ? await settled(child) : await child.stats();
  let graphqlErrors = 0;
  const result = await autocannon({
    url: child.graphqlUrl,
    connections,
    duration: seconds,
    // One request at a time per connection, as GraphQL clients send them.
    pipelining: 1,
    timeout: 30,
    headers: { 'content-type': 'application/json', authorization: child.authorization },
    requests: WHERES.map((where) => ({
      method: 'POST' as const,
      body: JSON.stringify({ query: QUERY, variables: { where } }),
      onResponse: (status: number, body: string) => {
        if (status === 200 && body.includes('"errors"')) graphqlErrors++;
      },
    })),
  });
  const after = idle ? await settled(child) : await child.stats();
  const requests = result.requests.total;
  // Every request sent, those still unanswered when the time ran out included: their calls are counted too.
  const sent = (result.requests as { sent?: number }).sent ?? requests;
  return {
    connections,
    seconds,
    requests,
    throughput: requests / seconds,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    graphqlErrors,
    callsPerRequest: sent > 0 ? (after.profitCalls - before.profitCalls) / sent : Number.NaN,
    before,
    after,
  };
}

/** Least-squares slope of y over x. */
function slope(points: readonly [number, number][]): number {
  const n = points.length;
  if (n < 2) return Number.NaN;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return num / den;
}

/** A classic token nobody issued, new each time: Profit refuses it (401), after a `/metainfo` call. */
function madeUpToken(): string {
  const xml = `<token><version>1</version><data>${randomBytes(32).toString('hex').toUpperCase()}</data></token>`;
  return `AfasToken ${Buffer.from(xml).toString('base64')}`;
}

/** What the flood sends: a small query, so each request costs the service little but its credential's check. */
const FLOOD_QUERY = '{ employees(first: 1) { edges { cursor } } }';

/**
 * The known caller's p50 on one connection, quiet and then under a flood of made-up tokens (`--flood` connections,
 * a new token per request), and the ratio. Profit calls refused and the most in flight come from the emulator.
 */
async function flood(): Promise<void> {
  const child = await startChild();
  try {
    await drive(child, 1, 3);
    process.stderr.write(`load: flood scenario, the known caller alone for ${DURATION} s…\n`);
    const quiet = await drive(child, 1, DURATION);
    process.stderr.write(`load: the known caller for ${DURATION} s under a flood of ${FLOOD} connections…\n`);
    const start = await child.stats();
    const flooding = autocannon({
      url: child.graphqlUrl,
      connections: FLOOD,
      // The flood runs a little longer than the measured caller on both sides.
      duration: DURATION + 2,
      pipelining: 1,
      timeout: 30,
      headers: { 'content-type': 'application/json' },
      requests: [
        {
          method: 'POST' as const,
          body: JSON.stringify({ query: FLOOD_QUERY }),
          setupRequest: (req: autocannon.Request) => ({
            ...req,
            headers: { ...req.headers, authorization: madeUpToken() },
          }),
        },
      ],
    });
    await new Promise((r) => setTimeout(r, 1000));
    const under = await drive(child, 1, DURATION, false);
    const floodResult = await flooding;
    const end = await settled(child);
    const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '—');
    const ratio = under.p50 / quiet.p50;
    const refused = end.refusedCalls - start.refusedCalls;
    const table = markdownTable(
      ['known caller', 'requests', 'p50 ms', 'p99 ms', 'errors / non-2xx / GraphQL errors'],
      [quiet, under].map((l, i) => [
        i === 0 ? 'quiet' : `under the flood (${FLOOD} connections)`,
        String(l.requests),
        f0(l.p50),
        f0(l.p99),
        `${l.errors} / ${l.non2xx} / ${l.graphqlErrors}`,
      ]),
    );
    const fr = floodResult as unknown as Record<string, number> & typeof floodResult;
    const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
    const report = [
      `Measured on ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${cpu} ×${cpus().length} ` +
        `(load average ${loadavg()[0]?.toFixed(1)} at the end); demo company at scale ${SCALE}; the emulator adds ` +
        `${LATENCY} ms to every Profit call; the known caller (the demo admin, its grant cached) sends the load ` +
        `query on one connection for ${DURATION} s, alone and then while ${FLOOD} connections send ` +
        `\`${FLOOD_QUERY}\` each with a new made-up AfasToken.`,
      '',
      table,
      '',
      `**p50 under the flood ÷ quiet: ${ratio.toFixed(2)}×.** The flood: ${fr.requests.total} requests ` +
        `(${(fr.requests.total / (DURATION + 2)).toFixed(0)}/s), answered ${fr['4xx']} × 4xx, ${fr['5xx']} × 5xx, ` +
        `${fr['2xx']} × 2xx, ${fr.errors + fr.timeouts} transport errors or timeouts; Profit refused ${refused} ` +
        `credentials (one \`/metainfo\` each); at most ${Math.max(under.after.maxInFlight, end.maxInFlight)} Profit calls ` +
        'were in flight at once.',
    ].join('\n');
    console.log(`\n${report}\n`);
    const command = `npm run load -- ${process.argv.slice(2).join(' ')}`;
    await writeFile(
      new URL('./flood-results.md', import.meta.url.replace('/dist/bench/', '/bench/')),
      `# npm run load -- --scenario=flood\n\n\`\`\`sh\n${command}\n\`\`\`\n\n${report}\n`,
    );
  } finally {
    await child.stop();
  }
}

async function main(): Promise<void> {
  if (SCENARIO === 'flood') return flood();
  if (args.has('replicas')) {
    return runReplicas({
      counts: (args.get('replicas') as string).split(',').map(Number),
      redis: args.has('redis'),
      seconds: DURATION,
      connections: num('connections', 6),
      latencyMs: LATENCY,
      scale: SCALE,
      maxConcurrent: num('max-concurrent', 4),
      query: QUERY,
      wheres: WHERES,
    });
  }
  const child = await startChild();
  try {
    const start = await child.stats(true);
    // Warm-up (JIT, keep-alive pools, the credential's grant): not reported.
    await drive(child, 8, 3);

    const levels: Level[] = [];
    for (const connections of LEVELS) {
      process.stderr.write(`load: ${connections} connection(s) for ${DURATION} s…\n`);
      levels.push(await drive(child, connections, DURATION));
    }

    let soak: { samples: [number, number, number][]; level: Level } | undefined;
    if (SOAK > 0) {
      process.stderr.write(`load: soak, ${SOAK_CONNECTIONS} connections for ${SOAK} s…\n`);
      const samples: [number, number, number][] = [];
      const started = performance.now();
      const sampler = setInterval(() => {
        const t = (performance.now() - started) / 1000;
        if (t >= SOAK_WARMUP) void child.stats(true).then((s) => samples.push([t, s.rssMiB, s.heapMiB]));
      }, SAMPLE_EVERY * 1000);
      const level = await drive(child, SOAK_CONNECTIONS, SOAK);
      clearInterval(sampler);
      soak = { samples, level };
    }
    const end = await child.stats(true);

    const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '—');
    const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '—');
    const rows = [...levels, ...(soak ? [soak.level] : [])].map((l, i) => [
      i < levels.length ? String(l.connections) : `${l.connections} (soak)`,
      `${l.seconds}`,
      String(l.requests),
      f0(l.throughput),
      f0(l.p50),
      f0(l.p99),
      `${l.errors} / ${l.non2xx} / ${l.graphqlErrors}`,
      l.callsPerRequest.toFixed(2),
      `${f0(l.before.rssMiB)} → ${f0(l.after.rssMiB)}`,
      `${f0(l.before.heapMiB)} → ${f0(l.after.heapMiB)}`,
    ]);
    const table = markdownTable(
      [
        'connections',
        's',
        'requests',
        'req/s',
        'p50 ms',
        'p99 ms',
        'errors / non-2xx / GraphQL errors',
        'Profit calls per request',
        'RSS MiB',
        'heap MiB',
      ],
      rows,
    );
    let soakText = '';
    if (soak && soak.samples.length >= 2) {
      const rss = soak.samples.map(([t, r]) => [t / 60, r] as [number, number]);
      const heap = soak.samples.map(([t, , h]) => [t / 60, h] as [number, number]);
      const range = (values: number[]) => `${f1(Math.min(...values))}–${f1(Math.max(...values))}`;
      soakText =
        `Soak: ${SOAK} s at ${SOAK_CONNECTIONS} connections, ${soak.samples.length} samples every ${SAMPLE_EVERY} s ` +
        `after ${SOAK_WARMUP} s of warm-up (after a full GC): RSS ${range(soak.samples.map((s) => s[1]))} MiB, ` +
        `slope ${f1(slope(rss))} MiB/min; heap ${range(soak.samples.map((s) => s[2]))} MiB, ` +
        `slope ${f1(slope(heap))} MiB/min.`;
    }
    const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
    const when = new Date().toISOString().slice(0, 10);
    const context =
      `Measured on ${when}: Node ${process.version}, ${cpu} ×${cpus().length} (load average ${loadavg()[0]?.toFixed(1)} at the end); ` +
      `demo company at scale ${SCALE} (${SCALE * 40} employees); the emulator adds ${LATENCY} ms to every Profit call; ` +
      `service and emulator in one child process, autocannon in the parent, over loopback; ${DURATION} s per level ` +
      `after a 3 s warm-up; four request bodies in rotation (25 employees with person, employer and 5 leaves each, ` +
      `four different wheres). Service memory: ${f0(start.rssMiB)} MiB RSS / ${f0(start.heapMiB)} MiB heap at the ` +
      `start, ${f0(end.rssMiB)} / ${f0(end.heapMiB)} at the end.`;
    const report = [context, '', table, '', soakText].join('\n').trim();
    console.log(`\n${report}\n`);
    const options = process.argv.slice(2).join(' ');
    const command = options === '' ? 'npm run load' : `npm run load -- ${options}`;
    await writeFile(
      new URL('./load-results.md', import.meta.url.replace('/dist/bench/', '/bench/')),
      `# npm run load\n\n\`\`\`sh\n${command}\n\`\`\`\n\n${report}\n\n` +
        '- **errors / non-2xx / GraphQL errors**: transport errors and timeouts, HTTP answers other than 2xx, and ' +
        '200 answers carrying GraphQL `errors`.\n' +
        "- **Profit calls per request**: the emulator's request log over the GraphQL requests sent; the minimum " +
        'for this query is 4 (employees, persons, organisations, leaves).\n' +
        '- **Memory** is the service process (service and emulator with its data set) after a full GC, before and ' +
        'after each level; the slope is a least-squares line through the soak samples.\n',
    );
  } finally {
    await child.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

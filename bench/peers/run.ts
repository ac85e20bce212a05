/**
 * `npm run bench:peers`: the service side by side with the peers it replaces, on one emulator, in one run.
 *
 * Processes (each its own, so each one's CPU is its own): the Profit emulator (`profit-subgraph emulator`, the demo
 * company at `--scale`), the service (`profit-subgraph serve` against it, pass-through credentials), GraphQL Mesh +
 * Hive Gateway (an OpenAPI description generated from the emulator's metainfo, composed by `mesh-compose`, served by
 * `hive-gateway supergraph --fork 1`: one process) and the naive subgraph (naive-subgraph.ts). Every request carries
 * the demo admin's Authorization header, which each system forwards to the emulator.
 *
 * Scenarios, each system with its own query text for the same rows (checked before measuring):
 * - flat: 100 employees, 8 fields;
 * - nested: 100 employees with person, employer and leaves. Mesh knows no relations: its client joins them, so its
 *   document holds the page and the lookups by the page's keys (computed once by the bench from the same page: the
 *   second step of a client-side join, its round trip not counted);
 * - entities: `_entities` with 500 Employee representations (not for Mesh: it has no entities for Profit rows).
 *
 * For each Profit latency (added by the emulator to every call, via its faults endpoint), round, scenario, system
 * and connection count, autocannon sends the system a fixed number of requests, as many as its last measured rate
 * serves in `--duration` seconds (at least 2 per connection), and waits for every answer; systems alternate their
 * order per round. Per cell: CPU per request (utime + stime from /proc of the server's process tree, before and after, over the
 * requests sent), throughput, p50/p99, Profit calls per request and the most calls in flight (the emulator's log),
 * the tree's RSS. Reported as medians over rounds with the spread (min–max), the ratios service ÷ Mesh and service ÷
 * naive, and beside the service's throughput two bounds: the formula cap ÷ (calls per request × the emulator's median
 * call time), the cap being PROFIT_MAX_CONCURRENT, and the reachable one: what a client doing nothing but the same
 * calls with the same cap gets from the emulator on this machine (`replay`, run right after each service cell).
 * Writes bench/peers-results.md and prints it.
 *
 * With `--equal-rate`, each round's systems run again at one request rate (see EQUAL_RATE): CPU per request at equal
 * load, in a table of its own.
 *
 *   npm run bench:peers [-- --duration=10 --rounds=3 --connections=8,32 --latencies=0,20 --scale=13 --cap=4
 *                          --scenarios=flat,nested,entities --warmup=10 --equal-rate[=R]]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, realpathSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { type Dispatcher, Pool } from 'undici';
import { SERVE_NODE_FLAGS } from '../../src/server/runtime-flags.js';
import { freePort, markdownTable, median, steadyRate, textArgs } from '../measure.js';
import { generateOpenApi } from './openapi.js';

const args = textArgs();
const num = (name: string, fallback: number) => (args.has(name) ? Number(args.get(name)) : fallback);
const list = (name: string, fallback: string) => (args.get(name) ?? fallback).split(',').map(Number);
/** Seconds per cell, about: each cell sends as many requests as the system's last rate serves in this time. @default 10 */
const DURATION = num('duration', 10);
/** Rounds; the systems' order alternates between them. @default 3 */
const ROUNDS = num('rounds', 3);
/** Connections per cell. @default 8, 32 */
const CONNECTIONS = list('connections', '8,32');
/** Latency the emulator adds to every Profit call, ms. @default 0, 20 */
const LATENCIES = list('latencies', '0,20');
/** The demo company's scale (40 employees per unit: 13 gives 520, ≥ 500 for `_entities`). @default 13 */
const SCALE = num('scale', 13);
/** The service's PROFIT_MAX_CONCURRENT, the cap in the throughput bound. @default 4 (the service's default) */
const CAP = num('cap', 4);
/** The scenarios to run, by the first word of their name. @default flat, nested, entities */
const SCENARIOS = (args.get('scenarios') ?? 'flat,nested,entities').split(',');
/**
 * Seconds of unmeasured load per system and scenario before the first round. 10 s: the service's first nested
 * cell after 2 s cost 18.9 ms per request against 11.4–11.5 in the next rounds (2026-12-03), its optimizing
 * compiles still running; each system gets the same warm-up. @default 10
 */
const WARMUP = num('warmup', 10);
/**
 * Also measure every system at one request rate: after each round's cells of a scenario and connection count, each
 * system again, its requests sent evenly at 0.9 × the lower of the service's and Mesh's req/s in that round (at most
 * `connections` in flight), so CPU per request is compared at equal load and not only at each system's own
 * throughput (a capped service at 20 ms serves fewer requests per second, and a process that idles between events
 * pays more per request). `--equal-rate=R` fixes the rate at R req/s instead. @default off
 */
const EQUAL_RATE = args.has('equal-rate') ? Number(args.get('equal-rate') || Number.NaN) : undefined;

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PEERS = `${ROOT}bench/peers/`;
const CLK_TCK = 100;

// biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are checked by the row counts every system must agree on
type Json = any;
type Counts = Record<string, number>;
type SystemName = 'service' | 'Mesh + Hive Gateway' | 'naive subgraph';
const SYSTEMS: readonly SystemName[] = ['service', 'Mesh + Hive Gateway', 'naive subgraph'];

// ------------------------------------------------------------------------------------------------ processes

const children: ChildProcess[] = [];

/** Starts a child and resolves with the first match of `ready` on its stdout. */
function start(
  name: string,
  command: string,
  argv: readonly string[],
  env: Record<string, string>,
  ready: RegExp,
  cwd = ROOT,
): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start in 120 s:\n${out}\n${err}`)), 120_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const match = ready.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, match });
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString('utf8');
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}):\n${out}\n${err}`));
    });
  });
}

function run(command: string, argv: readonly string[], env: Record<string, string>, cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (c: Buffer) => {
      output += c.toString('utf8');
    });
    child.stderr?.on('data', (c: Buffer) => {
      output += c.toString('utf8');
    });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} failed (${code}):\n${output}`))));
  });
}

function stopAll(): void {
  for (const child of children) if (child.exitCode === null && child.pid !== undefined) child.kill('SIGTERM');
}
process.on('exit', stopAll);
// Ctrl-C (or a timeout's SIGTERM) ends the children too: 'exit' does not run when a signal ends the process.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopAll();
    process.exit(130);
  });
}

/** `pid` and its descendants, from /proc. */
function tree(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // Gone in the meantime.
    }
  }
  const out = [pid];
  for (let i = 0; i < out.length; i++) out.push(...(parents.get(out[i] as number) ?? []));
  return out;
}

/** utime + stime of a `/proc/…/stat` file, in clock ticks; 0 when it is gone. */
function ticksOf(statPath: string): number {
  try {
    const stat = readFileSync(statPath, 'utf8');
    // Fields after the command's closing parenthesis: state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
}

/**
 * CPU (user + system) of the process tree so far, ms: `total`, and `main`, the part spent on each process's main
 * thread (`/proc/<pid>/task/<pid>`, where Node runs JavaScript). The rest is other threads: V8's helpers (parallel
 * scavenges, concurrent marking and sweeping, optimizing compiles) and libuv's pool.
 */
function cpuMs(pid: number): { total: number; main: number } {
  let total = 0;
  let main = 0;
  for (const p of tree(pid)) {
    total += ticksOf(`/proc/${p}/stat`);
    main += ticksOf(`/proc/${p}/task/${p}/stat`);
  }
  return { total: (total * 1000) / CLK_TCK, main: (main * 1000) / CLK_TCK };
}

/** Resident set size of the process tree now, MiB. */
function rssMiB(pid: number): number {
  let kib = 0;
  for (const p of tree(pid)) {
    try {
      kib += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // Gone in the meantime.
    }
  }
  return kib / 1024;
}

// ------------------------------------------------------------------------------------------------ emulator

interface LogEntry {
  seq: number;
  method: string;
  path: string;
  query: string;
  status: number | string;
  inFlight: number;
  durationMs?: number;
}

class EmulatorAdmin {
  private lastSeq = 0;
  constructor(readonly url: string) {}

  async latency(ms: number): Promise<void> {
    const response = await fetch(`${this.url}/__emulator/faults`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(ms > 0 ? { latency: { fixedMs: ms } } : {}),
    });
    if (!response.ok) throw new Error(`emulator faults: ${response.status}`);
  }

  /** The calls since the last take (every call counts by sequence number; the log keeps only the last 10 000). */
  async take(): Promise<{ calls: number; entries: LogEntry[] }> {
    const { entries } = (await (await fetch(`${this.url}/__emulator/log`)).json()) as { entries: LogEntry[] };
    await fetch(`${this.url}/__emulator/log`, { method: 'DELETE' });
    const last = entries.at(-1)?.seq ?? this.lastSeq;
    const calls = last - this.lastSeq;
    this.lastSeq = last;
    return { calls, entries };
  }

  /**
   * Waits until no call is pending and none arrived for a second: the requests of a cell have all finished (and a
   * system still working for clients that left, as the naive subgraph does after a timed warm-up, has stopped).
   */
  async settle(): Promise<void> {
    let seen = -1;
    let quiet = 0;
    for (let i = 0; i < 600 && quiet < 4; i++) {
      const { entries } = (await (await fetch(`${this.url}/__emulator/log`)).json()) as { entries: LogEntry[] };
      const last = entries.at(-1)?.seq ?? 0;
      quiet = last === seen && !entries.some((e) => e.status === 'pending') ? quiet + 1 : 0;
      seen = last;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

// ------------------------------------------------------------------------------------------------ scenarios

interface Body {
  readonly query: string;
  readonly variables?: Record<string, unknown>;
}

interface Scenario {
  readonly name: string;
  /** Each system's request for the same rows; absent: the system cannot serve it. */
  readonly bodies: Partial<Record<SystemName, Body>>;
  /** The rows of each system's answer, to compare. */
  readonly count: Partial<Record<SystemName, (data: Json) => Counts>>;
}

const upper = (v: unknown) => String(v ?? '').toUpperCase();

/** Profit's three filter lists for one field equal to each value, split into calls whose query string fits. */
function lookups(field: string, values: readonly string[], take: number, orderBy: string): string[] {
  const distinct = [...new Map(values.filter((v) => v !== '').map((v) => [upper(v), v])).values()];
  const args: string[] = [];
  // Mesh percent-encodes `,` and `;` in the lists (%2C, %3B), so the length is counted as it sends them.
  const length = (chunk: readonly string[]) =>
    `?skip=0&take=${take}&orderbyfieldids=${orderBy}&filterfieldids=${encodeURIComponent(chunk.map(() => field).join(';'))}&filtervalues=${encodeURIComponent(chunk.join(';'))}&operatortypes=${encodeURIComponent(chunk.map(() => '1').join(';'))}`
      .length;
  let chunk: string[] = [];
  const flush = () => {
    if (chunk.length === 0) return;
    args.push(
      `skip: 0, take: ${take}, orderbyfieldids: "${orderBy}", filterfieldids: "${chunk.map(() => field).join(';')}", filtervalues: "${chunk.join(';')}", operatortypes: "${chunk.map(() => '1').join(';')}"`,
    );
    chunk = [];
  };
  for (const value of distinct) {
    if (length([...chunk, value]) > 2049) flush();
    chunk.push(value);
  }
  flush();
  return args;
}

async function scenarios(emulatorBase: string, authorization: string): Promise<Scenario[]> {
  const page = async (take: number) => {
    const response = await fetch(
      `${emulatorBase}/connectors/Profit_Employees?skip=0&take=${take}&orderbyfieldids=EmployeeId`,
      { headers: { authorization } },
    );
    return ((await response.json()) as { rows: Record<string, string | null>[] }).rows;
  };
  const employees = await page(100);
  const ids500 = (await page(500)).map((r) => r.EmployeeId as string);
  if (ids500.length < 500) throw new Error(`the emulator has ${ids500.length} employees: use --scale=13 or more`);

  const flatFields = 'employeeId name personId employerId departmentId department hoursPerWeek dateInService';
  const meshFlat = 'EmployeeId Name PersonId EmployerId DepartmentId Department HoursPerWeek DateInService';
  const flatCount = (rows: Json[]) => ({ employees: rows.length });

  const meshNested = [
    `employees: Profit_Employees(skip: 0, take: 100, orderbyfieldids: "EmployeeId") { rows { EmployeeId Name Department PersonId EmployerId } }`,
    ...lookups(
      'BcCo',
      employees.map((e) => e.PersonId ?? ''),
      100,
      'BcCo',
    ).map((a, i) => `persons${i}: Profit_Persons(${a}) { rows { BcCo Name DateBirth } }`),
    ...lookups(
      'EmployerId',
      employees.map((e) => e.EmployerId ?? ''),
      1000,
      'BcCo',
    ).map((a, i) => `employers${i}: Profit_Organisations(${a}) { rows { BcCo EmployerId Name } }`),
    ...lookups(
      'EmployeeId',
      employees.map((e) => e.EmployeeId ?? ''),
      1000,
      'LeaveId',
    ).map(
      (a, i) => `leaves${i}: Profit_Leaves(${a}) { rows { LeaveId EmployeeId Hours StartDate EndDate LeaveDescr } }`,
    ),
  ];
  const nestedCount = (list: Json[]): Counts => ({
    employees: list.length,
    persons: list.filter((e) => e.person !== null).length,
    employers: list.filter((e) => e.employer !== null).length,
    leaves: list.reduce((n, e) => n + (Array.isArray(e.leaves) ? e.leaves.length : e.leaves.edges.length), 0),
  });
  const meshJoin = (data: Json): Counts => {
    const rowsOf = (prefix: string) =>
      Object.entries(data)
        .filter(([k]) => k.startsWith(prefix))
        .flatMap(([, v]) => (v as Json).rows as Json[]);
    const persons = new Set(rowsOf('persons').map((p) => upper(p.BcCo)));
    const employers = new Set(rowsOf('employers').map((o) => upper(o.EmployerId)));
    const leaves = rowsOf('leaves');
    const list = data.employees.rows as Json[];
    return {
      employees: list.length,
      persons: list.filter((e) => persons.has(upper(e.PersonId))).length,
      employers: list.filter((e) => employers.has(upper(e.EmployerId))).length,
      leaves: leaves.filter((l) => list.some((e) => upper(e.EmployeeId) === upper(l.EmployeeId))).length,
    };
  };
  const representations = ids500.map((employeeId) => ({ __typename: 'Employee', employeeId }));
  const entitiesQuery = `query ($representations: [_Any!]!) {
    _entities(representations: $representations) {
      ... on Employee { employeeId name personId employerId department dateInService }
    }
  }`;
  const entitiesCount = (data: Json) => ({ employees: (data._entities as Json[]).filter((e) => e !== null).length });

  return [
    {
      name: 'flat: 100 employees, 8 fields',
      bodies: {
        service: { query: `{ employees(first: 100) { edges { node { ${flatFields} } } } }` },
        'Mesh + Hive Gateway': {
          query: `{ Profit_Employees(skip: 0, take: 100, orderbyfieldids: "EmployeeId") { rows { ${meshFlat} } } }`,
        },
        'naive subgraph': { query: `{ employees(first: 100) { ${flatFields} } }` },
      },
      count: {
        service: (d) => flatCount(d.employees.edges),
        'Mesh + Hive Gateway': (d) => flatCount(d.Profit_Employees.rows),
        'naive subgraph': (d) => flatCount(d.employees),
      },
    },
    {
      name: 'nested: 100 employees + person, employer, leaves',
      bodies: {
        service: {
          query: `{ employees(first: 100) { edges { node {
            employeeId name department personId employerId
            person { personId name dateOfBirth }
            employer { organisationId employerId name }
            leaves(first: 100) { edges { node { leaveId hours startDate endDate leaveType } } }
          } } } }`,
        },
        'Mesh + Hive Gateway': { query: `{\n  ${meshNested.join('\n  ')}\n}` },
        'naive subgraph': {
          query: `{ employees(first: 100) {
            employeeId name department personId employerId
            person { personId name dateOfBirth }
            employer { organisationId employerId name }
            leaves(first: 100) { leaveId hours startDate endDate leaveType }
          } }`,
        },
      },
      count: {
        service: (d) => nestedCount(d.employees.edges.map((e: Json) => e.node)),
        'Mesh + Hive Gateway': meshJoin,
        'naive subgraph': (d) => nestedCount(d.employees),
      },
    },
    {
      name: 'entities: _entities × 500 Employee',
      bodies: {
        service: { query: entitiesQuery, variables: { representations } },
        'naive subgraph': { query: entitiesQuery, variables: { representations } },
      },
      count: { service: entitiesCount, 'naive subgraph': entitiesCount },
    },
  ];
}

// ------------------------------------------------------------------------------------------------ measuring

interface System {
  readonly name: SystemName;
  readonly url: string;
  readonly pid: number;
}

interface Cell {
  readonly cpuMsPerRequest: number;
  /** The share of that CPU spent on the processes' main threads (JavaScript), 0–1. */
  readonly mainThreadShare: number;
  readonly throughput: number;
  /**
   * Requests per second while every connection had a request in flight: between the `connections`-th answer and
   * the last request sent (a fixed amount ramps up and drains at its ends, which no system avoids); NaN when the
   * cell is too short to have such a stretch.
   */
  readonly steadyThroughput: number;
  readonly p50: number;
  readonly p99: number;
  readonly callsPerRequest: number;
  readonly peakInFlight: number;
  readonly medianCallMs: number;
  readonly rssMiB: number;
  readonly errors: number;
  /** The Profit calls the cell made, in order (replayed by `replay`). */
  readonly calls: readonly { readonly method: string; readonly url: string }[];
  /** The service only: `replay`'s requests per second for the same calls and time. */
  readonly replayThroughput?: number;
  /** The first error message of the cell (GraphQL `errors[0].message`, or the HTTP status), if any. */
  readonly firstError?: string;
  /** `--equal-rate` cells only: the rate the requests were sent at, req/s. */
  readonly offeredRate?: number;
}

async function post(system: System, authorization: string, body: Body): Promise<Json> {
  const response = await fetch(system.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as { data?: Json; errors?: unknown[] };
  if (answer.errors?.length || !answer.data) {
    throw new Error(`${system.name}: ${response.status} ${JSON.stringify(answer.errors ?? answer).slice(0, 500)}`);
  }
  return answer.data;
}

/**
 * `amount` requests (or, without it, as many as `seconds` allow) on `connections` connections. A fixed amount ends
 * when every answer is in, so the CPU and Profit calls measured afterwards belong to exactly that many requests.
 */
async function load(
  system: System,
  authorization: string,
  body: Body,
  connections: number,
  limit: { amount: number } | { seconds: number },
) {
  let graphqlErrors = 0;
  let firstError: string | undefined;
  const answeredAt: number[] = [];
  const started = performance.now();
  const result = await autocannon({
    url: system.url,
    connections,
    ...('amount' in limit ? { amount: limit.amount } : { duration: limit.seconds }),
    pipelining: 1,
    timeout: 120,
    headers: { 'content-type': 'application/json', authorization },
    requests: [
      {
        method: 'POST' as const,
        body: JSON.stringify(body),
        onResponse: (status: number, text: string) => {
          answeredAt.push(performance.now());
          if (status === 200 && !text.includes('"errors"')) return;
          if (status === 200) graphqlErrors++;
          firstError ??= `${status}: ${/"message":\s*"([^"]*)"/.exec(text)?.[1] ?? text.slice(0, 200)}`;
        },
      },
    ],
  });
  return {
    result,
    graphqlErrors,
    firstError,
    seconds: (performance.now() - started) / 1000,
    steady: steadyRate(answeredAt, connections),
  };
}

/**
 * `amount` requests sent evenly at `rate` per second (request i is due at i ÷ rate seconds), at most `connections`
 * in flight (a request due while all are busy waits for one: the rate reached is reported, not assumed). Every
 * answer is read and checked as in `load`.
 */
async function paced(
  system: System,
  authorization: string,
  body: Body,
  connections: number,
  rate: number,
  amount: number,
) {
  const url = new URL(system.url);
  const pool = new Pool(url.origin, { connections, pipelining: 1 });
  const payload = JSON.stringify(body);
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < amount; i = next++) {
      const wait = started + (i * 1000) / rate - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const sent = performance.now();
      try {
        const response = await pool.request({
          path: url.pathname,
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization },
          body: payload,
        });
        const text = await response.body.text();
        latencies.push(performance.now() - sent);
        if (response.statusCode === 200 && !text.includes('"errors"')) continue;
        errors++;
        firstError ??= `${response.statusCode}: ${/"message":\s*"([^"]*)"/.exec(text)?.[1] ?? text.slice(0, 200)}`;
      } catch (error) {
        errors++;
        firstError ??= String(error);
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
  // Paced requests keep no connection busy on purpose: no steady stretch.
  return { answered: latencies.length, errors, firstError, seconds, p50: at(0.5), p99: at(0.99), steady: Number.NaN };
}

async function cell(
  emulator: EmulatorAdmin,
  system: System,
  authorization: string,
  body: Body,
  connections: number,
  amount: number,
  rate?: number,
): Promise<Cell> {
  await emulator.settle();
  await emulator.take();
  const cpuBefore = cpuMs(system.pid);
  const driven =
    rate === undefined
      ? await load(system, authorization, body, connections, { amount }).then(
          ({ result, graphqlErrors, firstError, seconds, steady }) => ({
            answered: result.requests.total,
            steady,
            errors: result.errors + result.timeouts + result.non2xx + graphqlErrors,
            firstError,
            seconds,
            p50: result.latency.p50,
            p99: result.latency.p99,
          }),
        )
      : await paced(system, authorization, body, connections, rate, amount);
  // Every answer is in; the last calls' log entries close a moment later.
  await emulator.settle();
  const cpuAfter = cpuMs(system.pid);
  const { calls, entries } = await emulator.take();
  const durations = entries.filter((e) => e.status === 200 && e.durationMs !== undefined).map((e) => e.durationMs);
  return {
    cpuMsPerRequest: (cpuAfter.total - cpuBefore.total) / amount,
    mainThreadShare: (cpuAfter.main - cpuBefore.main) / (cpuAfter.total - cpuBefore.total),
    throughput: driven.answered / driven.seconds,
    steadyThroughput: driven.steady,
    p50: driven.p50,
    p99: driven.p99,
    callsPerRequest: calls / amount,
    peakInFlight: entries.reduce((m, e) => Math.max(m, e.inFlight), 0),
    medianCallMs: median(durations as number[]),
    rssMiB: rssMiB(system.pid),
    calls: entries.filter((e) => e.status === 200).map((e) => ({ method: e.method, url: `${e.path}${e.query}` })),
    errors: driven.errors,
    ...(driven.firstError === undefined ? {} : { firstError: driven.firstError }),
    ...(rate === undefined ? {} : { offeredRate: rate }),
  };
}

/**
 * The throughput any client holding the cap reaches on this machine: `CAP` workers send a cell's Profit calls again,
 * in the same order and mix, straight to the emulator, each reading the whole answer and doing nothing with it (no
 * parsing, no GraphQL), for `seconds`; calls per second ÷ calls per request. The formula's bound (cap ÷ (calls × the
 * emulator's median call time)) leaves out the time a call waits in the emulator's own single thread and in the
 * kernel, which no client avoids; this one includes it, and is what "the service is never the bottleneck" compares to.
 */
async function replay(
  origin: string,
  authorization: string,
  calls: Cell['calls'],
  callsPerRequest: number,
  seconds: number,
): Promise<number> {
  if (calls.length === 0 || callsPerRequest <= 0) return Number.NaN;
  const pool = new Pool(origin, { connections: CAP, pipelining: 1 });
  let next = 0;
  let done = 0;
  const until = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < until) {
      const call = calls[next++ % calls.length] as Cell['calls'][number];
      const response = await pool.request({
        path: call.url,
        method: call.method as Dispatcher.HttpMethod,
        headers: { authorization, accept: 'application/json' },
      });
      await response.body.arrayBuffer();
      if (response.statusCode !== 200)
        throw new Error(`replay: ${call.method} ${call.url} answered ${response.statusCode}`);
      done++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CAP }, worker));
  const elapsed = (performance.now() - started) / 1000;
  await pool.close();
  return done / elapsed / callsPerRequest;
}

// ------------------------------------------------------------------------------------------------ report

const spread = (values: readonly number[], digits: number, unit = '') => {
  const m = `${median(values).toFixed(digits)}${unit}`;
  if (values.length < 2) return m;
  return `${m} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})`;
};
/** A cell's steady-state throughput, or its overall one for a cell too short to have a steady stretch. */
const steady = (c: Cell) => (Number.isFinite(c.steadyThroughput) ? c.steadyThroughput : c.throughput);
const ratio = (a: number, b: number) => (b > 0 && Number.isFinite(a) ? `${(a / b).toFixed(2)}×` : '—');

/**
 * A ratio taken per round, `a`'s cell over `b`'s of the same round (run next to each other, so a machine whose speed
 * drifts over minutes moves both alike), as the median with (min–max) over rounds; `b` absent: '—'. `b` may be a
 * figure of `a`'s own cell (`a` and `b` the same cells).
 */
function pairedRatio(
  a: readonly Cell[] | undefined,
  b: readonly Cell[] | undefined,
  pickA: (c: Cell) => number,
  pickB: (c: Cell) => number = pickA,
): string {
  if (!a || !b) return '—';
  const values: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = pickA(a[i] as Cell);
    const y = pickB(b[i] as Cell);
    if (y > 0 && Number.isFinite(x) && Number.isFinite(y)) values.push(x / y);
  }
  return values.length === 0 ? '—' : spread(values, 2, '×');
}

interface Key {
  scenario: string;
  latency: number;
  connections: number;
  system: SystemName;
}
const keyOf = (k: Key) => `${k.scenario}|${k.latency}|${k.connections}|${k.system}`;

function report(
  cells: Map<string, Cell[]>,
  list: readonly Scenario[],
  setup: {
    rows: Map<string, Counts>;
    loadBefore: number[];
    startedAt: Date;
    pacedCells: Map<string, Cell[]>;
  },
): string {
  const main: string[][] = [];
  const ratios: string[][] = [];
  const equal: string[][] = [];
  for (const latency of LATENCIES) {
    for (const scenario of list) {
      for (const connections of CONNECTIONS) {
        const of = (system: SystemName) => cells.get(keyOf({ scenario: scenario.name, latency, connections, system }));
        for (const system of SYSTEMS) {
          const runs = of(system);
          if (!runs) continue;
          const calls = median(runs.map((r) => r.callsPerRequest));
          const callMs = median(runs.map((r) => r.medianCallMs));
          const bound = system === 'service' && calls > 0 && callMs > 0 ? CAP / ((calls * callMs) / 1000) : Number.NaN;
          main.push([
            scenario.name.split(':')[0] as string,
            String(latency),
            String(connections),
            system,
            spread(
              runs.map((r) => r.cpuMsPerRequest),
              1,
            ),
            `${(100 * median(runs.map((r) => r.mainThreadShare))).toFixed(0)}%`,
            spread(
              runs.map((r) => r.throughput),
              1,
            ),
            spread(runs.map(steady), 1),
            Number.isNaN(bound) ? '' : bound.toFixed(1),
            system === 'service' ? median(runs.map((r) => r.replayThroughput ?? Number.NaN)).toFixed(1) : '',
            median(runs.map((r) => r.p50)).toFixed(0),
            median(runs.map((r) => r.p99)).toFixed(0),
            calls.toFixed(1),
            String(Math.max(...runs.map((r) => r.peakInFlight))),
            callMs.toFixed(1),
            Math.max(...runs.map((r) => r.rssMiB)).toFixed(0),
            String(runs.reduce((n, r) => n + r.errors, 0)),
          ]);
        }
        const cpu = (c: Cell) => c.cpuMsPerRequest;
        // Throughput is compared at steady state: the replay keeps its workers busy throughout, and a fixed amount's
        // ramp and drain would charge every system for the load generator's ends.
        const tput = steady;
        const pacedOf = (system: SystemName) =>
          setup.pacedCells.get(keyOf({ scenario: scenario.name, latency, connections, system }));
        // Every system of a round was sent the same rate: the service's cells carry them all.
        const rates = pacedOf('service')?.map((c) => c.offeredRate ?? Number.NaN);
        if (rates) {
          const cpuAt = (system: SystemName) => {
            const runs = pacedOf(system);
            return runs ? median(runs.map((r) => r.cpuMsPerRequest)) : Number.NaN;
          };
          const column = (system: SystemName) => {
            const runs = pacedOf(system);
            if (!runs) return '—';
            const cpu = spread(
              runs.map((r) => r.cpuMsPerRequest),
              1,
            );
            return `${cpu} at ${median(runs.map((r) => r.throughput)).toFixed(1)} req/s, p99 ${median(runs.map((r) => r.p99)).toFixed(0)} ms`;
          };
          const cpuRatio = (other: SystemName) => pairedRatio(pacedOf('service'), pacedOf(other), cpu);
          equal.push([
            scenario.name.split(':')[0] as string,
            String(latency),
            String(connections),
            spread(rates, 1),
            ...SYSTEMS.map(column),
            ratio(cpuAt('service'), cpuAt('Mesh + Hive Gateway')),
            cpuRatio('Mesh + Hive Gateway'),
            ratio(cpuAt('service'), cpuAt('naive subgraph')),
            cpuRatio('naive subgraph'),
          ]);
        }
        const service = of('service');
        if (!service) continue;
        const med = (runs: Cell[] | undefined, pick: (c: Cell) => number) =>
          runs ? median(runs.map(pick)) : Number.NaN;
        const calls = med(service, (c) => c.callsPerRequest);
        const bound = CAP / ((calls * med(service, (c) => c.medianCallMs)) / 1000);
        ratios.push([
          scenario.name.split(':')[0] as string,
          String(latency),
          String(connections),
          ratio(med(service, cpu), med(of('Mesh + Hive Gateway'), cpu)),
          pairedRatio(service, of('Mesh + Hive Gateway'), cpu),
          ratio(med(service, cpu), med(of('naive subgraph'), cpu)),
          pairedRatio(service, of('naive subgraph'), cpu),
          ratio(med(service, tput), med(of('Mesh + Hive Gateway'), tput)),
          ratio(med(service, tput), med(of('naive subgraph'), tput)),
          ratio(med(service, tput), bound),
          ratio(
            med(service, tput),
            med(service, (c) => c.replayThroughput ?? Number.NaN),
          ),
          pairedRatio(service, service, tput, (c) => c.replayThroughput ?? Number.NaN),
        ]);
      }
    }
  }
  const errorLines = [
    ...[...cells.entries()].map(([key, runs]) => [key, runs, ''] as const),
    ...[...setup.pacedCells.entries()].map(([key, runs]) => [key, runs, ' at one rate'] as const),
  ]
    .filter(([, runs]) => runs.some((r) => r.errors > 0))
    .map(([key, runs, mode]) => {
      const [scenario, latency, connections, system] = key.split('|');
      const first = runs.find((r) => r.firstError !== undefined)?.firstError ?? 'a transport error or timeout';
      const errors = runs.reduce((n, r) => n + r.errors, 0);
      return `- ${scenario?.split(':')[0]}, ${latency} ms, ${connections} conns, ${system}${mode}: ${errors} errors; the first: ${first}`;
    });
  const rowsLines = list.map(
    (s) =>
      `- ${s.name}: ${Object.entries(setup.rows.get(s.name) ?? {})
        .map(([k, v]) => `${v} ${k}`)
        .join(', ')} (the same in every system's answer)`,
  );
  return [
    '# Side-by-side bench: the service and its peers',
    '',
    `\`npm run bench:peers\` started ${setup.startedAt.toISOString().slice(0, 16)}Z: Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} ×${cpus().length};`,
    `demo company at scale ${SCALE}; ${DURATION} s per cell, ${ROUNDS} rounds (systems alternating their order), medians with (min–max) over rounds;`,
    `service cap PROFIT_MAX_CONCURRENT = ${CAP}. Load average (1 / 5 / 15 min) ${setup.loadBefore.map((l) => l.toFixed(1)).join(' / ')} before, ${loadavg()
      .map((l) => l.toFixed(1))
      .join(
        ' / ',
      )} after: the machine is shared, so absolute figures move; the ratios, taken in one run, are the figures to compare.`,
    '',
    ...rowsLines,
    '',
    '## Per system',
    '',
    markdownTable(
      [
        'scenario',
        'Profit ms',
        'conns',
        'system',
        'CPU ms / request',
        'main thread',
        'req/s',
        'steady req/s',
        'bound req/s',
        'reachable req/s',
        'p50 ms',
        'p99 ms',
        'Profit calls / request',
        'peak in flight',
        'call ms',
        'RSS MiB',
        'errors',
      ],
      main,
    ),
    '',
    '## Ratios',
    '',
    "Ratios of the medians above, and per round (each round's cells side by side, run one after the other): the median of the rounds' ratios with (min–max).",
    '',
    markdownTable(
      [
        'scenario',
        'Profit ms',
        'conns',
        'CPU service ÷ Mesh',
        'per round',
        'CPU service ÷ naive',
        'per round',
        'steady req/s service ÷ Mesh',
        'steady req/s service ÷ naive',
        'steady req/s service ÷ bound',
        'steady req/s service ÷ reachable',
        'per round',
      ],
      ratios,
    ),
    '',
    ...(equal.length > 0
      ? [
          '## At one request rate (`--equal-rate`)',
          '',
          'Each system again, its requests sent evenly at one rate per round (0.9 × the lower req/s of the service and Mesh in that round, or the rate given), at most `conns` in flight: CPU per request at equal load. Medians (min–max) over rounds.',
          '',
          markdownTable(
            [
              'scenario',
              'Profit ms',
              'conns',
              'rate req/s',
              ...SYSTEMS.map((s) => `${s}: CPU ms / request`),
              'CPU service ÷ Mesh',
              'per round',
              'CPU service ÷ naive',
              'per round',
            ],
            equal,
          ),
          '',
        ]
      : []),
    ...(errorLines.length > 0
      ? ['Errors (requests answered with GraphQL `errors`, non-2xx or not at all):', '', ...errorLines, '']
      : []),
    'See bench/README.md for what each column means.',
    '',
  ].join('\n');
}

// ------------------------------------------------------------------------------------------------ main

async function main(): Promise<void> {
  const startedAt = new Date();
  const loadBefore = loadavg();
  const cli = `${ROOT}dist/src/cli.js`;
  process.stderr.write(`peers: starting the emulator (scale ${SCALE})…\n`);
  const emulatorProcess = await start(
    'emulator',
    process.execPath,
    [cli, 'emulator'],
    { EMULATOR_PORT: '0', EMULATOR_SCALE: String(SCALE) },
    /base URL:\s+(\S+)\n/,
  );
  const profitUrl = emulatorProcess.match[1] as string;
  const emulatorUrl = new URL(profitUrl).origin;
  const emulator = new EmulatorAdmin(emulatorUrl);
  const users = (await (await fetch(`${emulatorUrl}/__emulator/credentials`)).json()) as {
    users: { name: string; authorization: string }[];
  }[];
  const authorization = users.flatMap((a) => a.users).find((u) => u.name === 'admin')?.authorization;
  if (!authorization) throw new Error('the demo company has no admin user');

  process.stderr.write('peers: starting the service, generating and composing the OpenAPI description…\n');
  const production = { NODE_ENV: 'production' };
  const service = await start(
    'service',
    process.execPath,
    // Started as it ships (npm start, the image, the manifest): with its V8 flags.
    [...SERVE_NODE_FLAGS, cli, 'serve'],
    {
      ...production,
      PORT: '0',
      PROFIT_BASE_URL: profitUrl,
      PROFIT_MAX_CONCURRENT: String(CAP),
      LOG_LEVEL: 'error',
    },
    /GraphQL at (\S+)\n/,
  );
  const generated = `${PEERS}generated/`;
  await mkdir(generated, { recursive: true });
  await writeFile(
    `${generated}openapi.json`,
    `${JSON.stringify(await generateOpenApi(profitUrl, authorization), null, 2)}\n`,
  );
  const bin = (name: string) => realpathSync(`${PEERS}node_modules/.bin/${name}`);
  await run(
    process.execPath,
    [bin('mesh-compose'), '-c', 'mesh.config.mjs', '-o', 'generated/supergraph.graphql'],
    { PEERS_OPENAPI: './generated/openapi.json', PEERS_PROFIT_URL: profitUrl },
    PEERS,
  );
  const gatewayPort = await freePort();
  const gateway = await start(
    'Hive Gateway',
    process.execPath,
    [
      bin('hive-gateway'),
      'supergraph',
      'generated/supergraph.graphql',
      '-c',
      'gateway.config.mjs',
      '--fork',
      '1',
      '--host',
      '127.0.0.1',
      '--port',
      String(gatewayPort),
    ],
    production,
    /Listening on (http:\/\/\S+)/,
    PEERS,
  );
  const naive = await start(
    'naive subgraph',
    process.execPath,
    [`${ROOT}dist/bench/peers/naive-subgraph.js`],
    { ...production, PORT: '0', PROFIT_BASE_URL: profitUrl },
    /listening on (\S+)\n/,
  );
  const systems: System[] = [
    { name: 'service', url: service.match[1] as string, pid: service.child.pid as number },
    { name: 'Mesh + Hive Gateway', url: `http://127.0.0.1:${gatewayPort}/graphql`, pid: gateway.child.pid as number },
    { name: 'naive subgraph', url: naive.match[1] as string, pid: naive.child.pid as number },
  ];

  // Each system's answer holds the same rows, or the comparison would be unfair.
  const list = (await scenarios(profitUrl, authorization)).filter((s) =>
    SCENARIOS.includes(s.name.split(':')[0] as string),
  );
  const rows = new Map<string, Counts>();
  for (const scenario of list) {
    for (const system of systems) {
      const body = scenario.bodies[system.name];
      const count = scenario.count[system.name];
      if (!body || !count) continue;
      const counts = count(await post(system, authorization, body));
      const expected = rows.get(scenario.name);
      if (expected && JSON.stringify(expected) !== JSON.stringify(counts)) {
        throw new Error(
          `${scenario.name}: ${system.name} answers ${JSON.stringify(counts)}, not ${JSON.stringify(expected)}`,
        );
      }
      rows.set(scenario.name, counts);
    }
    process.stderr.write(`peers: ${scenario.name}: ${JSON.stringify(rows.get(scenario.name))} in every answer\n`);
  }
  // Warm-up, and each system's rate per scenario: a cell sends as many requests as that rate serves in DURATION
  // seconds (updated from every cell), so cells take about DURATION seconds and end when every answer is in.
  const rate = new Map<string, number>();
  const rateKey = (scenario: Scenario, system: System) => `${scenario.name}|${system.name}`;
  for (const scenario of list) {
    for (const system of systems) {
      const body = scenario.bodies[system.name];
      if (!body) continue;
      rate.set(rateKey(scenario, system), 10);
      if (WARMUP <= 0) continue;
      const { result, seconds } = await load(system, authorization, body, 8, { seconds: WARMUP });
      rate.set(rateKey(scenario, system), result.requests.total / seconds);
    }
  }

  await emulator.settle();
  const cells = new Map<string, Cell[]>();
  // --equal-rate: the cells at one rate.
  const pacedCells = new Map<string, Cell[]>();
  for (const latency of LATENCIES) {
    await emulator.latency(latency);
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? systems : [...systems].reverse();
      for (const scenario of list) {
        for (const connections of CONNECTIONS) {
          for (const system of order) {
            const body = scenario.bodies[system.name];
            if (!body) continue;
            const amount = Math.max(
              2 * connections,
              Math.round((rate.get(rateKey(scenario, system)) ?? 10) * DURATION),
            );
            let measured = await cell(emulator, system, authorization, body, connections, amount);
            if (system.name === 'service') {
              await emulator.settle();
              const seconds = amount / measured.throughput;
              const replayed = await replay(
                emulatorUrl,
                authorization,
                measured.calls,
                measured.callsPerRequest,
                seconds,
              );
              await emulator.settle();
              await emulator.take();
              measured = { ...measured, replayThroughput: replayed };
            }
            rate.set(rateKey(scenario, system), measured.throughput);
            const key = keyOf({ scenario: scenario.name, latency, connections, system: system.name });
            cells.set(key, [...(cells.get(key) ?? []), measured]);
            process.stderr.write(
              `peers: ${latency} ms, round ${round + 1}/${ROUNDS}, ${scenario.name.split(':')[0]}, ${connections} conns, ${system.name}: ${measured.cpuMsPerRequest.toFixed(1)} ms CPU (${(100 * measured.mainThreadShare).toFixed(0)}% main thread), ${measured.throughput.toFixed(1)} req/s, ${measured.callsPerRequest.toFixed(1)} calls\n`,
            );
          }
          if (EQUAL_RATE === undefined) continue;
          // The same systems again at one rate: this round's lower throughput of the service and Mesh, × 0.9.
          const key = (system: SystemName) => keyOf({ scenario: scenario.name, latency, connections, system });
          const reached = (['service', 'Mesh + Hive Gateway'] as const)
            .map((name) => cells.get(key(name))?.at(-1)?.throughput)
            .filter((t): t is number => t !== undefined);
          const common = Number.isNaN(EQUAL_RATE) ? 0.9 * Math.min(...reached) : EQUAL_RATE;
          if (!Number.isFinite(common) || common <= 0) continue;
          for (const system of order) {
            const body = scenario.bodies[system.name];
            if (!body) continue;
            // A system slower than the rate (the naive subgraph on nested) is sent what it served in this round's
            // own cell, not what the rate sends in `--duration`: it cannot go faster, so the cell's figure is the
            // same, in `--duration` seconds rather than six times that (2026-12-04).
            const own = cells.get(key(system.name))?.at(-1)?.throughput ?? common;
            const amount = Math.max(2 * connections, Math.round(Math.min(common, own) * DURATION));
            const measured = await cell(emulator, system, authorization, body, connections, amount, common);
            pacedCells.set(key(system.name), [...(pacedCells.get(key(system.name)) ?? []), measured]);
            process.stderr.write(
              `peers: ${latency} ms, round ${round + 1}/${ROUNDS}, ${scenario.name.split(':')[0]}, ${connections} conns, ${system.name} at ${common.toFixed(1)} req/s: ${measured.cpuMsPerRequest.toFixed(1)} ms CPU, ${measured.throughput.toFixed(1)} req/s reached\n`,
            );
          }
        }
      }
    }
  }
  await emulator.latency(0);
  const text = report(cells, list, { rows, loadBefore, startedAt, pacedCells });
  await writeFile(`${ROOT}bench/peers-results.md`, text);
  console.log(text);
  console.log('written to bench/peers-results.md');
}

main()
  .then(() => {
    stopAll();
    process.exit(0);
  })
  .catch((error: unknown) => {
    console.error(error);
    stopAll();
    process.exit(1);
  });

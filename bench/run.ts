/**
 * `npm run bench`: a fixed set of GraphQL requests against the service and the embedded emulator, in-process.
 *
 * For each query it reports
 *
 * - the Profit calls one GraphQL request makes (from the emulator's request log) against the minimum possible: one
 *   call per GetConnector the query touches, more only where Profit's 2049-character query string forces the OR
 *   groups of one level into several calls. The minimum is what the "direct" path below sends: per level, one
 *   filter group per distinct key value, packed by `chunkFilterGroups` (the client's own chunker) into as few calls
 *   as fit, with skip 0 and a take just large enough;
 * - the latency of the whole GraphQL request (HTTP POST to /graphql over undici, JSON answer parsed) divided by
 *   the latency of fetching the same rows straight through the Profit client ("direct": the same batched calls,
 *   level by level, each level's calls in parallel, no GraphQL, no HTTP hop to the service), as medians over the
 *   runs, GraphQL and direct alternating which goes first;
 * - the process's memory after the scenario (service, emulator and bench share the process).
 *
 * Absolute times depend on the machine; the ratio, taken in one run on one machine, is the figure to compare.
 * Both paths include the emulator's own work (it runs in this process and filters its data set for every call,
 * which is most of the direct time); the emulator adds no network latency. The difference between the two medians
 * is the service's own cost (HTTP, GraphQL execution, loaders, serialisation). Against a real Profit environment,
 * whose calls take tens to hundreds of milliseconds each, the same difference makes a ratio closer to 1.
 *
 * `--latency=MS` makes the emulator wait that long on every Profit call (its faults setting), for both paths: the
 * ratio at a realistic Profit latency (the goal is ≤ 1.10 at 20 ms). Results then go to bench/results-latency-MS.md.
 *
 *   npm run bench [-- --runs=15 --warmup=30 --scale=13 --latency=20]
 *
 * (`npm run bench` passes its arguments to this and to bench/download.ts; each ignores the others' options.)
 */
import 'reflect-metadata';
import { writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { Pool } from 'undici';
import { loadConfig } from '../src/config/index.js';
import { credentials, type Emulator } from '../src/emulator/index.js';
import { bindingOf, buildSubgraphSchema, type EntityBinding, pageRowsFor } from '../src/graphql/index.js';
import { DossierItem, DossierItemAttachment, Employee, Leave, Organisation, Person } from '../src/model/index.js';
import {
  authorizationHeader,
  chunkFilterGroups,
  type FilterValue,
  type GetQuery,
  type ProfitClient,
  type ProfitRow,
} from '../src/profit/index.js';
import { connectionFor, startService } from '../src/server/index.js';
import { median, memory, numberArgs, type Row, table, time } from './measure.js';

const args = numberArgs();
/** Measured runs per query. @default 15 */
const RUNS = args.get('runs') ?? 15;
/**
 * Unmeasured runs first (connection pools, caches, and the JIT: graphql-jit compiles a query's executor on its first
 * run and V8 optimises the hot code only after many, so a handful of runs measures cold code a service in production
 * no longer runs after its first minute). @default 30
 */
const WARMUP = args.get('warmup') ?? 30;
/** The demo company's scale: 40 employees per unit, so 13 gives 520 (≥ 500 for `_entities`). @default 13 */
const SCALE = args.get('scale') ?? 13;
/** Latency the emulator adds to every Profit call, ms (both paths wait it). @default 0 */
const LATENCY = args.get('latency') ?? 0;
if (!Number.isFinite(LATENCY) || LATENCY < 0) throw new Error(`--latency must be a number of ms ≥ 0`);

/** Comparable counts of what a request returned: both paths must agree, or the comparison would be unfair. */
type Counts = Record<string, number>;

/** The direct path: the Profit client alone, batching by hand, counting its calls. */
class Direct {
  calls = 0;
  readonly perConnector: Record<string, number> = {};
  constructor(readonly client: ProfitClient) {}

  async get(connector: string, query: GetQuery): Promise<ProfitRow[]> {
    this.calls++;
    this.perConnector[connector] = (this.perConnector[connector] ?? 0) + 1;
    return (await this.client.get(connector, query)).rows;
  }

  /**
   * Every row of `binding`'s connector whose `field` equals one of `values` (case-insensitively, as Profit
   * compares), in as few calls as the query string allows, all sent at once. `unique`: at most one row per value
   * (a key), so a page of that many rows holds them all; otherwise a page of the loaders' size.
   */
  async matching(
    binding: EntityBinding,
    field: string,
    values: readonly unknown[],
    options: { orderBy: string; unique?: boolean },
  ): Promise<ProfitRow[]> {
    const distinct = new Map<string, FilterValue>();
    for (const v of values) {
      if (v === null || v === undefined || v === '') continue;
      distinct.set(String(v).toUpperCase(), v as FilterValue);
    }
    if (distinct.size === 0) return [];
    const take = options.unique ? distinct.size : pageRowsFor(binding);
    const groups = [...distinct.values()].map((value) => [{ field, op: 'eq' as const, value }]);
    const queries = chunkFilterGroups({ orderBy: [{ field: options.orderBy }], take }, groups);
    const pages = await Promise.all(queries.map((q) => this.get(binding.connector, q)));
    // A key matches at most one row, so a lookup by key cannot fill its page; a relation's page could.
    if (!options.unique && pages.some((p) => p.length >= take))
      throw new Error(`${binding.connector}: a full page; the bench needs paging`);
    return pages.flat();
  }
}

const upper = (v: unknown) => String(v ?? '').toUpperCase();

function groupBy(rows: readonly ProfitRow[], field: string): Map<string, ProfitRow[]> {
  const out = new Map<string, ProfitRow[]>();
  for (const row of rows) {
    const id = upper(row[field]);
    const list = out.get(id) ?? [];
    out.set(id, list);
    list.push(row);
  }
  return out;
}

interface Scenario {
  readonly name: string;
  readonly query: string;
  readonly variables?: Record<string, unknown>;
  /** What the rows column says. */
  describe(counts: Counts): string;
  /** Counts in the GraphQL answer. */
  // biome-ignore lint/suspicious/noExplicitAny: the answers' shapes are checked by the counts both paths must agree on
  count(data: any): Counts;
  /** The same rows through the client. */
  direct(d: Direct): Promise<Counts>;
}

// biome-ignore lint/suspicious/noExplicitAny: see Scenario.count
type Json = any;
const nodes = (connection: Json): Json[] => connection.edges.map((e: Json) => e.node);

function scenarios(emulator: Emulator): Scenario[] {
  const employeesPage = (d: Direct) =>
    d.get(bindingOf(Employee).connector, { orderBy: [{ field: 'EmployeeId' }], take: 100 });
  const list: Scenario[] = [
    {
      name: '(a) 100 employees + person, employer, leaves',
      query: `{
        employees(first: 100) { edges { node {
          employeeId name department personId employerId
          person { personId name dateOfBirth }
          employer { organisationId employerId name }
          leaves(first: 100) { edges { node { leaveId hours startDate endDate leaveType } } }
        } } }
      }`,
      describe: (c) => `${c.employees} employees, ${c.leaves} leaves`,
      count(data) {
        const employees = nodes(data.employees);
        return {
          employees: employees.length,
          persons: employees.filter((e) => e.person !== null).length,
          employers: employees.filter((e) => e.employer !== null).length,
          leaves: employees.reduce((n, e) => n + e.leaves.edges.length, 0),
        };
      },
      async direct(d) {
        const employees = await employeesPage(d);
        const [persons, employers, leaves] = await Promise.all([
          d.matching(
            bindingOf(Person),
            'BcCo',
            employees.map((e) => e.PersonId),
            { orderBy: 'BcCo', unique: true },
          ),
          d.matching(
            bindingOf(Organisation),
            'EmployerId',
            employees.map((e) => e.EmployerId),
            { orderBy: 'BcCo' },
          ),
          d.matching(
            bindingOf(Leave),
            'EmployeeId',
            employees.map((e) => e.EmployeeId),
            { orderBy: 'LeaveId' },
          ),
        ]);
        const personIds = new Set(persons.map((p) => upper(p.BcCo)));
        const employerIds = new Set(employers.map((o) => upper(o.EmployerId)));
        return {
          employees: employees.length,
          persons: employees.filter((e) => personIds.has(upper(e.PersonId))).length,
          employers: employees.filter((e) => employerIds.has(upper(e.EmployerId))).length,
          leaves: leaves.length,
        };
      },
    },
  ];

  const ids = (emulator.company.store as unknown as { data: { employees: { employeeId: string }[] } }).data.employees
    .slice(0, 500)
    .map((e) => e.employeeId);
  list.push({
    name: '(b) _entities: 500 Employee representations',
    query: `query ($representations: [_Any!]!) {
      _entities(representations: $representations) {
        ... on Employee { employeeId name personId employerId department dateInService }
      }
    }`,
    variables: { representations: ids.map((employeeId) => ({ __typename: 'Employee', employeeId })) },
    describe: (c) => `${c.employees} employees`,
    count: (data) => ({ employees: data._entities.filter((e: Json) => e !== null).length }),
    async direct(d) {
      const rows = await d.matching(bindingOf(Employee), 'EmployeeId', ids, { orderBy: 'EmployeeId', unique: true });
      return { employees: rows.length };
    },
  });

  list.push({
    name: '(c) 100 employees → person → dossier items → attachments',
    query: `{
      employees(first: 100) { edges { node {
        employeeId
        person { personId name
          dossierItems(first: 10) { edges { node { dossierItemId subject date
            attachments(first: 10) { edges { node { attachmentId fileName mimeType } } }
          } } }
        }
      } } }
    }`,
    describe: (c) => `${c.employees} employees, ${c.dossierItems} dossier items, ${c.attachments} attachments`,
    count(data) {
      const employees = nodes(data.employees);
      const items = employees.flatMap((e) => (e.person ? nodes(e.person.dossierItems) : []));
      return {
        employees: employees.length,
        persons: employees.filter((e) => e.person !== null).length,
        dossierItems: items.length,
        attachments: items.reduce((n, i) => n + i.attachments.edges.length, 0),
      };
    },
    async direct(d) {
      const employees = await employeesPage(d);
      const persons = await d.matching(
        bindingOf(Person),
        'BcCo',
        employees.map((e) => e.PersonId),
        { orderBy: 'BcCo', unique: true },
      );
      const subjects = groupBy(
        await d.matching(
          bindingOf(DossierItem),
          'BcCd',
          persons.map((p) => p.BcCo),
          { orderBy: 'SbId' },
        ),
        'BcCd',
      );
      // Per person, the first 10 by key, as the relation's default order and `first: 10` give.
      const personIds = new Set(persons.map((p) => upper(p.BcCo)));
      const shown = employees
        .filter((e) => personIds.has(upper(e.PersonId)))
        .flatMap((e) =>
          [...(subjects.get(upper(e.PersonId)) ?? [])].sort((a, b) => Number(a.SbId) - Number(b.SbId)).slice(0, 10),
        );
      const attachments = groupBy(
        await d.matching(
          bindingOf(DossierItemAttachment),
          'subject_id',
          shown.map((s) => s.SbId),
          { orderBy: 'attachment_id' },
        ),
        'subject_id',
      );
      return {
        employees: employees.length,
        persons: employees.filter((e) => personIds.has(upper(e.PersonId))).length,
        dossierItems: shown.length,
        attachments: shown.reduce((n, s) => n + Math.min(10, attachments.get(upper(s.SbId))?.length ?? 0), 0),
      };
    },
  });
  return list;
}

/**
 * POSTs the scenario's operation and parses the answer, over undici (a keep-alive pool of one connection): the HTTP
 * client the direct path's Profit client uses too, so the ratio compares the service with the client alone, not
 * fetch's WHATWG streams with undici's dispatcher (fetch cost the GraphQL side 1–2 ms more per request).
 */
async function postGraphQL(pool: Pool, authorization: string, scenario: Scenario): Promise<Json> {
  const response = await pool.request({
    method: 'POST',
    path: '/graphql',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ query: scenario.query, variables: scenario.variables }),
  });
  const body = JSON.parse(await response.body.text()) as { data?: Json; errors?: { message: string }[] };
  if (body.errors?.length || !body.data) {
    throw new Error(`${scenario.name}: ${response.statusCode} ${JSON.stringify(body.errors ?? body)}`);
  }
  return body.data;
}

/** Profit calls among log entries: GetConnector calls by connector, any other call by its endpoint (`metainfo`). */
function connectorCalls(entries: readonly { path: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of entries) {
    const name =
      /\/connectors\/([^/?]+)/.exec(e.path)?.[1] ?? /ProfitRestServices\/([^/?]+)/i.exec(e.path)?.[1] ?? e.path;
    out[name] = (out[name] ?? 0) + 1;
  }
  return out;
}

/** `Profit_Employees 1 + Profit_Persons 2`, by connector name. */
function describeCalls(perConnector: Record<string, number>): string {
  return Object.entries(perConnector)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([c, n]) => `${c} ${n}`)
    .join(' + ');
}

const total = (described: string) => described.split(' + ').reduce((n, part) => n + Number(part.split(' ')[1]), 0);

function sameCounts(a: Counts, b: Counts): boolean {
  return JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());
}

async function measure(
  pool: Pool,
  emulator: Emulator,
  authorization: string,
  client: ProfitClient,
  scenario: Scenario,
): Promise<Row> {
  const lastSeq = () => emulator.log.entries().at(-1)?.seq ?? 0;
  const graphqlMs: number[] = [];
  const directMs: number[] = [];
  const graphqlCalls = new Set<string>();
  const directCalls = new Set<string>();
  let counts: Counts | undefined;
  for (let run = 0; run < WARMUP + RUNS; run++) {
    const graphqlRun = async () => {
      const before = lastSeq();
      const { value, ms } = await time(() => postGraphQL(pool, authorization, scenario));
      if (run >= WARMUP) {
        graphqlMs.push(ms);
        // Every Profit call; the first request of a credential also reads metainfo for its grants (cached per
        // credential), which the warm-up absorbs.
        graphqlCalls.add(describeCalls(connectorCalls(emulator.log.entries().filter((e) => e.seq > before))));
      }
      return scenario.count(value);
    };
    const directRun = async () => {
      const d = new Direct(client);
      const before = lastSeq();
      const { value, ms } = await time(() => scenario.direct(d));
      if (lastSeq() - before !== d.calls) throw new Error(`${scenario.name}: the log disagrees with the direct path`);
      if (run >= WARMUP) {
        directMs.push(ms);
        directCalls.add(describeCalls(d.perConnector));
      }
      return value;
    };
    // Alternate which goes first, so neither always meets a warmer (or busier) process.
    let g: Counts;
    let d: Counts;
    if (run % 2 === 0) {
      g = await graphqlRun();
      d = await directRun();
    } else {
      d = await directRun();
      g = await graphqlRun();
    }
    if (!sameCounts(g, d)) {
      throw new Error(`${scenario.name}: GraphQL and direct disagree: ${JSON.stringify(g)} vs ${JSON.stringify(d)}`);
    }
    counts = g;
  }
  if (graphqlCalls.size !== 1 || directCalls.size !== 1) {
    throw new Error(`${scenario.name}: call counts varied between runs: ${[...graphqlCalls]} / ${[...directCalls]}`);
  }
  const [calls] = graphqlCalls as Set<string>;
  const [minimum] = directCalls as Set<string>;
  return {
    scenario: scenario.name,
    rows: scenario.describe(counts as Counts),
    calls: total(calls as string),
    minimum: total(minimum as string),
    callsByConnector: calls as string,
    minimumByConnector: minimum as string,
    graphqlMs: median(graphqlMs),
    directMs: median(directMs),
    // Run i's GraphQL and direct ms were measured back to back.
    pairedRatios: graphqlMs.map((ms, i) => ms / (directMs[i] as number)),
    memory: memory(),
  };
}

async function main(): Promise<void> {
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', EMULATOR_SCALE: String(SCALE) });
  const service = await startService(config);
  const emulator = service.emulator as Emulator;
  if (LATENCY > 0) emulator.faults.set({ latency: { fixedMs: LATENCY } });
  const authorization = credentials(emulator.company)
    .flatMap((app) => app.users)
    .find((u) => u.name === 'admin')?.authorization as string;
  // Its own connection, configured as the service's (same cap on parallel calls, timeouts, retries).
  const connection = connectionFor(config, emulator.baseUrl);
  const client = connection.client(authorizationHeader(authorization));
  const hasEntities = (await buildSubgraphSchema()).getQueryType()?.getFields()._entities !== undefined;
  const pool = new Pool(new URL(service.graphqlUrl).origin, { connections: 1 });

  const start = memory();
  const rows: Row[] = [];
  const skipped: string[] = [];
  try {
    for (const scenario of scenarios(emulator)) {
      if (scenario.query.includes('_entities') && !hasEntities) {
        skipped.push(`${scenario.name}: skipped, the schema has no \`_entities\` yet`);
        console.log(skipped.at(-1));
        continue;
      }
      process.stdout.write(`${scenario.name}: ${WARMUP} warm-up + ${RUNS} runs … `);
      const row = await measure(pool, emulator, authorization, client, scenario);
      rows.push(row);
      console.log(
        `${(row.graphqlMs / row.directMs).toFixed(2)}× (per run ${median(row.pairedRatios).toFixed(2)}×), ${row.calls} calls (minimum ${row.minimum})`,
      );
    }
  } finally {
    await pool.close();
    await connection.close();
    await service.close();
  }
  const end = memory();

  const employees = (emulator.company.store as unknown as { data: { employees: unknown[] } }).data.employees.length;
  const report = [
    '# Benchmark results',
    '',
    `\`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} ×${cpus().length};`,
    `demo company at scale ${SCALE} (${employees} employees); medians of ${RUNS} runs after ${WARMUP} warm-ups;`,
    `Profit latency: ${LATENCY > 0 ? `${LATENCY} ms added by the emulator to every call (\`--latency\`)` : 'none added (the emulator answers at once)'};`,
    `service, emulator and bench in one process, over loopback HTTP; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')} (1 / 5 / 15 min) at the end.`,
    '',
    table(rows),
    ...skipped.map((s) => `\n${s}`),
    '',
    'Profit calls by connector:',
    '',
    ...rows.map(
      (r) =>
        `- ${r.scenario}: ${r.callsByConnector} (minimum: ${r.minimumByConnector === r.callsByConnector ? 'the same' : r.minimumByConnector})`,
    ),
    '',
    '- **Profit calls (GraphQL)**: the emulator log entries during one GraphQL request, the same in every measured',
    '  run. (A credential’s first request also reads metainfo for its grants, cached per credential: in the warm-up.)',
    '- **minimum**: one call per GetConnector the query touches, plus the extra calls the 2049-character query',
    '  string forces: per level, one OR group per distinct key value, packed by `chunkFilterGroups` with skip 0 and a',
    '  take that holds every matching row (the number of keys for a lookup by key, the loaders’ page size for a',
    '  relation). The direct path sends exactly these calls (checked against the log).',
    '- **latency GraphQL ÷ direct**: the whole GraphQL request (POST to /graphql, answer parsed) over fetching the same',
    '  rows straight through the Profit client with those minimal calls (each level in parallel); both paths are',
    '  HTTP clients of the same library (undici; the GraphQL side posts over a keep-alive pool of one connection);',
    '  checked to return the same numbers of rows. Both include the emulator’s own work (in this process, filtering',
    '  its data for every call: most of the direct time) but no network latency; GraphQL ms − direct ms is the',
    '  service’s own cost (HTTP, execution, loaders, JSON). Against real Profit, whose calls take tens to hundreds',
    '  of ms each, the same cost gives a ratio closer to 1.',
    '- **per run**: each measured run’s GraphQL ms over its own direct ms (the two ran back to back), median and',
    '  quartiles over the runs. A slow moment of a shared machine then slows both sides of one ratio; in the ratio of',
    '  medians it can land on one side only (on this machine the two figures differed by up to 0.07 between runs).',
    `- **RSS / heap**: the process after each scenario (heap after a full GC); peak RSS ${end.peakRssMiB.toFixed(0)} MiB,`,
    `  RSS before the first scenario ${start.rssMiB.toFixed(0)} MiB (the emulator's data set included).`,
    '',
  ].join('\n');
  console.log(`\n${table(rows)}\n`);
  const name = LATENCY > 0 ? `results-latency-${LATENCY}.md` : 'results.md';
  await writeFile(new URL(`../../bench/${name}`, import.meta.url), report);
  console.log(`written to bench/${name}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

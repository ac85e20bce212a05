/**
 * `GET /metrics` read over HTTP after known requests: exact counts, Profit calls as the emulator's request log has
 * them, and labels only from bounded sets.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import type { Service } from '../../src/server/index.js';
import { demoAuthorization, graphql, http, startTestService } from './helpers.js';
import { callsByConnector, profitRequests } from './observability-support.js';

const STAFF = 'query Staff { employees(first: 2) { edges { node { employeeId } } } }';
const OTHER = 'query Unlisted { employees(first: 1) { edges { node { employeeId } } } }';
const DOSSIER = `query ($id: ID!) {
  dossierItem(dossierItemId: $id) { attachments { edges { node { downloadUrl } } } }
}`;

/** One sample of a scrape: `name{labels} value`. */
interface Sample {
  readonly name: string;
  readonly labels: Record<string, string>;
  readonly value: number;
}

function parse(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

async function scrape(service: Service): Promise<Sample[]> {
  const reply = await http(service.metricsUrl);
  expect(reply.status).toBe(200);
  expect(reply.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return parse(reply.text);
}

/** The sum of a metric's samples whose labels include `labels`. */
function sum(samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((total, s) => total + s.value, 0);
}

describe('the metrics of a service', () => {
  let service: Service;
  let admin: string;
  beforeAll(async () => {
    service = await startTestService({ METRICS_OPERATIONS: 'Staff' });
    admin = demoAuthorization(service);
  });
  afterAll(() => service.close());
  beforeEach(() => service.emulator!.faults.clear());

  /** Waits until `count` GraphQL requests are counted (a request is counted when its response closes). */
  const counted = async (count: number) => {
    let samples: Sample[] = [];
    await vi.waitFor(async () => {
      samples = await scrape(service);
      expect(sum(samples, 'profit_subgraph_requests_total', { route: 'graphql' })).toBe(count);
    });
    return samples;
  };

  it('counts requests by operation and outcome, naming only the operations METRICS_OPERATIONS lists', async () => {
    await graphql(service, STAFF, { authorization: admin });
    await graphql(service, STAFF, { authorization: admin });
    await graphql(service, OTHER, { authorization: admin });
    await graphql(service, STAFF);
    const samples = await counted(4);
    const requests = (labels: Record<string, string>) => sum(samples, 'profit_subgraph_requests_total', labels);
    expect(requests({ operation: 'Staff', type: 'query', outcome: 'ok' })).toBe(2);
    expect(requests({ operation: 'other', type: 'query', outcome: 'ok' })).toBe(1);
    // Refused before the operation is resolved: its name is known, its type is not.
    expect(requests({ operation: 'Staff', outcome: 'error' })).toBe(1);
    expect(samples.some((s) => s.labels.operation === 'Unlisted')).toBe(false);
    expect(sum(samples, 'profit_subgraph_request_duration_seconds_count', { route: 'graphql' })).toBe(4);
    expect(sum(samples, 'profit_subgraph_graphql_errors_total', { code: 'UNAUTHENTICATED' })).toBe(1);
  });

  it('counts Profit calls by connector, method and status exactly as the emulator received them', async () => {
    await graphql(service, STAFF, { authorization: demoAuthorization(service, 'hr') });
    const samples = await scrape(service);
    const seen = callsByConnector(profitRequests(service));
    const counted: Record<string, number> = {};
    for (const s of samples.filter((s) => s.name === 'profit_subgraph_profit_calls_total')) {
      counted[s.labels.connector!] = (counted[s.labels.connector!] ?? 0) + s.value;
    }
    expect(counted).toEqual(seen);
    expect(
      sum(samples, 'profit_subgraph_profit_calls_total', {
        connector: 'Profit_Employees',
        method: 'GET',
        status: '200',
      }),
    ).toBe(seen.Profit_Employees);
    expect(sum(samples, 'profit_subgraph_profit_call_duration_seconds_count')).toBe(profitRequests(service).length);
  });

  it('counts grant cache lookups: one miss per credential, hits after it', async () => {
    const before = await scrape(service);
    const misses = sum(before, 'profit_subgraph_grant_cache_lookups_total', { result: 'miss' });
    const hits = sum(before, 'profit_subgraph_grant_cache_lookups_total', { result: 'hit' });
    await graphql(service, STAFF, { authorization: demoAuthorization(service, 'portal') });
    await graphql(service, STAFF, { authorization: demoAuthorization(service, 'portal') });
    const after = await scrape(service);
    expect(sum(after, 'profit_subgraph_grant_cache_lookups_total', { result: 'miss' })).toBe(misses + 1);
    expect(sum(after, 'profit_subgraph_grant_cache_lookups_total', { result: 'hit' })).toBeGreaterThan(hits);
  });

  it('counts a retried call as a retry, and each attempt as a call', async () => {
    const before = await scrape(service);
    const retries = sum(before, 'profit_subgraph_profit_retries_total', { connector: 'Profit_Employees' });
    service.emulator!.faults.once({ kind: 'reset', path: 'connectors/Profit_Employees' });
    const reply = await graphql(service, STAFF, { authorization: admin });
    expect(reply.json.errors).toBeUndefined();
    const after = await scrape(service);
    expect(sum(after, 'profit_subgraph_profit_retries_total', { connector: 'Profit_Employees', method: 'GET' })).toBe(
      retries + 1,
    );
    expect(sum(after, 'profit_subgraph_profit_calls_total', { connector: 'Profit_Employees', status: 'network' })).toBe(
      1,
    );
  });

  it('reads the parallel-call caps at each scrape: a call held by Profit is in flight', async () => {
    const idle = await scrape(service);
    expect(sum(idle, 'profit_subgraph_profit_inflight_calls', { cap: 'shared' })).toBe(0);
    expect(sum(idle, 'profit_subgraph_profit_queued_calls', { cap: 'shared' })).toBe(0);
    service.emulator!.faults.once({ kind: 'stall', path: 'connectors/Profit_Employees' });
    const held = graphql(service, STAFF, { authorization: admin });
    await vi.waitFor(() => expect(service.emulator!.faults.stalled).toBe(1));
    const busy = await scrape(service);
    expect(sum(busy, 'profit_subgraph_profit_inflight_calls', { cap: 'shared' })).toBe(1);
    expect(sum(busy, 'profit_subgraph_profit_inflight_calls', { cap: 'verification' })).toBe(0);
    service.emulator!.faults.release();
    expect((await held).json.errors).toBeUndefined();
  });

  it('counts the file bytes the download route sends', async () => {
    const reply = await graphql(service, DOSSIER, { authorization: admin, variables: { id: '49946' } });
    const url: string = reply.json.data.dossierItem.attachments.edges[0].node.downloadUrl;
    const download = await http(url);
    expect(download.status).toBe(200);
    await vi.waitFor(async () => {
      const samples = await scrape(service);
      expect(sum(samples, 'profit_subgraph_file_bytes_streamed_total')).toBe(download.body.length);
      expect(sum(samples, 'profit_subgraph_requests_total', { route: 'files', outcome: 'ok' })).toBe(1);
    });
  });

  it('serves the process metrics beside its own', async () => {
    const samples = await scrape(service);
    expect(sum(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(samples.some((s) => s.name === 'nodejs_eventloop_lag_seconds')).toBe(true);
  });
});

describe('the queue of the parallel-call cap', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startTestService({ PROFIT_MAX_CONCURRENT: '1' });
  });
  afterAll(() => service.close());

  it('counts a call waiting for the only slot as queued', async () => {
    const admin = demoAuthorization(service);
    await graphql(service, STAFF, { authorization: admin });
    service.emulator!.faults.once({ kind: 'stall', path: 'connectors/Profit_Employees' });
    const first = graphql(service, STAFF, { authorization: admin });
    await vi.waitFor(() => expect(service.emulator!.faults.stalled).toBe(1));
    const second = graphql(service, OTHER, { authorization: admin });
    await vi.waitFor(async () =>
      expect(sum(await scrape(service), 'profit_subgraph_profit_queued_calls', { cap: 'shared' })).toBe(1),
    );
    expect(sum(await scrape(service), 'profit_subgraph_profit_inflight_calls', { cap: 'shared' })).toBe(1);
    service.emulator!.faults.release();
    expect((await first).json.errors).toBeUndefined();
    expect((await second).json.errors).toBeUndefined();
    expect(sum(await scrape(service), 'profit_subgraph_profit_queued_calls', { cap: 'shared' })).toBe(0);
  });
});

describe('the maintenance circuit', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(async () => {
    service.emulator!.faults.maintenance(null);
    await service.close();
  });

  it('reports the circuit open, and until when, while Profit says it is in maintenance', async () => {
    const admin = demoAuthorization(service);
    await graphql(service, STAFF, { authorization: admin });
    expect(sum(await scrape(service), 'profit_subgraph_profit_maintenance_circuit_open')).toBe(0);
    service.emulator!.faults.maintenance(7200);
    const reply = await graphql(service, STAFF, { authorization: admin });
    expect(reply.json.errors[0].extensions.code).toBe('PROFIT_UNAVAILABLE');
    const samples = await scrape(service);
    expect(sum(samples, 'profit_subgraph_profit_maintenance_circuit_open')).toBe(1);
    const until = sum(samples, 'profit_subgraph_profit_maintenance_until_seconds');
    expect(until).toBeGreaterThan(Date.now() / 1000 + 7000);
    expect(sum(samples, 'profit_subgraph_profit_calls_total', { status: '503' })).toBe(1);
  });
});

describe('METRICS_PORT', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startTestService({ METRICS_PORT: '0' });
  });
  afterAll(() => service.close());

  it('serves /metrics on its own port, and not on the main one', async () => {
    expect(new URL(service.metricsUrl).port).not.toBe(new URL(service.url).port);
    await graphql(service, STAFF, { authorization: demoAuthorization(service) });
    await vi.waitFor(async () =>
      expect(sum(await scrape(service), 'profit_subgraph_requests_total', { outcome: 'ok' })).toBe(1),
    );
    expect((await http(`${service.url}/metrics`)).status).toBe(404);
    expect((await http(service.metricsUrl.replace('/metrics', '/graphql'))).status).toBe(404);
  });
});

describe('two services in one process', () => {
  it('count only their own requests', async () => {
    const [a, b] = await Promise.all([startTestService(), startTestService()]);
    try {
      await graphql(a, STAFF, { authorization: demoAuthorization(a) });
      await vi.waitFor(async () =>
        expect(sum(await scrape(a), 'profit_subgraph_requests_total', { route: 'graphql' })).toBe(1),
      );
      expect(sum(await scrape(b), 'profit_subgraph_requests_total')).toBe(0);
      expect(sum(await scrape(b), 'profit_subgraph_profit_calls_total')).toBe(0);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('configuration', () => {
  it('reads LOG_FORMAT, METRICS_PORT and METRICS_OPERATIONS, refusing what they cannot mean', () => {
    const config = loadConfig({
      LOG_FORMAT: 'pretty',
      METRICS_PORT: '9464',
      METRICS_OPERATIONS: 'Staff, Persons Staff',
    });
    expect(config.logFormat).toBe('pretty');
    expect(config.metrics).toEqual({ port: 9464, operations: ['Staff', 'Persons'] });
    expect(loadConfig({}).metrics).toEqual({ operations: [] });
    expect(loadConfig({}).logFormat).toBe('json');
    expect(() => loadConfig({ LOG_FORMAT: 'xml' })).toThrow(ConfigError);
    expect(() => loadConfig({ METRICS_PORT: 'nine' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: '9464', METRICS_PORT: '9464' })).toThrow(/METRICS_PORT 9464 is PORT too/);
    expect(() => loadConfig({ METRICS_OPERATIONS: 'Staff,{ employees }' })).toThrow(/METRICS_OPERATIONS/);
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, type ProxyTracerProvider, propagation, SpanKind, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../src/config/index.js';
import { credentials, startEmulator } from '../../src/emulator/index.js';
import { EXAMPLE_QUERY } from '../../src/server/example.js';
import type { Service } from '../../src/server/index.js';
import { profitRoute } from '../../src/server/profit-route.js';
import { tracingSettings } from '../../src/server/tracing/settings.js';
import { adminOAuthSettings, demoAuthorization, graphql, http, startTestService } from './helpers.js';

/** An OTLP attribute value as the JSON encoding sends it. */
interface AnyValue {
  stringValue?: string;
  intValue?: number | string;
  boolValue?: boolean;
  arrayValue?: { values?: AnyValue[] };
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  traceState?: string;
  name: string;
  kind: number;
  attributes?: { key: string; value: AnyValue }[];
  status?: { code?: number; message?: string };
}
interface Exported {
  serviceName: string | undefined;
  spans: OtlpSpan[];
  /** Every body as received, to search for what must never be exported. */
  raw: string;
}

const SERVER = 2;
const CLIENT = 3;
const STATUS_ERROR = 2;

const plain = (v: AnyValue | undefined): unknown =>
  v?.stringValue ??
  (v?.intValue !== undefined ? Number(v.intValue) : undefined) ??
  v?.boolValue ??
  v?.arrayValue?.values?.map(plain);
const attr = (span: OtlpSpan, key: string): unknown => plain(span.attributes?.find((a) => a.key === key)?.value);

/** The spans as lines `name` indented by depth, siblings in name order (parallel ones start in any order). */
function tree(spans: readonly OtlpSpan[]): string[] {
  const lines: string[] = [];
  const walk = (parent: string, depth: number) => {
    const children = spans
      .filter((s) => (s.parentSpanId ?? '') === parent)
      .sort((a, b) => a.name.localeCompare(b.name));
    for (const span of children) {
      lines.push(`${'  '.repeat(depth)}${span.name}`);
      walk(span.spanId, depth + 1);
    }
  };
  walk('', 0);
  return lines;
}

/** A node:http OTLP/HTTP receiver on a free port, keeping every `/v1/traces` body. */
async function startReceiver(): Promise<{
  url: string;
  bodies: string[];
  exported(): Exported;
  close(): Promise<void>;
}> {
  const bodies: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.url === '/v1/traces') bodies.push(Buffer.concat(chunks).toString('utf8'));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bodies,
    exported() {
      const spans: OtlpSpan[] = [];
      let serviceName: string | undefined;
      for (const body of bodies) {
        for (const rs of JSON.parse(body).resourceSpans ?? []) {
          const name = rs.resource?.attributes?.find((a: { key: string }) => a.key === 'service.name')?.value;
          serviceName = plain(name) as string | undefined;
          for (const ss of rs.scopeSpans ?? []) spans.push(...(ss.spans ?? []));
        }
      }
      return { serviceName, spans, raw: bodies.join('\n') };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const profitCalls = (service: Service) =>
  service.emulator!.log.entries().filter((e) => e.path.startsWith('/ProfitRestServices'));

describe('traces (OpenTelemetry, OTLP over HTTP)', () => {
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  beforeAll(async () => {
    receiver = await startReceiver();
  });
  afterAll(() => receiver.close());
  afterEach(() => {
    receiver.bodies.length = 0;
    vi.unstubAllEnvs();
  });

  /** A service exporting to the receiver; spans are only sent by its close (the batch delay is a minute). */
  async function tracedService(): Promise<Service> {
    vi.stubEnv('OTEL_TRACES_EXPORTER', 'otlp');
    vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', receiver.url);
    vi.stubEnv('OTEL_SERVICE_NAME', 'subgraph-under-test');
    vi.stubEnv('OTEL_BSP_SCHEDULE_DELAY', '60000');
    return startTestService();
  }

  describe('one GraphQL request with relations', () => {
    let exported: Exported;
    let calls: ReturnType<typeof profitCalls>;
    let admin: string;
    beforeAll(async () => {
      const service = await tracedService();
      try {
        admin = demoAuthorization(service);
        service.emulator!.log.clear();
        const reply = await graphql(service, EXAMPLE_QUERY, { authorization: admin });
        expect(reply.json.errors).toBeUndefined();
        calls = profitCalls(service);
      } finally {
        await service.close();
      }
      exported = receiver.exported();
    });

    const byKind = (kind: number) => exported.spans.filter((s) => s.kind === kind);
    const batches = () => exported.spans.filter((s) => s.name.startsWith('dataloader.batch '));

    it('is exported when the service stops, as one trace under the configured service name', () => {
      expect(exported.serviceName).toBe('subgraph-under-test');
      expect(exported.spans.length).toBeGreaterThan(0);
      expect(new Set(exported.spans.map((s) => s.traceId)).size).toBe(1);
    });

    it('is a tree: the request over the Profit calls it made itself and over each DataLoader batch, which holds its own call', () => {
      expect(tree(exported.spans)).toEqual([
        'query ActiveEmployees',
        '  dataloader.batch Organisation',
        '    GET /connectors/Profit_Organisations',
        '  dataloader.batch Person',
        '    GET /connectors/Profit_Persons',
        // The caller's grant (read once per credential) and the page of employees.
        '  GET /connectors/Profit_Employees',
        '  GET /metainfo',
        '  GET /metainfo/get/Profit_Employees',
        '  GET /metainfo/get/Profit_Organisations',
        '  GET /metainfo/get/Profit_Persons',
      ]);
    });

    it('has one server span at its root, named after the operation, with its type and status', () => {
      const [request, ...others] = byKind(SERVER);
      expect(others).toHaveLength(0);
      expect(request?.parentSpanId ?? '').toBe('');
      expect(request?.name).toBe('query ActiveEmployees');
      expect(attr(request!, 'graphql.operation.name')).toBe('ActiveEmployees');
      expect(attr(request!, 'graphql.operation.type')).toBe('query');
      expect(attr(request!, 'http.route')).toBe('/graphql');
      expect(attr(request!, 'http.response.status_code')).toBe(200);
      expect(request?.status?.code).not.toBe(STATUS_ERROR);
    });

    it('has a span per DataLoader batch (person, employer) under the request, with its connector and keys', () => {
      const request = byKind(SERVER)[0]!;
      const spans = batches();
      expect(spans.map((s) => attr(s, 'profit.connector')).sort()).toEqual(['Profit_Organisations', 'Profit_Persons']);
      for (const batch of spans) {
        expect(batch.parentSpanId).toBe(request.spanId);
        expect(attr(batch, 'dataloader.batch.keys')).toBeGreaterThan(0);
      }
    });

    it('has a client span per Profit call, as many as the emulator received, each under the batch or request that made it', () => {
      const request = byKind(SERVER)[0]!;
      const clients = byKind(CLIENT);
      expect(clients).toHaveLength(calls.length);
      const parents = new Map([request, ...batches()].map((s) => [s.spanId, s]));
      for (const call of clients) {
        const parent = parents.get(call.parentSpanId ?? '');
        expect(parent, call.name).toBeDefined();
        expect(attr(call, 'http.request.method')).toBe('GET');
        expect(attr(call, 'http.response.status_code')).toBe(200);
        expect(attr(call, 'http.response.body.size')).toBeGreaterThan(0);
        expect(attr(call, 'profit.attempt')).toBe(1);
        expect(typeof attr(call, 'profit.queued_ms')).toBe('number');
        // A batch's span holds the GetConnector call of its own connector.
        if (parent !== request && attr(call, 'url.template') === '/connectors/{connector}') {
          expect(attr(call, 'profit.connector')).toBe(attr(parent!, 'profit.connector'));
        }
      }
      for (const batch of batches()) {
        expect(clients.filter((c) => c.parentSpanId === batch.spanId).length).toBeGreaterThan(0);
      }
      const connectorCalls = clients.filter((c) => attr(c, 'url.template') === '/connectors/{connector}');
      expect(connectorCalls.map((c) => c.name).sort()).toEqual(
        calls
          .filter((c) => c.path.includes('/connectors/'))
          .map((c) => `GET ${c.path.replace('/ProfitRestServices', '')}`)
          .sort(),
      );
    });

    it('never exports the credential or a Profit query string', () => {
      expect(exported.spans.length).toBeGreaterThan(0);
      const token = admin.replace(/^\S+\s+/, '');
      expect(exported.raw).not.toContain(token);
      expect(exported.raw).not.toMatch(/filterfieldids|skip=|take=/i);
      for (const call of calls) if (call.query !== '') expect(exported.raw).not.toContain(call.query);
    });
  });

  it('continues the caller’s trace (traceparent and tracestate)', async () => {
    const service = await tracedService();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parentId = '00f067aa0ba902b7';
    try {
      const reply = await graphql(service, '{ employees(first: 2) { edges { node { employeeId } } } }', {
        authorization: demoAuthorization(service),
        headers: { traceparent: `00-${traceId}-${parentId}-01`, tracestate: 'router=1' },
      });
      expect(reply.status).toBe(200);
    } finally {
      await service.close();
    }
    const { spans } = receiver.exported();
    expect(spans.length).toBeGreaterThan(1);
    expect(spans.every((s) => s.traceId === traceId)).toBe(true);
    const request = spans.find((s) => s.kind === SERVER)!;
    expect(request.parentSpanId).toBe(parentId);
    expect(request.traceState).toBe('router=1');
  });

  it('records the answer’s error codes on the request span, and a failed Profit attempt and its retry as two spans', async () => {
    const service = await tracedService();
    try {
      // One reset of the employees' GetConnector: the GET is sent again.
      service.emulator!.faults.once({ kind: 'reset', path: 'connectors/Profit_Employees' });
      const ok = await graphql(service, 'query Two { employees(first: 2) { edges { node { employeeId } } } }', {
        authorization: demoAuthorization(service),
      });
      expect(ok.json.errors).toBeUndefined();
      const bad = await graphql(service, 'query Bad { nope }', { authorization: demoAuthorization(service) });
      expect(bad.status).toBe(400);
    } finally {
      await service.close();
    }
    const { spans } = receiver.exported();
    const attempts = spans.filter((s) => s.kind === CLIENT && s.name === 'GET /connectors/Profit_Employees');
    expect(attempts.map((s) => [attr(s, 'profit.attempt'), attr(s, 'http.request.resend_count')])).toEqual([
      [1, undefined],
      [2, 1],
    ]);
    expect(attempts[0]?.status?.code).toBe(STATUS_ERROR);
    expect(attr(attempts[0]!, 'error.type')).toBe('network');
    expect(attempts[1]?.status?.code).not.toBe(STATUS_ERROR);
    const failed = spans.find((s) => s.kind === SERVER && attr(s, 'graphql.error.codes') !== undefined)!;
    expect(attr(failed, 'graphql.error.codes')).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect(failed.status?.code).toBe(STATUS_ERROR);
    expect(attr(failed, 'http.response.status_code')).toBe(400);
  });

  it('traces a file download under its route, without the ticket or the file’s ids', async () => {
    vi.stubEnv('OTEL_TRACES_EXPORTER', 'otlp');
    vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', receiver.url);
    const service = await startTestService({ FILE_TICKET_SECRET: 'a1'.repeat(32) });
    // AFAS's documented payslip (howto-bijlage-dossier.md): dossier item 49946, attachment 20175.
    const fileId = '5C055C034516ED67972E0A852E03C5B9';
    let url: string;
    try {
      const reply = await graphql(
        service,
        '{ dossierItem(dossierItemId: "49946") { attachments { edges { node { downloadUrl } } } } }',
        { authorization: demoAuthorization(service) },
      );
      url = reply.json.data.dossierItem.attachments.edges[0].node.downloadUrl;
      expect((await http(url)).status).toBe(200);
    } finally {
      await service.close();
    }
    const { spans, raw } = receiver.exported();
    const download = spans.filter((s) => attr(s, 'http.route') === '/files/{ticket}');
    expect(download.map((s) => [s.name, attr(s, 'http.response.status_code')])).toEqual([['GET /files/{ticket}', 200]]);
    const call = spans.find((s) => s.parentSpanId === download[0]?.spanId);
    expect(call?.name).toBe('GET /SubjectConnector/{subjectId}/{fileId}');
    expect(attr(call!, 'profit.connector')).toBe('SubjectConnector');
    expect(raw).not.toContain(url.slice(url.lastIndexOf('/') + 1));
    expect(raw).not.toContain(fileId);
  });

  it('makes no span for a Profit call outside a request (the readiness check in service mode)', async () => {
    const emulator = await startEmulator({});
    vi.stubEnv('OTEL_TRACES_EXPORTER', 'otlp');
    vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', receiver.url);
    const service = await startTestService(adminOAuthSettings(emulator));
    let calls: string[];
    try {
      // The OAuth token and ProfitVersion, outside any request span.
      expect((await http(`${service.url}/ready`)).status).toBe(200);
      expect(emulator.log.entries().map((e) => e.path)).toEqual([
        '/ProfitRestServices/oauth/token',
        '/ProfitRestServices/ProfitVersion',
      ]);
      emulator.log.clear();
      const reply = await graphql(service, 'query Two { employees(first: 2) { edges { node { employeeId } } } }');
      expect(reply.json.errors).toBeUndefined();
      calls = emulator.log.entries().map((e) => e.path);
    } finally {
      await service.close();
      await emulator.close();
    }
    const { spans, raw } = receiver.exported();
    expect(tree(spans)).toEqual([
      'query Two',
      '  GET /connectors/Profit_Employees',
      '  GET /metainfo',
      '  GET /metainfo/get/Profit_Employees',
    ]);
    expect(spans.filter((s) => s.kind === CLIENT)).toHaveLength(calls.length);
    const { clientSecret } = credentials(emulator.company).find((a) => a.appConnector === 'admin')!.oauthClients[0]!;
    expect(raw).not.toContain(clientSecret);
  });

  it('leaves an OpenTelemetry SDK registered before it in place, and gives that one the spans', async () => {
    const host = new InMemorySpanExporter();
    const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(host)] });
    provider.register();
    try {
      const service = await tracedService();
      try {
        const reply = await graphql(service, 'query Two { employees(first: 2) { edges { node { employeeId } } } }', {
          authorization: demoAuthorization(service),
        });
        expect(reply.json.errors).toBeUndefined();
      } finally {
        await service.close();
      }
      expect((trace.getTracerProvider() as ProxyTracerProvider).getDelegate()).toBe(provider);
      expect(receiver.bodies).toHaveLength(0);
      const spans = host.getFinishedSpans();
      expect(spans.find((s) => s.name === 'query Two')?.kind).toBe(SpanKind.SERVER);
      expect(spans.filter((s) => s.kind === SpanKind.CLIENT).map((s) => s.name)).toContain(
        'GET /connectors/Profit_Employees',
      );
    } finally {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    }
  });

  describe('when not configured', () => {
    it('registers no SDK and sends nothing, without OTEL variables', async () => {
      const service = await startTestService();
      try {
        await graphql(service, EXAMPLE_QUERY, { authorization: demoAuthorization(service) });
        expect(trace.getTracer('probe').startSpan('probe').isRecording()).toBe(false);
      } finally {
        await service.close();
      }
      expect(receiver.bodies).toHaveLength(0);
    });

    it('sends nothing with OTEL_TRACES_EXPORTER=none, even with an endpoint', async () => {
      vi.stubEnv('OTEL_TRACES_EXPORTER', 'none');
      vi.stubEnv('OTEL_EXPORTER_OTLP_ENDPOINT', receiver.url);
      const service = await startTestService();
      try {
        await graphql(service, EXAMPLE_QUERY, { authorization: demoAuthorization(service) });
        expect(trace.getTracer('probe').startSpan('probe').isRecording()).toBe(false);
      } finally {
        await service.close();
      }
      expect(receiver.bodies).toHaveLength(0);
    });
  });
});

describe('tracing settings', () => {
  it('is off without OTEL variables, and on with otlp or an endpoint alone', () => {
    expect(tracingSettings({}).enabled).toBe(false);
    expect(tracingSettings({ OTEL_SERVICE_NAME: 'x' }).enabled).toBe(false);
    expect(tracingSettings({ OTEL_TRACES_EXPORTER: 'otlp' }).enabled).toBe(true);
    expect(tracingSettings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces' }).enabled).toBe(true);
    expect(tracingSettings({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_SDK_DISABLED: 'true' }).enabled).toBe(false);
  });

  it('refuses what it cannot honour with a ConfigError naming the variable', () => {
    const refused = (env: Record<string, string>) => () => tracingSettings({ OTEL_TRACES_EXPORTER: 'otlp', ...env });
    expect(() => tracingSettings({ OTEL_TRACES_EXPORTER: 'zipkin' })).toThrow(/OTEL_TRACES_EXPORTER=zipkin/);
    expect(refused({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toThrow(/OTEL_EXPORTER_OTLP_PROTOCOL=grpc/);
    expect(refused({ OTEL_TRACES_SAMPLER: 'sometimes' })).toThrow(ConfigError);
    expect(refused({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' })).toThrow(/got '2'/);
  });

  it('stops the service from starting, before anything listens', async () => {
    vi.stubEnv('OTEL_TRACES_EXPORTER', 'jaeger');
    try {
      await expect(startTestService()).rejects.toThrow(ConfigError);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('refuses an endpoint that is not an http(s) URL without repeating it (it may carry a password)', () => {
    const bad = 'collector:pa55word@4318';
    expect(() => tracingSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: bad })).toThrow(
      'OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL',
    );
  });
});

describe('the template of a Profit path', () => {
  it('keeps the connector and replaces ids, keys and file names', () => {
    expect(profitRoute('/connectors/Profit_Employees')).toEqual({
      template: '/connectors/{connector}',
      connector: 'Profit_Employees',
    });
    expect(profitRoute('/connectors/KnSubject/KnSubject/@SbId/1').template).toBe('/connectors/{connector}/{keys}');
    expect(profitRoute('/metainfo/get/Profit_Employees')).toEqual({
      template: '/metainfo/get/{connector}',
      connector: 'Profit_Employees',
    });
    expect(profitRoute('/FileConnector/F1/salary%20J.%20Jansen.pdf')).toEqual({
      template: '/FileConnector/{fileId}/{fileName}',
      connector: 'FileConnector',
    });
    expect(profitRoute('/Unknown/123').template).toBe('/Unknown/…');
  });
});

/**
 * compose.yaml's `replicas` profile: three replicas sharing Redis and one file-ticket key, on one emulator, behind
 * Hive Gateway. Checked without docker (CI has none): the parsed file, its health checks run against a real service
 * and a real emulator, the gateway's header rule, and the supergraph it serves.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, VARIABLES } from '../../src/config/index.js';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';
import type { Service } from '../../src/server/index.js';
import { http, startTestService } from '../server/helpers.js';
import { documents, ROOT, read, runNode, type Yaml } from './support.js';

const [compose] = documents('compose.yaml');
const services: Record<string, Yaml> = compose.services;
const { replica, redis, emulator, router } = services as Record<string, Yaml>;
const PROFILE = ['redis', 'emulator', 'replica', 'router'];

/** The arguments of a service's `healthcheck.test` after `CMD node`, its port moved to `port` (fixed in a container). */
function healthcheck(service: Yaml, port: number): string[] {
  const [form, command, ...argv] = service.healthcheck.test as string[];
  expect([form, command]).toEqual(['CMD', 'node']);
  return argv.map((arg) => arg.replace(/127\.0\.0\.1:\d+\//, `127.0.0.1:${port}/`));
}

describe('the replicas profile', () => {
  it('keeps `docker compose up` as it was: the demo service belongs to no profile', () => {
    expect(services.subgraph.profiles).toBeUndefined();
    for (const name of PROFILE) expect(services[name].profiles, name).toEqual(['replicas']);
  });

  it('runs three replicas on one Redis, one emulator and one file-ticket key', () => {
    expect(replica.deploy.replicas).toBe(3);
    expect(replica.ports).toEqual(['4001-4003:4000']);
    const env = replica.environment as Record<string, string>;
    expect(new URL(env.REDIS_URL ?? '').host).toBe('redis:6379');
    expect(env.PROFIT_BASE_URL).toBe(`http://emulator:${emulator.environment.EMULATOR_PORT}/ProfitRestServices`);
    expect(emulator.environment.EMULATOR_HOST).toBe('0.0.0.0');
    expect(env.FILE_TICKET_SECRET).toMatch(/^[0-9a-f]{64}$/);
    expect(env.PUBLIC_URL).toBe('http://localhost:4001');
    for (const [name, service] of Object.entries(services)) {
      const names = Object.keys(service.environment ?? {});
      expect(
        names.filter((n) => !(n in VARIABLES)),
        name,
      ).toEqual([]);
    }
  });

  it("gives the replicas settings that pass the configuration check under the image's NODE_ENV=production", () => {
    expect(read('Dockerfile')).toMatch(/^ENV NODE_ENV=production /m);
    const config = loadConfig({ NODE_ENV: 'production', ...replica.environment });
    expect(config.redisUrl).toBe('redis://redis:6379');
    expect(config.credential.kind).toBe('pass-through');
  });

  it('gives every service of the profile a health check, and starts each after what it needs is healthy', () => {
    for (const name of PROFILE) expect(services[name].healthcheck?.test?.[0], name).toBe('CMD');
    expect(replica.depends_on).toEqual({
      redis: { condition: 'service_healthy' },
      emulator: { condition: 'service_healthy' },
    });
    expect(router.depends_on).toEqual({ replica: { condition: 'service_healthy' } });
    expect(redis.healthcheck.test).toEqual(['CMD', 'redis-cli', 'ping']);
    expect(replica.stop_grace_period).toBe('30s');
  });

  it('puts Hive Gateway in front, at the version the peer bench runs, with the mounted files present', () => {
    const peers = JSON.parse(read('bench/peers/package.json')) as { dependencies: Record<string, string> };
    expect(router.image).toBe(`ghcr.io/graphql-hive/gateway:${peers.dependencies['@graphql-hive/gateway']}`);
    expect(router.command).toEqual(['supergraph', 'supergraph.graphql']);
    for (const volume of router.volumes as string[]) {
      const [source] = volume.split(':');
      expect(existsSync(join(ROOT, source ?? '')), volume).toBe(true);
    }
  });
});

describe('the health checks, run against the real processes', () => {
  let service: Service;
  let profit: Emulator;
  beforeAll(async () => {
    [service, profit] = await Promise.all([startTestService(), startEmulator({})]);
  });
  afterAll(async () => {
    await service?.close();
    await profit?.close();
  });

  it('pass for a replica whose /ready answers 200, and fail from SIGTERM on, while it still serves', async () => {
    const argv = healthcheck(replica, Number(new URL(service.url).port));
    expect(argv.join(' ')).toContain('/ready');
    expect((await runNode(argv)).code).toBe(0);
    const stopping = await startTestService({ SHUTDOWN_DELAY_MS: '3000' });
    const closed = stopping.close();
    expect((await runNode(healthcheck(replica, Number(new URL(stopping.url).port)))).code).toBe(1);
    expect((await http(`${stopping.url}/health`)).status).toBe(200);
    await closed;
  });

  it('pass for the emulator once it listens, whatever it answers without a token', async () => {
    expect((await runNode(healthcheck(emulator, profit.port))).code).toBe(0);
  });
});

describe('the router', () => {
  it('forwards the caller’s Authorization to the subgraph, and nothing when there is none', async () => {
    const url = pathToFileURL(join(ROOT, 'deploy/compose/gateway.config.mjs')).href;
    const { gatewayConfig } = (await import(url)) as {
      gatewayConfig: { propagateHeaders: { fromClientToSubgraphs(p: { request: Request }): Record<string, string> } };
    };
    const forward = gatewayConfig.propagateHeaders.fromClientToSubgraphs;
    const withToken = new Request('http://router/graphql', { headers: { authorization: 'AfasToken abc' } });
    expect(forward({ request: withToken })).toEqual({ authorization: 'AfasToken abc' });
    expect(forward({ request: new Request('http://router/graphql') })).toEqual({});
  });

  it('serves a supergraph composed from the committed subgraph SDL, routed to the replicas', async () => {
    const run = await runNode(['scripts/compose-supergraph.mjs', '--check']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(read('deploy/compose/supergraph.graphql')).toContain(
      '@join__graph(name: "profit", url: "http://replica:4000/graphql")',
    );
  });
});

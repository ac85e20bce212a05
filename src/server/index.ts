/**
 * The service process: the embedded emulator when no Profit settings are given, the Profit connection, and the
 * HTTP server. The GraphQL endpoint and the Playground are mounted here.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Config } from '../config/index.js';
import { credentials, type Emulator, startEmulator } from '../emulator/index.js';
import { ProfitConnection } from '../profit/index.js';

export interface Service {
  readonly url: string;
  readonly connection: ProfitConnection;
  /** Set when the service runs on the embedded emulator. */
  readonly emulator?: Emulator;
  close(): Promise<void>;
}

/** The Profit connection the config describes (the embedded emulator's base URL when given). */
export function connectionFor(config: Config, emulatorBaseUrl?: string): ProfitConnection {
  const common = {
    integrationId: config.profit.integrationId,
    acceptLanguage: config.profit.acceptLanguage,
    maxConcurrent: config.profit.maxConcurrent,
    timeoutMs: config.profit.timeoutMs,
    retry: { maxAttempts: config.profit.retryAttempts, maxRetryAfterSeconds: config.profit.maxRetryAfterSeconds },
  };
  if (config.target.kind === 'emulator') {
    if (emulatorBaseUrl === undefined) throw new Error('the embedded emulator has not been started');
    return new ProfitConnection({ ...common, baseUrl: emulatorBaseUrl });
  }
  if (config.target.baseUrl !== undefined) return new ProfitConnection({ ...common, baseUrl: config.target.baseUrl });
  return new ProfitConnection({
    ...common,
    environment: { id: config.target.environmentId ?? '', type: config.target.environmentType },
  });
}

export async function startService(config: Config): Promise<Service> {
  const emulator =
    config.target.kind === 'emulator'
      ? await startEmulator({
          port: config.target.port,
          company: { seed: config.target.seed, scale: config.target.scale },
        })
      : undefined;
  const connection = connectionFor(config, emulator?.baseUrl);

  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
    connection,
    emulator,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await connection.close();
      await emulator?.close();
    },
  };
}

/** Lines that tell a new user where to go and which demo credentials to use. */
export function describeService(service: Service): string[] {
  const lines = [`profit-subgraph listening on ${service.url}`];
  if (service.emulator) {
    lines.push(`Profit: the embedded emulator at ${service.emulator.baseUrl} (demo company)`);
    for (const app of credentials(service.emulator.company)) {
      for (const user of app.users) lines.push(`  ${user.name.padEnd(8)} Authorization: ${user.authorization}`);
    }
  } else {
    lines.push('Profit: the configured environment');
  }
  return lines;
}

/**
 * What the integration tests share: one real emulator over HTTP per test file, the demo users' credentials, a
 * reader for the emulator's request log, and small assertions. No mocks: every call goes over a socket.
 */
import { expect } from 'vitest';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../src/emulator/index.js';
import {
  type AfasTokenCredential,
  afasToken,
  type OAuthClientCredential,
  oauthClient,
  ProfitConnection,
  type ProfitConnectionOptions,
  ProfitError,
  type ProfitErrorKind,
  type ProfitTransport,
} from '../../src/profit/index.js';
import type { LoggedRequest, RequestLogReader } from './contract-checks.js';

export type DemoUser = 'admin' | 'hr' | 'portal';

export interface Harness {
  readonly emulator: Emulator;
  readonly log: RequestLogReader;
  /** Classic AFAS tokens of the demo users (built by the client from the token data). */
  token(user: DemoUser): AfasTokenCredential;
  /** OAuth client credentials of the demo users' app connectors. */
  oauth(user: DemoUser, secret?: string): OAuthClientCredential;
  /** A connection to the emulator; closed by `close()`. Retries back off briefly so tests stay fast. */
  connect(options?: Partial<ProfitConnectionOptions>): ProfitConnection;
  /** Back to a clean state: demo company reseeded, no faults, empty log. */
  reset(): void;
  close(): Promise<void>;
}

/**
 * What the harness's connections carry reads and writes over. A test file that runs another file's tests over SOAP
 * sets it before importing them (writes-soap.test.ts); each test file has its own copy of this module.
 */
let transport: ProfitTransport = 'rest';

export function useTransport(t: ProfitTransport): void {
  transport = t;
}

export function harnessTransport(): ProfitTransport {
  return transport;
}

export async function startHarness(options: EmulatorOptions = {}): Promise<Harness> {
  const emulator = await startEmulator(options);
  const connections: ProfitConnection[] = [];
  const user = (name: DemoUser) => {
    for (const app of emulator.company.appConnectors) {
      const u = app.users.find((x) => x.name === name);
      if (u) return { tokenData: u.tokenData, oauth: app.oauthClients[0] };
    }
    throw new Error(`no demo user ${name}`);
  };
  return {
    emulator,
    log: emulatorLog(emulator),
    token: (name) => afasToken(user(name).tokenData),
    oauth(name, secret) {
      const c = user(name).oauth;
      if (!c) throw new Error(`no OAuth client for ${name}`);
      return oauthClient({ clientId: c.clientId, clientSecret: secret ?? c.clientSecret });
    },
    connect(connectionOptions = {}) {
      const connection = new ProfitConnection({
        baseUrl: emulator.baseUrl,
        // The tests read Profit's texts in English, the language AFAS documents them in.
        acceptLanguage: 'en-us',
        transport,
        ...connectionOptions,
        retry: { baseDelayMs: 5, maxDelayMs: 20, ...connectionOptions.retry },
      });
      connections.push(connection);
      return connection;
    },
    reset() {
      emulator.reset();
      emulator.faults.clear();
      emulator.log.clear();
    },
    async close() {
      await Promise.all(connections.map((c) => c.close()));
      await emulator.close();
    },
  };
}

/** The emulator's request log as the shared contract checks read it. */
export function emulatorLog(emulator: Emulator): RequestLogReader {
  return {
    clear: () => emulator.log.clear(),
    entries: () => settledEntries(emulator),
  };
}

/**
 * The log once every request in it has ended. A client that gives up (timeout, reset) closes its socket before the
 * emulator notices, so an entry can still read `pending` for a moment.
 */
async function settledEntries(emulator: Emulator): Promise<LoggedRequest[]> {
  for (let i = 0; i < 100; i++) {
    const entries = emulator.log.entries();
    if (entries.every((e) => e.status !== 'pending')) return entries;
    await new Promise((r) => setTimeout(r, 10));
  }
  return emulator.log.entries();
}

/** Awaits a rejection with a `ProfitError` of the given kind and returns it. */
export async function expectProfitError(promise: Promise<unknown>, kind: ProfitErrorKind): Promise<ProfitError> {
  const error = await promise.then(
    (value) => {
      throw new Error(`expected a ProfitError of kind ${kind}, got a result: ${JSON.stringify(value)?.slice(0, 200)}`);
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProfitError);
  expect((error as ProfitError).kind, (error as Error).message).toBe(kind);
  return error as ProfitError;
}

/**
 * `METHOD path` of each logged request, for exact call-count assertions that read well in a failure; a SOAP call
 * as `SOAP {service.operation}` (its method and path are always the same POST).
 */
export function calls(entries: readonly LoggedRequest[]): string[] {
  return entries.map((e) =>
    e.soapOperation !== undefined
      ? `SOAP ${e.soapOperation}`
      : `${e.method} ${e.path.replace(/^\/ProfitRestServices/i, '')}`,
  );
}

/** Whether a logged request wrote (a REST POST/PUT/DELETE, a SOAP Execute of an UpdateConnector). */
export function isWrite(e: LoggedRequest): boolean {
  return e.soapOperation !== undefined ? e.soapOperation === 'AppConnectorUpdate.Execute' : e.method !== 'GET';
}

/** The writes `calls` shows for REST calls `METHOD /connectors/…`, as the harness's transport sends them. */
export function asSent(restCalls: readonly string[]): string[] {
  return transport === 'rest' ? [...restCalls] : restCalls.map(() => 'SOAP AppConnectorUpdate.Execute');
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(data: Buffer): { width: number; height: number } {
  expect(data.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(data.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

/** The decoded query parameters of a logged request. */
export function queryOf(entry: LoggedRequest): URLSearchParams {
  return new URLSearchParams(entry.query.replace(/^\?/, ''));
}

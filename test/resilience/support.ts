/**
 * Shared by the resilience tests: the service on its embedded emulator over real HTTP, the emulator's log as the
 * record of what reached Profit, and polling with a hard bound (no sleeps that assert timing).
 */
import type { LogEntry } from '../../src/emulator/log.js';
import type { Service } from '../../src/server/index.js';
import { graphql, type Reply } from '../server/helpers.js';

/** The Profit requests in the log after `seq`: `METHOD connector-path status`. */
export function upstreamSince(service: Service, seq: number): LogEntry[] {
  return service.emulator!.log.entries().filter((e) => e.seq > seq && e.path.startsWith('/ProfitRestServices'));
}

/** The newest log sequence number, to count what a step sends after it. */
export function lastSeq(service: Service): number {
  return service.emulator!.log.entries().at(-1)?.seq ?? 0;
}

/** `GET /connectors/Profit_Persons 200` for each entry (query string left out). */
export function describeCalls(entries: readonly LogEntry[]): string[] {
  return entries.map((e) => `${e.method} ${e.path.replace(/^\/ProfitRestServices/, '')} ${e.status}`);
}

/** GET calls per connector. */
export function callsPerConnector(entries: readonly LogEntry[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const e of entries) {
    const m = /\/connectors\/([^/?]+)/.exec(e.path);
    const key = m ? m[1]! : e.path.replace(/^\/ProfitRestServices/, '');
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

/**
 * Runs `attempt` until it returns true or `withinMs` has passed (then fails, with the last reply). The bound is
 * the contract under test ("serves normally within a second"); the spacing between attempts is not.
 */
export async function eventually(attempt: () => Promise<boolean>, withinMs: number): Promise<number> {
  const started = performance.now();
  for (let tries = 1; ; tries++) {
    if (await attempt()) return tries;
    if (performance.now() - started > withinMs) throw new Error(`not recovered within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Every GraphQL answer must be a JSON object with `data` and/or `errors`, and each error a message and a code. */
export function expectWellFormed(reply: Reply): void {
  if (reply.json === undefined || typeof reply.json !== 'object' || reply.json === null) {
    throw new Error(`not JSON (${reply.status}): ${reply.text.slice(0, 200)}`);
  }
  const keys = Object.keys(reply.json);
  if (!keys.every((k) => ['data', 'errors', 'extensions'].includes(k)) || keys.length === 0) {
    throw new Error(`not a GraphQL response: keys ${keys.join(', ')}`);
  }
  for (const e of reply.json.errors ?? []) {
    if (typeof e.message !== 'string' || typeof e.extensions?.code !== 'string') {
      throw new Error(`an error without message or code: ${JSON.stringify(e)}`);
    }
  }
}

export { graphql, type Reply };

/**
 * A service whose log lines a test reads: pino writes them, as JSON, into memory.
 */
import { expect, vi } from 'vitest';
import type { LogEntry } from '../../src/emulator/index.js';
import type { Service, ServiceOptions } from '../../src/server/index.js';
import { createLogger } from '../../src/server/log.js';
import { connectorOf } from '../../src/server/profit-route.js';
import { startTestService } from './helpers.js';

// biome-ignore lint/suspicious/noExplicitAny: a parsed log line
export type LogLine = Record<string, any>;

export interface LoggedService {
  readonly service: Service;
  readonly lines: LogLine[];
  /** The access lines (`msg: 'request'`) so far. */
  access(): LogLine[];
  /**
   * Waits until `count` access lines are written (each is written when its response closes, which may come just
   * after the client has read it) and returns them.
   */
  accessLines(count: number): Promise<LogLine[]>;
}

export async function startLoggedService(
  env: Record<string, string> = {},
  options: ServiceOptions = {},
): Promise<LoggedService> {
  const lines: LogLine[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: { write: (line: string) => lines.push(JSON.parse(line)) },
  });
  const service = await startTestService(env, { logger, ...options });
  const access = () => lines.filter((l) => l.msg === 'request');
  const accessLines = async (count: number) => {
    await vi.waitFor(() => expect(access()).toHaveLength(count));
    return access();
  };
  return { service, lines, access, accessLines };
}

/** The emulator's Profit requests (admin requests left out). */
export function profitRequests(service: Service): LogEntry[] {
  return service.emulator!.log.entries().filter((e) => e.path.startsWith('/ProfitRestServices'));
}

/** Profit requests per connector, as the emulator saw them. */
export function callsByConnector(entries: readonly LogEntry[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of entries) {
    const connector = connectorOf(e.path.slice('/ProfitRestServices'.length));
    counts[connector] = (counts[connector] ?? 0) + 1;
  }
  return counts;
}

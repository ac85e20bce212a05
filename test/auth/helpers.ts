/** Shared helpers for the authorization tests: what each demo user's app connector grants, from the emulator. */
import type { Emulator } from '../../src/emulator/index.js';
import type { LogEntry } from '../../src/emulator/log.js';
import type { EntityBinding } from '../../src/graphql/index.js';
import type { DemoUser } from '../graphql/helpers.js';

export const USERS: readonly DemoUser[] = ['admin', 'hr', 'portal'];

export interface Grant {
  /** GetConnector → withheld fields. */
  readonly get: ReadonlyMap<string, readonly string[]>;
  readonly update: ReadonlySet<string>;
}

/** The demo user's app connector, as the emulator defines it (src/emulator/company/app-connectors.ts). */
export function grantOf(emulator: Emulator, user: DemoUser): Grant {
  const app = emulator.company.appConnectors.find((a) => a.users.some((u) => u.name === user));
  if (!app) throw new Error(`no app connector for ${user}`);
  return { get: new Map(Object.entries(app.getConnectors)), update: new Set(app.updateConnectors) };
}

export function canRead(grant: Grant, binding: EntityBinding, property?: string): boolean {
  const withheld = grant.get.get(binding.connector);
  if (withheld === undefined) return false;
  if (property === undefined) return true;
  const field = binding.fields.get(property);
  return field === undefined || !withheld.includes(field.connectorField);
}

/** Profit calls (paths) among log entries: GetConnector calls and metainfo calls separately. */
export function pathsOf(entries: readonly LogEntry[]): string[] {
  return entries.map((e) => decodeURIComponent(e.path.replace(/^\/ProfitRestServices/i, '')));
}

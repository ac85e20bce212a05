/**
 * Several Profit environments in one deployment (issue 14 §3, docs/tenants.md): the tenant list of
 * `PROFIT_TENANTS_FILE` or `PROFIT_TENANTS`, read and checked at start.
 *
 * The list is JSON: an array of objects, each a `name`, with `PROFIT_TENANT_BY=host` its `hosts`, and the same
 * `PROFIT_*` settings a single deployment takes from its environment, under the same names:
 *
 *     [{ "name": "acme", "PROFIT_ENVIRONMENT": "12345", "PROFIT_TOKEN": "…", "PROFIT_MAX_CONCURRENT": 6 },
 *      { "name": "globex", "PROFIT_BASE_URL": "https://…/ProfitRestServices" }]
 *
 * Where a tenant names no environment, credential or call setting, nothing is taken from elsewhere for the first
 * two: each tenant names its own environment, and a credential is never shared by accident. The call settings
 * (caps, timeouts, retries, language, IntegrationId) default to the process's own variables.
 *
 * Every failure is one ConfigError naming the tenant and the key; a value is shown only where the single-setting
 * reader shows it, so no secret is printed.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from './error.js';
import type { VariableName } from './variables.js';

/** The settings that say which environment and which credential: never inherited from the process. */
export const OWN_SETTINGS = [
  'PROFIT_ENVIRONMENT',
  'PROFIT_ENVIRONMENT_TYPE',
  'PROFIT_BASE_URL',
  'PROFIT_TOKEN',
  'PROFIT_OAUTH_CLIENT_ID',
  'PROFIT_OAUTH_CLIENT_SECRET',
] as const satisfies readonly VariableName[];

/** The settings a tenant's entry may hold: those of one Profit environment. */
export const TENANT_SETTINGS = [
  ...OWN_SETTINGS,
  'PROFIT_INTEGRATION_ID',
  'PROFIT_ACCEPT_LANGUAGE',
  'PROFIT_MAX_CONCURRENT',
  'PROFIT_TIMEOUT_MS',
  'PROFIT_RETRY_ATTEMPTS',
  'PROFIT_MAX_RETRY_AFTER_SECONDS',
  'PROFIT_MAINTENANCE_PROBE_SECONDS',
  'PROFIT_TRANSPORT',
  'PROFIT_VALIDATE_XML',
] as const satisfies readonly VariableName[];

/** One entry as written: its name, hosts, and settings as the text an environment variable would hold. */
export interface TenantEntry {
  readonly name: string;
  readonly hosts: readonly string[];
  readonly settings: Readonly<Record<string, string>>;
}

/**
 * A tenant's name: what a header or claim carries and logs may show. Letters, digits, `_`, `-`, `.`; compared
 * exactly, and two names that differ only in case are refused as duplicates (a reader could not tell them apart).
 */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;
/** A host name as a `Host` header carries it, without the port; compared lower-case. */
const HOST_NAME = /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

const ALLOWED: ReadonlySet<string> = new Set(['name', 'hosts', ...TENANT_SETTINGS]);

/** The tenant list's JSON text: from the file or the variable (not both); undefined when neither is set. */
export function tenantListText(file: string | undefined, inline: string | undefined): string | undefined {
  if (file !== undefined && inline !== undefined) {
    throw new ConfigError('Set either PROFIT_TENANTS_FILE or PROFIT_TENANTS, not both');
  }
  if (inline !== undefined) return inline;
  if (file === undefined) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new ConfigError(`PROFIT_TENANTS_FILE ${JSON.stringify(file)} cannot be read (${code})`);
  }
}

/**
 * The entries of a tenant list. `source` names the setting in messages. JSON.parse's own message may quote the
 * text around the error, which can be a secret: only its position is kept.
 */
export function parseTenantList(text: string, source: string, byHost: boolean): TenantEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
    throw new ConfigError(`${source} is not valid JSON${position !== undefined ? ` (at character ${position})` : ''}`);
  }
  if (!Array.isArray(json) || json.length === 0) {
    throw new ConfigError(`${source} must be a JSON array of tenants, each {"name": …, "PROFIT_…": …}`);
  }
  const names = new Map<string, string>();
  const hosts = new Map<string, string>();
  return json.map((item: unknown, index) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new ConfigError(`${source}: tenant #${index + 1} must be an object`);
    }
    const record = item as Record<string, unknown>;
    const name = record.name;
    if (typeof name !== 'string' || !NAME.test(name)) {
      throw new ConfigError(
        `${source}: tenant #${index + 1} needs a "name" of letters, digits, '_', '-' or '.' (at most 63)`,
      );
    }
    const at = `${source}: tenant '${name}'`;
    const earlier = names.get(name.toLowerCase());
    if (earlier !== undefined) throw new ConfigError(`${at} is listed twice (as '${earlier}' before)`);
    names.set(name.toLowerCase(), name);
    const settings: Record<string, string> = {};
    for (const [key, value] of Object.entries(record)) {
      if (!ALLOWED.has(key)) {
        // The key is shown (cut short): a pasted value in its place must not fill the line.
        const shownKey = JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key);
        throw new ConfigError(`${at}: unknown setting ${shownKey} (a tenant takes name, hosts, PROFIT_…)`);
      }
      if (key === 'name' || key === 'hosts') continue;
      if (typeof value === 'string') settings[key] = value;
      else if (typeof value === 'number' && Number.isFinite(value)) settings[key] = String(value);
      else throw new ConfigError(`${at}: ${key} must be a string or a number`);
    }
    const own = hostsOf(record.hosts, at, byHost);
    for (const host of own) {
      const other = hosts.get(host);
      if (other !== undefined) throw new ConfigError(`${at}: host ${host} is tenant '${other}''s already`);
      hosts.set(host, name);
    }
    return { name, hosts: own, settings };
  });
}

function hostsOf(value: unknown, at: string, byHost: boolean): string[] {
  if (value === undefined) {
    if (byHost) throw new ConfigError(`${at}: PROFIT_TENANT_BY=host needs "hosts", the host names it is served on`);
    return [];
  }
  if (!byHost) throw new ConfigError(`${at}: "hosts" applies to PROFIT_TENANT_BY=host only: remove it`);
  if (!Array.isArray(value) || value.length === 0) {
    throw new ConfigError(`${at}: "hosts" must be a non-empty array of host names`);
  }
  return value.map((host: unknown) => {
    const lower = typeof host === 'string' ? host.trim().toLowerCase() : '';
    if (!HOST_NAME.test(lower)) {
      throw new ConfigError(`${at}: "hosts" must list host names without port or scheme, got ${JSON.stringify(host)}`);
    }
    return lower;
  });
}

/**
 * The drift check (issue 11 §4): the served model against an environment's metainfo. `compareModel` is the pure
 * comparison; `checkEnvironment` reads what it needs with a client; `reportLines` is the readable report shared by
 * the `check` command and the service's start.
 */
import { type ProfitClient, type ProfitSnapshot, type SnapshotProgress, takeSnapshot } from '../profit/index.js';
import { type UpdateXsd, withUpdateXsds } from '../profit/xml/index.js';
import { compareModel, type Finding, type ModelDescription } from './compare.js';

export {
  compareModel,
  type Finding,
  type FindingKind,
  type InputDescription,
  type ModelDescription,
  type ObjectDescription,
  type ReadDescription,
  type WriteDescription,
} from './compare.js';
export { describeModel } from './describe.js';

export interface CheckOptions {
  readonly onProgress?: (progress: SnapshotProgress) => void;
  readonly signal?: AbortSignal;
}

/**
 * Reads `/metainfo` and the metainfo of the connectors the model uses (no others: an environment may grant
 * hundreds), then compares. A connector whose metainfo Profit refuses is reported, not fatal.
 */
export async function checkEnvironment(
  client: ProfitClient,
  model: ModelDescription,
  options: CheckOptions = {},
): Promise<{ snapshot: ProfitSnapshot; findings: Finding[] }> {
  const { snapshot } = await takeSnapshot(client, {
    ...options,
    allowMissing: true,
    only: { get: model.reads.map((r) => r.connector), update: model.writes.map((w) => w.connector) },
  });
  return { snapshot, findings: compareModel(model, snapshot) };
}

/**
 * The model's writes against UpdateConnector XSDs alone (`check --xsd` without a snapshot): only the writes whose
 * connector an XSD describes are compared, each with the shape its XSD gives (src/profit/xml/xsd-shape.ts), and
 * nothing is read. Connector ids are compared case-insensitively, as Profit does. Pure.
 */
export function compareWithXsds(model: ModelDescription, xsds: readonly UpdateXsd[]): Finding[] {
  const described = new Set(xsds.map((x) => x.connector.toLowerCase()));
  const writes = model.writes.filter((w) => described.has(w.connector.toLowerCase()));
  const empty: ProfitSnapshot = {
    metainfo: {
      getConnectors: [],
      updateConnectors: [],
      info: { envid: '', appName: '', group: '', tokenExpiry: '0' },
    },
    get: {},
    update: {},
  };
  return compareModel({ reads: [], writes }, withUpdateXsds(empty, xsds));
}

/** Errors first, then warnings; each connector's findings together, in the model's order. */
export function reportLines(findings: readonly Finding[]): string[] {
  const byConnector = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = `${f.direction === 'get' ? 'GetConnector' : 'UpdateConnector'} ${f.connector}`;
    byConnector.set(key, [...(byConnector.get(key) ?? []), f]);
  }
  const lines: string[] = [];
  for (const [connector, list] of byConnector) {
    lines.push(connector);
    const ordered = [...list.filter((f) => f.severity === 'error'), ...list.filter((f) => f.severity === 'warning')];
    for (const f of ordered) lines.push(`  ${f.severity.padEnd(7)} ${f.kind.padEnd(17)} ${f.message}`);
  }
  return lines;
}

/** One line: how many errors and warnings. */
export function summaryLine(findings: readonly Finding[]): string {
  const errors = findings.filter((f) => f.severity === 'error').length;
  const warnings = findings.length - errors;
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  return errors === 0 && warnings === 0
    ? 'the model is compatible with the environment'
    : `${errors === 0 ? 'compatible, with ' : 'incompatible: '}${count(errors, 'error')}, ${count(warnings, 'warning')}`;
}

/**
 * The check at the service's start (service mode): reads the service credential's metainfo once and logs each
 * incompatibility as one line, so a drifted environment shows at once rather than as fields failing one by one.
 * Never rejects and never blocks serving; a failure to read is one line too (ProfitError messages carry no
 * credential). Aborted by `signal` when the service stops first.
 */
export async function checkAtStart(
  client: ProfitClient,
  model: ModelDescription,
  log: { warn(message: string): void; info(message: string): void },
  signal?: AbortSignal,
): Promise<Finding[]> {
  try {
    const { findings } = await checkEnvironment(client, model, signal ? { signal } : {});
    if (signal?.aborted) return findings;
    for (const f of findings) log.warn(`model check: ${f.severity} ${f.kind}: ${f.message}`);
    if (findings.length === 0) log.info('model check: the model is compatible with the environment');
    return findings;
  } catch (error) {
    if (!signal?.aborted) {
      log.warn(
        `model check: could not read the environment's metainfo (${error instanceof Error ? error.message : String(error)})`,
      );
    }
    return [];
  }
}

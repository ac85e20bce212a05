/**
 * A snapshot: an environment's shape in one file, Profit's own metainfo answers and nothing else (no rows, no
 * credential):
 *
 * ```json
 * { "metainfo": <GET /metainfo>, "get": { "<id>": <GET /metainfo/get/{id}> }, "update": { "<id>": <GET /metainfo/update/{id}> } }
 * ```
 *
 * `takeSnapshot` records one with a client: every answer is embedded in the file as the exact text Profit sent
 * (numbers, escapes and key order untouched; only the outer object is laid out one entry per line), so a file
 * recorded against real Profit and one written by hand in this shape are interchangeable. `readSnapshot` loads
 * and checks one. Pure of GraphQL, like the rest of src/profit.
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import type { ProfitClient } from './client.js';
import { isRecord, ProfitError } from './errors.js';
import { parseProfitJson } from './json.js';
import {
  type GetConnectorMetainfo,
  isGetConnectorMetainfo,
  isMetainfo,
  isUpdateConnectorMetainfo,
  normalizeUpdateMetainfo,
  type ProfitMetainfo,
  type UpdateConnectorMetainfo,
} from './results.js';

/**
 * A loaded snapshot: the values the client's `metainfo`, `getConnectorMetainfo` and `updateConnectorMetainfo`
 * return for the same answers (numbers parsed without loss, `objects: []` filled in where Profit omits it).
 * `get` / `update` are keyed by connector id as `/metainfo` lists it.
 */
export interface ProfitSnapshot {
  readonly metainfo: ProfitMetainfo;
  readonly get: Readonly<Record<string, GetConnectorMetainfo>>;
  readonly update: Readonly<Record<string, UpdateConnectorMetainfo>>;
}

/** A granted connector whose metainfo Profit would not give (403 or 404, or "not granted" after all). */
export interface MissingConnector {
  readonly kind: 'get' | 'update';
  readonly id: string;
  readonly status: number | undefined;
  readonly message: string;
}

export interface SnapshotProgress {
  /** Connector metainfo calls finished (succeeded or missing), of `total` (granted Get- plus UpdateConnectors). */
  readonly done: number;
  readonly total: number;
  /** Set when the call just finished left this connector out. */
  readonly missing?: MissingConnector;
}

export interface TakeSnapshotOptions {
  /** Called after `/metainfo` (with `done: 0`) and after each connector's call. Exceptions it throws are ignored. */
  readonly onProgress?: (progress: SnapshotProgress) => void;
  /**
   * Leave out granted connectors whose metainfo Profit refuses with 403/404 (listed in `missing`) instead of
   * failing: the format has no place to record them. @default false (a `SnapshotError` naming them)
   */
  readonly allowMissing?: boolean;
  /** Aborts the remaining calls. */
  readonly signal?: AbortSignal;
  /**
   * Read only these connectors' metainfo (ids compared case-insensitively; those not granted are skipped), as a
   * check of one model needs; `/metainfo` is read whole. @default every granted connector
   */
  readonly only?: { readonly get: readonly string[]; readonly update: readonly string[] };
}

/** A recorded snapshot: the file's text, the same loaded, and what was left out. */
export interface SnapshotRecording {
  /** The file's content: Profit's answers verbatim inside the fixed outer object, ending in a newline. */
  readonly text: string;
  readonly snapshot: ProfitSnapshot;
  /** Empty unless `allowMissing`. */
  readonly missing: readonly MissingConnector[];
}

/** A snapshot that could not be taken, read or written as the format requires. */
export class SnapshotError extends Error {
  override readonly name = 'SnapshotError';

  constructor(
    message: string,
    /** The granted connectors Profit refused, when that is why the snapshot was not taken. */
    readonly missing: readonly MissingConnector[] = [],
  ) {
    super(message);
  }
}

/** Kinds of a connector call that leave the connector out (with `allowMissing`) instead of stopping the snapshot. */
const MISSING_KINDS = new Set(['forbidden', 'not-found', 'not-granted']);

/**
 * Reads `/metainfo`, then `/metainfo/get/{id}` and `/metainfo/update/{id}` for every granted connector, at most
 * the connection's `maxConcurrent` at a time. The calls are started by this many workers rather than all queued
 * at once: a queued call's wait counts against its timeout, and an environment may grant hundreds of connectors.
 * Any failure other than a connector's 403/404 (a refused credential, maintenance, a timeout after retries, an
 * unexpected answer) rejects with that `ProfitError`, after the calls in flight have ended.
 */
export async function takeSnapshot(
  client: ProfitClient,
  options: TakeSnapshotOptions = {},
): Promise<SnapshotRecording> {
  const call = options.signal ? { signal: options.signal } : {};
  const report = (progress: SnapshotProgress) => {
    try {
      options.onProgress?.(progress);
    } catch {
      // An observer must never break the snapshot.
    }
  };
  const metainfoText = await client.metainfoText(undefined, call);
  const metainfo = parseProfitJson(metainfoText) as ProfitMetainfo;
  const wanted = (kind: 'get' | 'update') => {
    const only = options.only && new Set(options.only[kind].map((id) => id.toLowerCase()));
    return (id: string) => only === undefined || only.has(id.toLowerCase());
  };
  const tasks = [
    ...uniqueIds(metainfo.getConnectors)
      .filter(wanted('get'))
      .map((id) => ({ kind: 'get' as const, id })),
    ...uniqueIds(metainfo.updateConnectors)
      .filter(wanted('update'))
      .map((id) => ({ kind: 'update' as const, id })),
  ];
  const texts: (string | undefined)[] = new Array(tasks.length);
  const missed: { index: number; connector: MissingConnector }[] = [];
  let next = 0;
  let done = 0;
  let failure: { error: unknown } | undefined;
  report({ done, total: tasks.length });

  const worker = async () => {
    while (failure === undefined && next < tasks.length) {
      const index = next++;
      const task = tasks[index] as (typeof tasks)[number];
      let left: MissingConnector | undefined;
      try {
        texts[index] = await client.metainfoText(task.kind === 'get' ? { get: task.id } : { update: task.id }, call);
      } catch (error) {
        if (!(error instanceof ProfitError && MISSING_KINDS.has(error.kind))) {
          failure ??= { error };
          return;
        }
        left = { ...task, status: error.status, message: error.message };
        missed.push({ index, connector: left });
      }
      done++;
      report({ done, total: tasks.length, ...(left ? { missing: left } : {}) });
    }
  };
  const workers = Math.min(client.connection.options.maxConcurrent, tasks.length);
  await Promise.all(Array.from({ length: workers }, worker));
  if (failure !== undefined) throw failure.error;
  // In the order metainfo lists them, not the order the calls happened to end.
  const missing = missed.sort((a, b) => a.index - b.index).map((m) => m.connector);
  if (missing.length > 0 && options.allowMissing !== true) {
    const named = missing.slice(0, 5).map((m) => `${m.kind} ${m.id}${m.status ? ` (${m.status})` : ''}`);
    const more = missing.length > named.length ? ` and ${missing.length - named.length} more` : '';
    throw new SnapshotError(
      `Profit refused the metainfo of ${missing.length} granted connector${missing.length === 1 ? '' : 's'}: ${named.join(', ')}${more}`,
      missing,
    );
  }

  const entries = (kind: 'get' | 'update') =>
    tasks.flatMap((t, i) => {
      const text = texts[i];
      return t.kind === kind && text !== undefined ? [`    ${JSON.stringify(t.id)}: ${verbatim(text)}`] : [];
    });
  const section = (lines: string[]) => (lines.length === 0 ? '{}' : `{\n${lines.join(',\n')}\n  }`);
  const text = `{\n  "metainfo": ${verbatim(metainfoText)},\n  "get": ${section(entries('get'))},\n  "update": ${section(entries('update'))}\n}\n`;
  return { text, snapshot: parseSnapshot(text, 'the recorded snapshot'), missing };
}

/**
 * Profit's answer as it goes into the file: its own text, without a byte-order mark or surrounding whitespace
 * (neither is part of the JSON value; a BOM inside the file would make it invalid).
 */
function verbatim(text: string): string {
  return text.replace(/^\uFEFF/, '').trim();
}

function uniqueIds(refs: readonly { readonly id?: unknown }[]): string[] {
  return [...new Set(refs.map((r) => r.id).filter((id): id is string => typeof id === 'string'))];
}

/**
 * Loads a snapshot file, recorded or written by hand, and checks its shape: the three keys and no other, each
 * answer shaped as Profit's, and every `get` / `update` key a connector that `metainfo` lists (ids compared
 * case-insensitively, as Profit does). Rejects with a `SnapshotError` naming the file and the first problem.
 */
export async function readSnapshot(file: string): Promise<ProfitSnapshot> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new SnapshotError(`${file}: cannot read the snapshot${code ? ` (${code})` : ''}`);
  }
  return parseSnapshot(text, file);
}

/** Parses and checks a snapshot's text (see `readSnapshot`); `source` names it in errors. Pure. */
export function parseSnapshot(text: string, source = 'snapshot'): ProfitSnapshot {
  const fail = (what: string): never => {
    throw new SnapshotError(`${source}: ${what}`);
  };
  let json: unknown;
  try {
    json = parseProfitJson(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    fail(`not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!isRecord(json)) return fail('expected an object {metainfo, get, update}');
  const unknown = Object.keys(json).filter((k) => !['metainfo', 'get', 'update'].includes(k));
  if (unknown.length > 0) fail(`unknown key ${JSON.stringify(unknown[0])}; a snapshot has metainfo, get and update`);
  const { metainfo, get, update } = json;
  if (!isMetainfo(metainfo)) {
    return fail(
      '"metainfo" must be the answer of GET /metainfo: {getConnectors: [...], updateConnectors: [...], info}',
    );
  }
  const section = <T>(
    name: 'get' | 'update',
    value: unknown,
    listed: readonly { readonly id?: unknown }[],
    check: (v: unknown) => v is T,
  ): Record<string, T> => {
    if (!isRecord(value)) return fail(`"${name}" must be an object of connector id → GET /metainfo/${name}/{id}`);
    const granted = new Set(listed.map((r) => String(r.id).toLowerCase()));
    const out: Record<string, T> = {};
    for (const [id, answer] of Object.entries(value)) {
      if (!granted.has(id.toLowerCase())) {
        fail(`"${name}" has ${JSON.stringify(id)}, which "metainfo" does not list among its ${name}Connectors`);
      }
      if (!check(answer)) {
        fail(`"${name}".${JSON.stringify(id)} must be the answer of GET /metainfo/${name}/{id}: {name, fields: [...]}`);
      }
      out[id] = answer as T;
    }
    return out;
  };
  const gets = section('get', get, metainfo.getConnectors, isGetConnectorMetainfo);
  const updates = section('update', update, metainfo.updateConnectors, isUpdateConnectorMetainfo);
  return {
    metainfo,
    get: gets,
    update: Object.fromEntries(Object.entries(updates).map(([id, m]) => [id, normalizeUpdateMetainfo(m)])),
  };
}

/**
 * Writes a recorded snapshot's text to `file` all at once: into a temporary file beside it, then renamed over
 * it, so a failure never leaves a partial snapshot (nor replaces a good one with one).
 */
export async function writeSnapshot(file: string, recording: Pick<SnapshotRecording, 'text'>): Promise<void> {
  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    await writeFile(temp, recording.text, { encoding: 'utf8', flag: 'wx' });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    throw new SnapshotError(`${file}: cannot write the snapshot${code ? ` (${code})` : ''}`);
  }
}

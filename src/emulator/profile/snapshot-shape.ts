/**
 * The snapshot file an emulated environment is built from: Profit's own metainfo answers, verbatim.
 *
 *   { "metainfo": <GET /metainfo>,
 *     "get":    { "<id>": <GET /metainfo/get/{id}> },
 *     "update": { "<id>": <GET /metainfo/update/{id}> } }
 *
 * The same shape as `ProfitSnapshot` of src/profit/snapshot.ts (built in parallel); declared here, minimal and
 * structural, so the emulator does not depend on the client. Field shapes follow AFAS's metainfo answers
 * (get-connector.md "Metainfo", profit-api.md).
 */
import { readFile } from 'node:fs/promises';
import type { GetFieldDef, UpdateFieldDef } from '../company/types.js';

export interface SnapshotConnectorRef {
  readonly id: string;
  readonly description: string;
}

export interface SnapshotMetainfo {
  readonly updateConnectors: readonly SnapshotConnectorRef[];
  readonly getConnectors: readonly SnapshotConnectorRef[];
  readonly info: {
    readonly envid: string;
    readonly appName: string;
    readonly group: string;
    readonly tokenExpiry: string;
  };
}

/**
 * The emulator's own metainfo field shapes (company/types.ts), except that a file may carry any `dataType` text:
 * the profile maps what it does not know to text rather than refusing the environment.
 */
export type SnapshotGetField = Omit<GetFieldDef, 'dataType'> & { readonly dataType: string };

export interface SnapshotGetConnector {
  readonly name: string;
  readonly description: string;
  readonly fields: readonly SnapshotGetField[];
}

export type SnapshotUpdateField = Omit<UpdateFieldDef, 'dataType'> & { readonly dataType: string };

export interface SnapshotUpdateObject {
  readonly name: string;
  readonly fields: readonly SnapshotUpdateField[];
  /** Profit may omit it on a leaf object. */
  readonly objects?: readonly SnapshotUpdateObject[];
}

export interface SnapshotUpdateConnector extends SnapshotUpdateObject {
  readonly description: string;
}

export interface ProfitSnapshot {
  readonly metainfo: SnapshotMetainfo;
  readonly get: Readonly<Record<string, SnapshotGetConnector>>;
  readonly update: Readonly<Record<string, SnapshotUpdateConnector>>;
}

/** A snapshot file that cannot be used; the message names the file and the offending part. */
export class SnapshotError extends Error {
  override readonly name = 'SnapshotError';
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * Checks the parts the emulator relies on (connector lists, field arrays with an id and a data type) and returns
 * the snapshot unchanged: the metainfo routes answer it verbatim, so nothing is normalised here.
 */
export function parseSnapshot(json: unknown, source = 'snapshot'): ProfitSnapshot {
  const fail = (what: string) => new SnapshotError(`${source}: ${what}`);
  if (!isRecord(json)) throw fail('must be a JSON object with "metainfo", "get" and "update"');
  const { metainfo, get, update } = json;
  if (!isRecord(metainfo) || !Array.isArray(metainfo.getConnectors) || !Array.isArray(metainfo.updateConnectors)) {
    throw fail('"metainfo" must be the answer of GET /metainfo (with getConnectors and updateConnectors)');
  }
  if (!isRecord(metainfo.info) || typeof metainfo.info.envid !== 'string') {
    throw fail('"metainfo.info.envid" must be a string');
  }
  if (!isRecord(get)) throw fail('"get" must map GetConnector ids to GET /metainfo/get/{id} answers');
  if (!isRecord(update)) throw fail('"update" must map UpdateConnector ids to GET /metainfo/update/{id} answers');
  for (const [id, meta] of Object.entries(get)) {
    if (!isRecord(meta) || !Array.isArray(meta.fields)) throw fail(`get.${id} must have a "fields" array`);
    meta.fields.forEach((f, i) => {
      if (!isRecord(f) || typeof f.id !== 'string' || typeof f.dataType !== 'string') {
        throw fail(`get.${id}.fields[${i}] must have a string "id" and "dataType"`);
      }
    });
  }
  const checkObject = (path: string, o: unknown) => {
    if (!isRecord(o) || !Array.isArray(o.fields)) throw fail(`${path} must have a "fields" array`);
    o.fields.forEach((f, i) => {
      if (!isRecord(f) || typeof f.fieldId !== 'string' || typeof f.dataType !== 'string') {
        throw fail(`${path}.fields[${i}] must have a string "fieldId" and "dataType"`);
      }
      if (f.values !== null && f.values !== undefined && !Array.isArray(f.values)) {
        throw fail(`${path}.fields[${i}].values must be null or an array`);
      }
    });
    if (o.objects !== undefined && !Array.isArray(o.objects)) throw fail(`${path}.objects must be an array`);
    (o.objects ?? []).forEach((child: unknown, i: number) => {
      checkObject(`${path}.objects[${i}]`, child);
    });
  };
  for (const [id, meta] of Object.entries(update)) checkObject(`update.${id}`, meta);
  return json as unknown as ProfitSnapshot;
}

/** Reads and checks a snapshot file (UTF-8 JSON). */
export async function readSnapshotFile(path: string): Promise<ProfitSnapshot> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new SnapshotError(`cannot read the profile '${path}': ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new SnapshotError(`${path}: not valid JSON (${(e as Error).message})`);
  }
  return parseSnapshot(json, path);
}

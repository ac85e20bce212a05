/**
 * An emulated company built from a snapshot of a real environment's metainfo (`snapshot-shape.ts`): every
 * GetConnector of the file with synthetic rows (`synthesize.ts`), every UpdateConnector validated by the file's
 * own metainfo, metainfo answered from the file verbatim, and one admin user granted everything in it.
 *
 *   const company = createProfileCompany(snapshot, { seed: 1, scale: 2 });
 *   await startEmulator({ createCompany: profileCompanyFactory(snapshot) });
 */
import { PROFIT_VERSION } from '../company/index.js';
import { stableHex } from '../company/random.js';
import {
  type AppConnectorDef,
  type Cell,
  type Company,
  type CompanyOptions,
  type CompanyStore,
  type CreateCompany,
  Decimal,
  type GetConnectorDef,
  type GetFieldDef,
  ProfitRejection,
  type Row,
  type UpdateConnectorDef,
  type UpdateElement,
  type UpdateFieldDef,
  type UpdateMethod,
  type UpdateObjectDef,
} from '../company/types.js';
import { canonicalDecimal, cellText, normalizeLocalDateTime } from '../values.js';
import { type ConnectorModel, fieldCode, inferModel, type ProfileModel, toDataType } from './infer.js';
import type { ProfitSnapshot, SnapshotGetField, SnapshotUpdateField, SnapshotUpdateObject } from './snapshot-shape.js';
import { keyValue, synthesizeRows } from './synthesize.js';

/** @default 20261124, as the demo company */
export const DEFAULT_PROFILE_SEED = 20261124;

/** A write the emulator validated and accepted but could not reflect in any GetConnector (no obvious mapping). */
export interface UnappliedWrite {
  readonly connector: string;
  readonly method: UpdateMethod | 'DELETE';
  readonly elements: number;
}

/** The emulated company's tables: one array of rows per GetConnector. */
export class ProfileStore implements CompanyStore {
  constructor(
    readonly tables: Map<string, Row[]>,
    /** Writes accepted without a matching GetConnector, oldest first (kept for inspection; not rolled back). */
    readonly unapplied: UnappliedWrite[] = [],
  ) {}

  rows(connector: string): Row[] {
    let rows = this.tables.get(connector);
    if (!rows) {
      rows = [];
      this.tables.set(connector, rows);
    }
    return rows;
  }

  snapshot(): unknown {
    // Cells are immutable (Decimal included), so copying the row objects is a deep copy.
    return new Map([...this.tables].map(([id, rows]) => [id, rows.map((r) => ({ ...r }))]));
  }

  restore(snapshot: unknown): void {
    this.tables.clear();
    for (const [id, rows] of snapshot as Map<string, Row[]>) this.tables.set(id, rows);
  }

  subjectFile(): undefined {
    return undefined;
  }
  file(): undefined {
    return undefined;
  }
  image(): undefined {
    return undefined;
  }
}

function getFieldDef(f: SnapshotGetField): GetFieldDef {
  return {
    id: f.id,
    fieldId: f.fieldId ?? f.id,
    dataType: toDataType(f.dataType),
    label: f.label ?? f.id,
    length: f.length ?? 0,
    controlType: f.controlType ?? 1,
    decimals: f.decimals ?? 0,
    decimalsFieldId: f.decimalsFieldId ?? '',
  };
}

function updateFieldDef(f: SnapshotUpdateField): UpdateFieldDef {
  return {
    fieldId: f.fieldId,
    primaryKey: f.primaryKey === true,
    dataType: toDataType(f.dataType),
    label: f.label ?? f.fieldId,
    mandatory: f.mandatory === true,
    length: f.length ?? 0,
    decimals: f.decimals ?? 0,
    decimalFieldId: f.decimalFieldId ?? '',
    notzero: f.notzero === true,
    controlType: f.controlType ?? 1,
    values: f.values ? f.values.map((v) => ({ id: String(v.id), description: v.description })) : null,
  };
}

function updateObjectDef(o: SnapshotUpdateObject): UpdateObjectDef {
  return { name: o.name, fields: o.fields.map(updateFieldDef), objects: (o.objects ?? []).map(updateObjectDef) };
}

/** A written cell as the GetConnector field's type holds it (update and get metainfo may type a field apart). */
function asGetCell(cell: unknown, f: GetFieldDef): Cell {
  if (cell === null || cell === undefined) return null;
  const value = cell as Cell;
  const text = cell instanceof Decimal ? cell.text : String(cell);
  switch (f.dataType) {
    case 'int':
      return typeof value === 'number' ? value : Number.isSafeInteger(Number(text)) ? Number(text) : text;
    case 'decimal': {
      const d = canonicalDecimal(text);
      return d === undefined ? text : new Decimal(d);
    }
    case 'boolean':
      return typeof value === 'boolean' ? value : text;
    case 'date':
      return normalizeLocalDateTime(text) ?? text;
    default:
      return text;
  }
}

const sameKey = (row: Row, keys: Readonly<Record<string, Cell>>, fields: readonly GetFieldDef[]) =>
  Object.entries(keys).every(([id, value]) => {
    const f = fields.find((g) => g.id === id);
    return f !== undefined && cellText(row[id] ?? null, f.dataType) === cellText(value, f.dataType);
  });

/**
 * The UpdateConnector of a snapshot entry. With a matching GetConnector (`infer.ts`), POST inserts a row (key
 * values not sent are numbered on, as Profit numbers new records; unconfirmed), PUT changes the row with the sent
 * key and DELETE removes it; values of joining fields must exist in the joined connector; nested objects are
 * validated but not stored. Without one, a valid call is accepted
 * and recorded in `ProfileStore.unapplied` (unconfirmed: what the real connector would change is unknown).
 */
function updateConnector(
  id: string,
  meta: ProfitSnapshot['update'][string],
  target: { def: GetConnectorDef; model: ConnectorModel } | undefined,
): UpdateConnectorDef {
  const main = updateObjectDef(meta);
  // Writes name fields by their code (`fieldId`); the rows hold them by column name (`id`), which may differ.
  const sent = (element: UpdateElement, f: GetFieldDef, keysFirst = false): unknown => {
    const code = fieldCode(f);
    if (keysFirst) return code in element.keys ? element.keys[code] : element.fields[code];
    return code in element.fields ? element.fields[code] : element.keys[code];
  };
  const keyOf = (element: UpdateElement): Record<string, Cell> => {
    const keys: Record<string, Cell> = {};
    for (const k of target?.model.key ?? []) {
      const f = target?.def.fields.find((g) => g.id === k);
      const given = f && sent(element, f, true);
      if (given !== undefined && given !== null && f) keys[k] = asGetCell(given, f);
    }
    return keys;
  };
  return {
    id,
    description: meta.description ?? '',
    name: main.name,
    fields: main.fields,
    objects: main.objects,
    methods: ['POST', 'PUT', 'DELETE'],
    // A field that joins another connector (infer.ts) must name one of its rows, as a Profit lookup field must;
    // the text is troubleshooting.md's. unconfirmed: that the real connector checks this very field.
    check(_method, elements, store) {
      if (!target) return;
      const rows = (connector: string) => (store as ProfileStore).rows(connector);
      for (const element of elements) {
        if (element.action === 'delete') continue;
        for (const [fieldId, source] of target.model.columns) {
          const f = target.def.fields.find((g) => g.id === fieldId);
          const given = f && sent(element, f);
          if (source.kind !== 'relation' || given === undefined || given === null || !f) continue;
          const text = cellText(asGetCell(given, f), f.dataType);
          if (!rows(source.target).some((r) => cellText(r[fieldId] ?? null, f.dataType) === text)) {
            const label = main.fields.find((u) => u.fieldId === fieldCode(f))?.label || f.label || fieldId;
            throw new ProfitRejection(`The entered value for '${label}' does not exist.`);
          }
        }
      }
    },
    apply(method, elements, store) {
      const profile = store as ProfileStore;
      if (!target) {
        profile.unapplied.push({ connector: id, method, elements: elements.length });
        return {};
      }
      const { def, model } = target;
      const rows = profile.rows(def.id);
      let results: Record<string, string> = {};
      for (const element of elements) {
        const keys = keyOf(element);
        const action = element.action ?? (method === 'POST' ? 'insert' : 'update');
        const complete = model.key.every((k) => k in keys);
        const index = complete ? rows.findIndex((r) => sameKey(r, keys, def.fields)) : -1;
        const label = (k: string) => {
          const code = fieldCode(def.fields.find((f) => f.id === k) ?? { id: k });
          return main.fields.find((f) => f.fieldId === code)?.label || k;
        };
        if (action === 'insert') {
          if (index >= 0) {
            // unconfirmed: Profit's wording for a duplicate key.
            throw new ProfitRejection(`A record with this ${model.key.map(label).join(', ')} already exists.`);
          }
          for (const k of model.key) {
            const f = def.fields.find((g) => g.id === k);
            if (!(k in keys) && f) keys[k] = nextKey(rows, f);
          }
          const row: Row = {};
          for (const f of def.fields) {
            row[f.id] = f.id in keys ? (keys[f.id] ?? null) : asGetCell(sent(element, f), f);
          }
          rows.push(row);
        } else {
          if (index < 0) {
            throw new ProfitRejection(`The record with this ${model.key.map(label).join(', ')} does not exist.`);
          }
          if (action === 'delete') rows.splice(index, 1);
          else {
            const row = rows[index] as Row;
            for (const f of def.fields) {
              const code = fieldCode(f);
              if (code in element.fields && !model.key.includes(f.id)) row[f.id] = asGetCell(element.fields[code], f);
            }
          }
        }
        // Profit answers with the UpdateConnector's field codes.
        results = Object.fromEntries(
          Object.entries(keys).map(([k, v]) => [
            fieldCode(def.fields.find((f) => f.id === k) ?? { id: k }),
            v instanceof Decimal ? v.text : String(v),
          ]),
        );
      }
      return results;
    },
    remove(_object, keys, store) {
      const profile = store as ProfileStore;
      if (!target) {
        profile.unapplied.push({ connector: id, method: 'DELETE', elements: 1 });
        return;
      }
      const rows = profile.rows(target.def.id);
      // The URL names the key by field codes; the rows by column name.
      const byColumn = Object.fromEntries(
        Object.entries(keys).map(([code, v]) => [target.def.fields.find((f) => fieldCode(f) === code)?.id ?? code, v]),
      );
      const index = rows.findIndex((r) => sameKey(r, byColumn, target.def.fields));
      if (index < 0) throw new ProfitRejection('The record to delete does not exist.');
      rows.splice(index, 1);
    },
  };
}

/** The next free key value of a field not sent on insert. */
function nextKey(rows: readonly Row[], f: GetFieldDef): Cell {
  for (let i = rows.length; i < rows.length * 2 + 10; i++) {
    const candidate = keyValue(f, i);
    if (candidate === undefined) break;
    if (!rows.some((r) => cellText(r[f.id] ?? null, f.dataType) === cellText(candidate, f.dataType))) return candidate;
  }
  throw new ProfitRejection(`No new value is available for '${f.label || f.id}'.`);
}

/** `O12345AA` → `12345`, for Profit-style user ids; the envid itself when it holds no digits. */
function environmentNumber(envid: string): string {
  return /\d+/.exec(envid)?.[0] ?? envid;
}

/**
 * One app connector granted every connector of the file, with one user and one OAuth client. The token is
 * derived from the seed and the environment id, so it is stable across restarts. The special connectors
 * (Subject, File, Image, Report) are not granted: a snapshot holds no files (unconfirmed for a real grant).
 */
function adminApp(snapshot: ProfitSnapshot, seed: number, getIds: string[], updateIds: string[]): AppConnectorDef {
  const envid = snapshot.metainfo.info.envid;
  return {
    id: 'admin',
    appName: snapshot.metainfo.info.appName || 'Profiel (alles)',
    getConnectors: Object.fromEntries(getIds.map((id) => [id, []])),
    updateConnectors: updateIds,
    subjectConnector: false,
    reportConnector: false,
    fileConnector: false,
    imageConnector: false,
    users: [
      {
        name: 'admin',
        description: 'Beheerder: leest en schrijft elke connector uit het profiel.',
        tokenData: stableHex(64, 'profile-token', seed, envid, 'admin'),
        userId: `${environmentNumber(envid)}.admin`,
      },
    ],
    oauthClients: [
      {
        clientId: 'profile-admin',
        clientSecret: stableHex(40, 'profile-oauth', seed, envid).toLowerCase(),
        user: 'admin',
      },
    ],
  };
}

/** The emulated company of a snapshot, deterministic by `seed`; `scale` multiplies the rows (25 per connector). */
export function createProfileCompany(snapshot: ProfitSnapshot, options: CompanyOptions = {}): Company {
  const seed = options.seed ?? DEFAULT_PROFILE_SEED;
  const scale = Math.max(1, Math.round(options.scale ?? 1));
  const model: ProfileModel = inferModel(snapshot);
  const store = new ProfileStore(synthesizeRows(model, seed, scale));
  const listed = new Map(snapshot.metainfo.getConnectors.map((c) => [c.id, c.description]));
  const getConnectors = new Map<string, GetConnectorDef>();
  for (const c of model.connectors) {
    const meta = snapshot.get[c.id];
    getConnectors.set(c.id, {
      id: c.id,
      description: meta?.description ?? listed.get(c.id) ?? c.id,
      fields: c.fields.map(getFieldDef),
      rows: (s) => (s as ProfileStore).rows(c.id),
    });
  }
  const updateConnectors = new Map<string, UpdateConnectorDef>();
  for (const [id, meta] of Object.entries(snapshot.update)) {
    const targetId = model.updateTargets.get(id);
    const def = targetId === undefined ? undefined : getConnectors.get(targetId);
    const m = model.connectors.find((c) => c.id === targetId);
    updateConnectors.set(id, updateConnector(id, meta, def && m ? { def, model: m } : undefined));
  }
  const app = adminApp(snapshot, seed, [...getConnectors.keys()], [...updateConnectors.keys()]);
  return {
    envId: snapshot.metainfo.info.envid,
    profitVersion: PROFIT_VERSION,
    store,
    getConnectors,
    updateConnectors,
    reports: new Map(),
    appConnectors: [app],
    // The file holds Profit's own answers: they go out as they are, for an app connector granted all of it.
    metainfo(request, granted) {
      if (granted !== app) return undefined;
      if (request.kind === 'root') return snapshot.metainfo;
      return request.kind === 'get' ? snapshot.get[request.id] : snapshot.update[request.id];
    },
  };
}

/** A `CreateCompany` for the emulator (also used by its reset): the snapshot's company for the given options. */
export function profileCompanyFactory(snapshot: ProfitSnapshot): CreateCompany {
  return (options) => createProfileCompany(snapshot, options);
}

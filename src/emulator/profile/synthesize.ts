/**
 * Deterministic synthetic rows for a snapshot's GetConnectors. Every column has its own generator seeded from
 * (seed, connector id, field id), so adding a connector or a field to the file does not change the values of
 * another, and the same seed always gives the same rows.
 *
 * Values follow the field's metainfo: text within `length`, whole numbers within `length` digits, decimals with at
 * most `decimals` places, booleans, and dates as Amsterdam midnight (rendered `YYYY-MM-DDT00:00:00Z`, as Profit
 * writes a date). Field names steer the content (`…Id`/`…Code`/`…Nr` → ids, `…Mail…` → e-mail addresses,
 * `Zip`/`Postcode` → Dutch postal codes, birth dates in the past…), and `controlType` 5 (a key or lookup field in
 * AFAS's metainfo examples) makes a text field an id. Keys, relations and code fields come from `infer.ts`.
 */
import { CITIES, FIRST_NAMES, LAST_NAMES, ORGANISATION_NAMES, STREETS } from '../company/names.js';
import { hash32, Random } from '../company/random.js';
import { type Cell, Decimal, type Row } from '../company/types.js';
import { canonicalDecimal, parseBooleanText } from '../values.js';
import { type ConnectorModel, type ProfileModel, toDataType } from './infer.js';
import type { SnapshotGetField } from './snapshot-shape.js';

/** Rows per GetConnector at scale 1. @default 25 */
export const ROWS_PER_SCALE = 25;

/** Share of empty cells in ordinary (not key, relation or code) columns, so `empty` filters find something. */
const EMPTY_SHARE = 0.08;

/** Unbounded text fields (`length` 0) are kept at most this long. */
const DEFAULT_TEXT_LENGTH = 40;

const WORDS = ['Noord', 'Zuid', 'Oost', 'West', 'Centrum', 'Haven', 'Dijk', 'Polder', 'Molen', 'Brug', 'Veld', 'Hof'];

function columnRandom(seed: number, connector: string, field: string, part: string): Random {
  return new Random((seed ^ hash32(`${connector}\u0000${field}\u0000${part}`)) >>> 0);
}

const hint = (f: SnapshotGetField, re: RegExp) => re.test(f.id) || re.test(f.label ?? '');
const ID_NAME = /(id|code|nr|nummer|number|key|sleutel)$/i;
const isIdLike = (f: SnapshotGetField) => ID_NAME.test(f.id) || f.controlType === 5;

const maxLength = (f: SnapshotGetField) => (f.length > 0 ? f.length : DEFAULT_TEXT_LENGTH);

/** Largest whole number with at most `digits` digits, capped (a metainfo length of 0 means unstated). */
function maxDigits(digits: number, cap: number): number {
  return digits > 0 && digits < 10 ? Math.min(10 ** digits - 1, cap) : cap;
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

const letter = (r: Random) => String.fromCharCode(65 + r.int(0, 25));

/** A Dutch postal code: four digits (not starting with 0), two letters; without the space when only 6 fit. */
function postalCode(r: Random, length: number): string {
  let letters = letter(r) + letter(r);
  // SA, SD and SS are not issued.
  if (/^S[ADS]$/.test(letters)) letters = `T${letters[1]}`;
  const digits = String(r.int(1000, 9999));
  return length > 0 && length < 7 ? `${digits}${letters}` : `${digits} ${letters}`;
}

function dateCell(r: Random, fromYear: number, toYear: number): string {
  const start = Date.UTC(fromYear, 0, 1);
  const days = Math.floor((Date.UTC(toYear, 11, 31) - start) / 86_400_000);
  return `${new Date(start + r.int(0, days) * 86_400_000).toISOString().slice(0, 10)}T00:00:00`;
}

type MakeCell = (r: Random, row: number) => Cell;

/**
 * The generator of ordinary values for one column, by data type and name hints; chosen once per column, so the
 * hints are not re-read for every cell.
 */
export function valueGenerator(f: SnapshotGetField): MakeCell {
  switch (toDataType(f.dataType)) {
    case 'int': {
      if (hint(f, /jaar|year/i)) return (r) => r.int(1990, 2026);
      const max = isIdLike(f) ? maxDigits(f.length, 99_999) : maxDigits(f.length, 1000);
      const min = isIdLike(f) ? 1 : 0;
      return (r) => r.int(min, max);
    }
    case 'decimal': {
      const places = Math.max(0, Math.min(f.decimals, 6));
      const max = maxDigits(f.length > places ? f.length - places : 0, 99_999);
      return (r) => {
        const whole = r.int(0, max);
        const fraction = places > 0 ? `.${pad(r.int(0, 10 ** places - 1), places)}` : '';
        return new Decimal(canonicalDecimal(`${whole}${fraction}`) ?? '0');
      };
    }
    case 'boolean':
      return (r) => r.chance(0.5);
    case 'date':
      return hint(f, /birth|geboorte/i) ? (r) => dateCell(r, 1950, 2005) : (r) => dateCell(r, 2018, 2027);
    case 'blob':
      return () => null;
    default: {
      const text = textGenerator(f);
      const length = maxLength(f);
      return (r, row) => {
        const t = text(r, row);
        return t.length > length ? t.slice(0, length) : t;
      };
    }
  }
}

function textGenerator(f: SnapshotGetField): (r: Random, row: number) => string {
  const length = maxLength(f);
  if (hint(f, /mail/i)) {
    return (r, row) => {
      const first =
        r
          .pick(FIRST_NAMES)
          .name.toLowerCase()
          .replace(/[^a-z]/g, '') || 'info';
      const address = `${first}.${row + 1}@voorbeeld.nl`;
      return address.length <= length ? address : `${row + 1}@vb.nl`;
    };
  }
  if (hint(f, /zip|postcode|postal|zpcd/i)) return (r) => postalCode(r, f.length);
  if (hint(f, /kenteken|licen[cs]e.?plate/i)) return (r) => `${letter(r)}${letter(r)}-${r.int(100, 999)}-${letter(r)}`;
  if (hint(f, /phone|telefoon|mobiel|mobile|^tel/i)) return (r) => `06-${pad(r.int(0, 99_999_999), 8)}`;
  if (hint(f, /city|plaats|town|residence/i)) return (r) => r.pick(CITIES).name;
  if (hint(f, /street|straat|adres|address/i)) return (r) => `${r.pick(STREETS)} ${r.int(1, 250)}`;
  if (isIdLike(f)) {
    const max = maxDigits(Math.min(length, 6), 999_999);
    return (r) => String(r.int(1, max));
  }
  if (hint(f, /organi[sz]ation|organisatie|bedrijf|company|klant|customer/i)) {
    return (r) => r.pick(ORGANISATION_NAMES);
  }
  if (hint(f, /name|naam/i)) return (r) => `${r.pick(FIRST_NAMES).name} ${r.pick(LAST_NAMES).name}`;
  const prefix = f.label || f.id;
  return (r, row) => `${prefix} ${r.pick(WORDS)} ${row + 1}`;
}

/**
 * The `i`-th unique key value of a field, or undefined when the field cannot hold more distinct values
 * (then the connector has fewer rows).
 */
export function keyValue(f: SnapshotGetField, i: number): Cell | undefined {
  switch (toDataType(f.dataType)) {
    case 'int':
    case 'decimal': {
      const max = maxDigits(f.length, Number.MAX_SAFE_INTEGER);
      const n = (max >= 9999 ? 1000 : 0) + i + 1;
      if (n > max) return undefined;
      return toDataType(f.dataType) === 'int' ? n : new Decimal(String(n));
    }
    case 'boolean':
      return i < 2 ? i === 1 : undefined;
    case 'date':
      return `${new Date(Date.UTC(2020, 0, 1) + i * 86_400_000).toISOString().slice(0, 10)}T00:00:00`;
    case 'blob':
      return undefined;
    default: {
      const length = maxLength(f);
      if (hint(f, /kenteken|licen[cs]e.?plate/i) && length >= 8) {
        const series = Math.floor(i / 900);
        if (series >= 26 * 26) return undefined;
        const a = String.fromCharCode(65 + Math.floor(series / 26), 65 + (series % 26));
        return `${a}-${100 + (i % 900)}-V`;
      }
      const decimal = length >= 5 ? String(10_001 + i) : String(i + 1);
      if (decimal.length <= length) return decimal;
      const base36 = (i + 1).toString(36).toUpperCase();
      return base36.length <= length ? base36 : undefined;
    }
  }
}

/** A code-table id as the cell of a field of the given data type. */
export function codeCell(id: string, dataType: string): Cell {
  switch (toDataType(dataType)) {
    case 'int': {
      const n = Number(id);
      return Number.isSafeInteger(n) ? n : id;
    }
    case 'decimal': {
      const d = canonicalDecimal(id);
      return d === undefined ? id : new Decimal(d);
    }
    case 'boolean':
      return parseBooleanText(id) ?? id;
    default:
      return id;
  }
}

const keyText = (cells: readonly Cell[]) => JSON.stringify(cells.map((c) => (c instanceof Decimal ? c.text : c)));

/** Rows of every GetConnector of the model, by connector id, deterministic by `seed`. */
export function synthesizeRows(model: ProfileModel, seed: number, scale: number): Map<string, Row[]> {
  const wanted = ROWS_PER_SCALE * Math.max(1, Math.round(scale));
  const tables = new Map<string, Row[]>();
  const keyColumn = (connector: string): Cell[] => {
    const c = model.connectors.find((m) => m.id === connector);
    const first = c?.key[0];
    return first === undefined ? [] : (tables.get(connector) ?? []).map((row) => row[first] ?? null);
  };

  // Keys first, owners before the connectors whose keys refer to them; then every other column.
  const keyRelations = (c: ConnectorModel) => c.key.some((k) => c.columns.get(k)?.kind === 'relation');
  const ordered = [...model.connectors.filter((c) => !keyRelations(c)), ...model.connectors.filter(keyRelations)];
  for (const c of ordered) tables.set(c.id, keyRows(c, wanted, seed, keyColumn));

  for (const c of model.connectors) {
    const rows = tables.get(c.id) ?? [];
    for (const f of c.fields) {
      if (c.key.includes(f.id)) continue;
      const source = c.columns.get(f.id) ?? { kind: 'synthetic' };
      const r = columnRandom(seed, c.id, f.id, 'value');
      let make: MakeCell;
      if (source.kind === 'relation') {
        const targets = keyColumn(source.target).filter((v) => v !== null);
        make = (rr) => (targets.length > 0 ? rr.pick(targets) : null);
      } else if (source.kind === 'code') {
        const codes = source.values.map((v) => codeCell(v, f.dataType));
        make = (rr) => rr.pick(codes);
      } else {
        const value = valueGenerator(f);
        make = (rr, i) => (rr.chance(EMPTY_SHARE) ? null : value(rr, i));
      }
      rows.forEach((row, i) => {
        row[f.id] = make(r, i);
      });
    }
  }
  return tables;
}

function keyRows(c: ConnectorModel, wanted: number, seed: number, keyColumn: (connector: string) => Cell[]): Row[] {
  const keyFields = c.key
    .map((k) => c.fields.find((f) => f.id === k))
    .filter((f): f is SnapshotGetField => f !== undefined);
  if (keyFields.length === 0) return [];
  const pools = new Map<string, readonly Cell[]>();
  for (const f of keyFields) {
    const source = c.columns.get(f.id);
    if (source?.kind === 'relation') pools.set(f.id, keyColumn(source.target));
    else if (source?.kind === 'code')
      pools.set(
        f.id,
        source.values.map((v) => codeCell(v, f.dataType)),
      );
  }
  const rows: Row[] = [];
  const only = keyFields.length === 1 ? keyFields[0] : undefined;
  if (only) {
    // A single key that is a relation or a code takes the pool's values in order, so it stays unique.
    const pool = pools.get(only.id);
    for (let i = 0; i < wanted; i++) {
      const value = pool ? pool[i] : keyValue(only, i);
      if (value === undefined) break;
      rows.push({ [only.id]: value });
    }
    return rows;
  }
  const randoms = keyFields.map((f) => columnRandom(seed, c.id, f.id, 'key'));
  const seen = new Set<string>();
  for (let i = 0, attempts = 0; rows.length < wanted && attempts < wanted * 10; attempts++) {
    const cells: Cell[] = [];
    let exhausted = false;
    keyFields.forEach((f, j) => {
      const pool = pools.get(f.id);
      const value = pool ? (pool.length > 0 ? (randoms[j] as Random).pick(pool) : undefined) : keyValue(f, i);
      if (value === undefined) exhausted = true;
      cells.push(value ?? null);
    });
    if (exhausted) break;
    const text = keyText(cells);
    if (seen.has(text)) continue;
    seen.add(text);
    i += 1;
    rows.push(Object.fromEntries(keyFields.map((f, j) => [f.id, cells[j] ?? null])));
  }
  return rows;
}

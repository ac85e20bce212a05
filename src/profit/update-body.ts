/**
 * UpdateConnector request bodies, result parsing and DELETE URLs. Pure.
 *
 * Body shape (AFAS `update-connector.md`): `{ "KnSubject": { "Element": { "@SbId": 1, "Fields": {…},
 * "Objects": [ { "KnSubjectLink": { "Element": {…} } } ] } } }`. Keys are `@`-prefixed attributes of an element;
 * `Element` is an array when several records are sent; sub-objects may carry `"@Action"` in their `Fields`.
 */
import { stringify } from 'lossless-json';
import { toProfitFilterDateTime } from './datetime.js';
import { ProfitDecimal } from './decimal.js';
import { invalidArgument, isRecord } from './errors.js';

/**
 * A field or key value. `Date` is sent as Amsterdam local time `YYYY-MM-DDTHH:mm:ss` (Profit's convention, no
 * zone); `ProfitDecimal` and `bigint` as exact JSON numbers; `""` clears a field; `undefined` omits it.
 */
export type UpdateValue = string | number | bigint | boolean | Date | ProfitDecimal | null;

export type UpdateAction = 'insert' | 'update' | 'delete';

export interface UpdateElement {
  /** Key attributes, sent as `@Name` on the element: `{ SbId: 54286 }` → `"@SbId": 54286`. */
  readonly keys?: Readonly<Record<string, UpdateValue | undefined>>;
  readonly fields?: Readonly<Record<string, UpdateValue | undefined>>;
  /** Sent as `"@Action"` in `Fields`: what to do with this (sub-)element inside one transaction. */
  readonly action?: UpdateAction;
  /** Sub-objects by name, each one element or several. */
  readonly objects?: Readonly<Record<string, UpdateElement | readonly UpdateElement[]>>;
}

/** JSON-ready body; values are JSON primitives, `bigint` or `ProfitDecimal` (see `stringifyUpdateBody`). */
export type UpdateBody = Record<string, { Element: Record<string, unknown> | Record<string, unknown>[] }>;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkName(name: string, what: string): void {
  if (!NAME.test(name)) invalidArgument(`${what} ${JSON.stringify(name)} is not a valid Profit name`);
}

function toValue(v: UpdateValue, where: string): unknown {
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) invalidArgument(`${where} is an invalid Date`);
    return toProfitFilterDateTime(v);
  }
  if (typeof v === 'number' && !Number.isFinite(v)) invalidArgument(`${where} must be a finite number, got ${v}`);
  return v;
}

function toElement(el: UpdateElement, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(el.keys ?? {})) {
    const name = k.startsWith('@') ? k.slice(1) : k;
    checkName(name, `key of ${path}`);
    if (v !== undefined) out[`@${name}`] = toValue(v, `${path} key ${name}`);
  }
  const fields: Record<string, unknown> = {};
  if (el.action !== undefined) {
    if (!['insert', 'update', 'delete'].includes(el.action)) invalidArgument(`${path}: unknown @Action ${el.action}`);
    fields['@Action'] = el.action;
  }
  for (const [k, v] of Object.entries(el.fields ?? {})) {
    checkName(k, `field of ${path}`);
    if (v !== undefined) fields[k] = toValue(v, `${path}.${k}`);
  }
  if (Object.keys(fields).length > 0) out.Fields = fields;
  const objects = Object.entries(el.objects ?? {});
  if (objects.length > 0) {
    out.Objects = objects.map(([name, sub]) => {
      checkName(name, `sub-object of ${path}`);
      return { [name]: { Element: toElements(sub, `${path}.${name}`) } };
    });
  }
  return out;
}

function toElements(
  elements: UpdateElement | readonly UpdateElement[],
  path: string,
): Record<string, unknown> | Record<string, unknown>[] {
  if (!Array.isArray(elements)) return toElement(elements as UpdateElement, path);
  const list = elements as readonly UpdateElement[];
  if (list.length === 0) invalidArgument(`${path}: no elements to send`);
  const built = list.map((e, i) => toElement(e, `${path}[${i}]`));
  return built.length === 1 ? (built[0] as Record<string, unknown>) : built;
}

/** Builds an UpdateConnector body. `Element` is an object for one record and an array for several. Pure. */
export function toUpdateBody(connectorId: string, elements: UpdateElement | readonly UpdateElement[]): UpdateBody {
  checkName(connectorId, 'UpdateConnector');
  return { [connectorId]: { Element: toElements(elements, connectorId) } };
}

/** Serialises a body with `bigint` and `ProfitDecimal` values as exact JSON numbers (lossless-json). Pure. */
export function stringifyUpdateBody(body: unknown): string {
  return (
    stringify(body, null, undefined, [
      { test: (v) => v instanceof ProfitDecimal, stringify: (v) => (v as ProfitDecimal).text },
    ]) ?? 'null'
  );
}

/** A DELETE target level: `/{object}/@K1,@K2/{v1},{v2}`. */
export interface DeleteTarget {
  readonly object: string;
  readonly keys: Readonly<Record<string, string | number | bigint>>;
  /**
   * Prefix key names with `@` (most endpoints: `/KnSubject/@SbId/1`); FiEntries documents bare names
   * (`/FiEntryPar/UnId,JoCo/1,73`).
   * @default true
   */
  readonly atPrefix?: boolean;
}

/**
 * The path of an UpdateConnector DELETE. `deletePath('KnSubject', { SbId: 1 })` →
 * `/connectors/KnSubject/KnSubject/@SbId/1`; `deletePath('HrAbsenceID', { Id: 5, EmId: 'E1' })` →
 * `/connectors/HrAbsenceID/HrAbsenceID/@Id,@EmId/5,E1`; or several levels for nested rows. Key values are
 * percent-encoded; a `,` in a value is refused since it would split into another key (Profit documents no
 * escape). Pure.
 */
export function deletePath(
  connectorId: string,
  target: Readonly<Record<string, string | number | bigint>> | readonly DeleteTarget[],
): string {
  checkName(connectorId, 'UpdateConnector');
  const levels: readonly DeleteTarget[] = Array.isArray(target)
    ? (target as readonly DeleteTarget[])
    : [{ object: connectorId, keys: target as Record<string, string | number | bigint> }];
  if (levels.length === 0) invalidArgument(`DELETE on ${connectorId} needs at least one key`);
  const parts = [`/connectors/${connectorId}`];
  for (const level of levels) {
    checkName(level.object, 'object');
    const entries = Object.entries(level.keys);
    if (entries.length === 0) invalidArgument(`DELETE on ${connectorId}/${level.object} needs at least one key`);
    const at = level.atPrefix ?? true;
    const names = entries.map(([k]) => {
      const name = k.startsWith('@') ? k.slice(1) : k;
      checkName(name, 'key');
      return at ? `@${name}` : name;
    });
    const values = entries.map(([k, v]) => {
      const text = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v);
      if (text === '') invalidArgument(`DELETE key ${k} of ${level.object} is empty or not a finite number`);
      if (text.includes(','))
        invalidArgument(`DELETE key ${k} of ${level.object} contains ',', which Profit reads as a key separator`);
      return encodeURIComponent(text);
    });
    parts.push(level.object, names.join(','), values.join(','));
  }
  return parts.join('/');
}

/** What an UpdateConnector call returned: `results` per object name, e.g. `{ KnSubject: { SbId: '999999' } }`. */
export interface UpdateResult {
  readonly results: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/**
 * Reads `{"results":{"KnSubject":{"SbId":"999999"}}}`. An empty body or one without `results` (PUT/DELETE often
 * answer so) gives `{ results: {} }`. Returns `undefined` when the shape is unexpected. Pure.
 */
export function parseUpdateResult(json: unknown): UpdateResult | undefined {
  if (json === undefined || json === null || json === '') return { results: {} };
  if (!isRecord(json)) return undefined;
  const results = json.results;
  if (results === undefined || results === null) return { results: {} };
  if (!isRecord(results)) return undefined;
  const out: Record<string, Readonly<Record<string, unknown>>> = {};
  for (const [name, value] of Object.entries(results)) {
    if (isRecord(value)) out[name] = value;
    else if (value !== null && value !== undefined) out[name] = { value };
  }
  return { results: out };
}

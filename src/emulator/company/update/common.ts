/**
 * Building blocks for the UpdateConnectors: compact field definitions for metainfo, and readers that take the
 * loosely typed values of an UpdateConnector body (`"1"`, `1`, `true`, `"true"` are all a true boolean in AFAS's
 * examples) and turn them into stored values.
 *
 * `mandatory` is set only where every documented call of the object supplies the field: AFAS's examples post to
 * sub-object URLs and PUT with just the key, so fields an insert needs (a last name, a leave type…) are enforced by
 * the connector's `check` on insert, with Profit's kind of message, rather than by metainfo.
 */
import { normaliseDate, normaliseDatetime } from '../calendar.js';
import type { DataType, Texts, UpdateElement, UpdateFieldDef, UpdateObjectDef } from '../types.js';
import { ProfitRejection } from '../types.js';

export interface FieldOptions {
  readonly length?: number;
  readonly mandatory?: boolean;
  readonly key?: boolean;
  readonly decimals?: number;
  readonly notzero?: boolean;
  /** Code table: `[id, description]` pairs. */
  readonly values?: readonly (readonly [string, string])[];
}

const DEFAULT_LENGTH: Readonly<Record<DataType, number>> = {
  string: 255,
  int: 9,
  decimal: 26,
  boolean: 1,
  date: 0,
  blob: 0,
};

export function field(fieldId: string, dataType: DataType, label: string, options: FieldOptions = {}): UpdateFieldDef {
  return {
    fieldId,
    primaryKey: options.key ?? false,
    dataType,
    label,
    mandatory: options.mandatory ?? false,
    length: options.length ?? DEFAULT_LENGTH[dataType],
    decimals: options.decimals ?? 0,
    decimalFieldId: '',
    notzero: options.notzero ?? false,
    controlType: options.values || options.key ? 5 : 1,
    values: options.values ? options.values.map(([id, description]) => ({ id, description })) : null,
  };
}

/** Parses AFAS's "0 = Zoek op BcCo;\n1 = …;" enumeration text into code-table pairs. */
export function codes(text: string): [string, string][] {
  return text
    .split(';')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const at = part.indexOf(' = ');
      return [part.slice(0, at), part.slice(at + 3)] as [string, string];
    });
}

export function object(
  name: string,
  fields: readonly UpdateFieldDef[],
  objects: readonly UpdateObjectDef[] = [],
): UpdateObjectDef {
  return { name, fields, objects };
}

// ------------------------------------------------------------------------------------------------------------
// Reading element values

/** A field's raw value: from `Fields`, or from the element's `@`-keys (with or without the `@`). */
export function raw(element: UpdateElement, id: string): unknown {
  if (id in element.fields) return element.fields[id];
  if (id in element.keys) return element.keys[id];
  if (`@${id}` in element.keys) return element.keys[`@${id}`];
  return undefined;
}

export function has(element: UpdateElement, id: string): boolean {
  return raw(element, id) !== undefined;
}

/** undefined: not sent (keep); null: sent empty (clear, as AFAS documents for `""`). */
export function text(element: UpdateElement, id: string): string | null | undefined {
  const value = raw(element, id);
  if (value === undefined) return undefined;
  if (value === null || value === '') return null;
  return String(value);
}

export function integer(element: UpdateElement, id: string, label = id): number | null | undefined {
  const value = text(element, id);
  if (value === undefined || value === null) return value;
  if (!/^-?\d+$/.test(value.trim()))
    throw new ProfitRejection({
      nl: `Waarde '${value}' is geen geldig getal voor veld '${label}'.`,
      en: `Value '${value}' is not a valid number for field '${label}'.`,
    });
  return Number(value);
}

export function decimalText(
  element: UpdateElement,
  id: string,
  decimals: number,
  label = id,
): string | null | undefined {
  const value = text(element, id);
  if (value === undefined || value === null) return value;
  const normal = value.trim().replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(normal))
    throw new ProfitRejection({
      nl: `Waarde '${value}' is geen geldig bedrag voor veld '${label}'.`,
      en: `Value '${value}' is not a valid amount for field '${label}'.`,
    });
  const [whole = '0', fraction = ''] = normal.split('.');
  return decimals === 0 ? whole : `${whole}.${fraction.padEnd(decimals, '0').slice(0, decimals)}`;
}

export function bool(element: UpdateElement, id: string): boolean | undefined {
  const value = raw(element, id);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'boolean') return value;
  return ['1', 'true', 'j', 'y', 'yes', 'ja'].includes(String(value).trim().toLowerCase());
}

export function datetime(element: UpdateElement, id: string, label = id): string | null | undefined {
  const value = text(element, id);
  if (value === undefined || value === null) return value;
  const stored = normaliseDatetime(value);
  if (!stored) {
    throw new ProfitRejection({
      nl: `Waarde '${value}' is geen geldige datum voor veld '${label}'.`,
      en: `Value '${value}' is not a valid date for field '${label}'.`,
    });
  }
  return stored;
}

export function date(element: UpdateElement, id: string, label = id): string | null | undefined {
  const value = datetime(element, id, label);
  return value == null ? value : normaliseDate(value);
}

/** The elements of a sub-object, if present. */
export function children(element: UpdateElement, name: string): readonly UpdateElement[] {
  return element.objects[name] ?? [];
}

/** Assigns only the values that were sent (undefined = keep). */
export function assign<T extends object, K extends keyof T>(target: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) target[key] = value;
}

/** Refuses the call: `{ nl, en }` as `Accept-Language` asks; a plain string is Dutch not yet translated. */
export function reject(message: string | Texts): never {
  throw new ProfitRejection(message);
}

/** The last element's value wins for `results`, as Profit answers for a call with several elements. */
export function lastResult(results: readonly Record<string, string>[]): Record<string, string> {
  return results[results.length - 1] ?? {};
}

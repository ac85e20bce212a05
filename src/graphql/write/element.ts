/**
 * Translation of a validated write input into the Profit client's element model (`UpdateElement`), from which
 * `toUpdateBody` builds the request; and of arguments into DELETE keys. Pure.
 *
 * - readable property → Profit field id; attribute fields become element keys (`"@SbId"`), the rest `Fields`;
 * - `null` becomes `""`, which clears a field in Profit (update-connector.md, "Clearing a field"); absent stays
 *   absent, so a PUT changes only what was given;
 * - enum values are already Profit codes (the GraphQL enums carry them as internal values);
 * - `Decimal` stays a `ProfitDecimal` (sent as an exact JSON number), `DateTime` a `Date` (sent as Amsterdam time),
 *   `Date` its day `YYYY-MM-DD` (the form of AFAS's own examples, update-connector.md `"DaEn": "2023-12-01"`);
 * - int keys that arrive as ID text become numbers;
 * - nested inputs become `Objects`, one element or several; an element's `ElementAction` becomes its `"@Action"`.
 */
import { ProfitDecimal, type UpdateElement, type UpdateResult, type UpdateValue } from '../../profit/index.js';
import {
  type ElementActionValue,
  type InputDecl,
  type InputUse,
  type Shape,
  shapeOf,
  usedOn,
  type WriteBinding,
} from './binding.js';

function toValue(value: unknown, decl: InputDecl): UpdateValue | undefined {
  if (value === undefined) return undefined;
  if (value === null) return '';
  switch (decl.kind) {
    case 'int':
      return typeof value === 'string' ? Number(value.trim()) : (value as number);
    case 'decimal':
      return value instanceof ProfitDecimal ? value : ProfitDecimal.from(value as string | number);
    case 'date':
      return String(value);
    case 'datetime':
      return value as Date;
    case 'boolean':
      return Boolean(value);
    default:
      return String(value);
  }
}

/**
 * The element for `input`. `constants` are sent first (e.g. `MatchPer`); `nested` marks a sub-object element,
 * whose every declared field is used.
 */
export function toElement(
  input: object,
  shape: Shape,
  use: InputUse,
  constants: Readonly<Record<string, UpdateValue>> = {},
  nested = false,
): UpdateElement {
  const source = input as Record<string, unknown>;
  const keys: Record<string, UpdateValue> = {};
  const fields: Record<string, UpdateValue> = { ...constants };
  for (const decl of shape.fields) {
    if (!nested && !usedOn(decl, use)) continue;
    const value = toValue(source[decl.property], decl);
    if (value === undefined) continue;
    if (decl.attribute) keys[decl.fieldId] = value;
    else fields[decl.fieldId] = value;
  }
  const objects: Record<string, UpdateElement | UpdateElement[]> = {};
  for (const n of shape.nested) {
    if (!nested && !usedOn(n, use)) continue;
    const value = source[n.property];
    if (value === undefined || value === null) continue;
    const sub = shapeOf(n.target());
    if (Array.isArray(value)) {
      if (value.length === 0) continue;
      objects[n.object] = value.map((v: object) => toElement(v, sub, 'create', n.constants, true));
    } else {
      objects[n.object] = toElement(value as object, sub, 'create', n.constants, true);
    }
  }
  const action =
    shape.action !== undefined ? (source[shape.action] as ElementActionValue | null | undefined) : undefined;
  return {
    ...(Object.keys(keys).length > 0 ? { keys } : {}),
    ...(Object.keys(fields).length > 0 ? { fields } : {}),
    ...(Object.keys(objects).length > 0 ? { objects } : {}),
    ...(action ? { action } : {}),
  };
}

/** The connector's primary key fields, in declaration order (the order of the DELETE URL). */
export function keyDecls(shape: Shape): InputDecl[] {
  return shape.fields.filter((f) => f.key);
}

/** The fields an update finds its record by (`WritesOptions.key`). */
export function updateKeyDecls(binding: WriteBinding): InputDecl[] {
  const ids = new Set(Object.values(binding.key));
  return binding.shape.fields.filter((f) => ids.has(f.fieldId));
}

/** DELETE keys by Profit field id, from arguments named by property: `{ Id: 5, EmId: '1001' }`. */
export function toDeleteKeys(
  args: Readonly<Record<string, unknown>>,
  decls: readonly InputDecl[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const decl of decls) out[decl.fieldId] = String(args[decl.property]).trim();
  return out;
}

/** The element of a sub-object POST: the main record's key attributes and the sub-object's elements. */
export function toAppendElement(
  keyArgs: Readonly<Record<string, unknown>>,
  keys: readonly InputDecl[],
  nested: { readonly object: string; readonly shape: Shape; readonly constants: Readonly<Record<string, UpdateValue>> },
  items: readonly object[],
): UpdateElement {
  const attributes: Record<string, UpdateValue> = {};
  const fields: Record<string, UpdateValue> = {};
  for (const decl of keys) {
    const value = toValue(keyArgs[decl.property], decl);
    if (value === undefined) continue;
    if (decl.attribute) attributes[decl.fieldId] = value;
    else fields[decl.fieldId] = value;
  }
  return {
    keys: attributes,
    ...(Object.keys(fields).length > 0 ? { fields } : {}),
    objects: { [nested.object]: items.map((i) => toElement(i, nested.shape, 'create', nested.constants, true)) },
  };
}

/**
 * The entity key of what was written, in the entity's key order: from Profit's `results` (`{"KnPerson":{"BcCo":
 * "…"}}`), else from the input (a PUT may answer without `results`). `undefined` when neither has it.
 */
export function keyOfResult(
  binding: WriteBinding,
  entityKey: readonly string[],
  result: UpdateResult,
  input: Readonly<Record<string, unknown>>,
): string[] | undefined {
  const answered = result.results[binding.connector] ?? {};
  const out: string[] = [];
  for (const property of entityKey) {
    const fieldId = binding.key[property];
    if (fieldId === undefined) return undefined;
    const decl = binding.shape.fields.find((f) => f.fieldId === fieldId);
    const value = answered[fieldId] ?? (decl ? input[decl.property] : undefined);
    if (value === undefined || value === null || value === '') return undefined;
    out.push(String(value));
  }
  return out;
}

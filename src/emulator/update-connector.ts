/**
 * UpdateConnector bodies: parsing `{"<Id>":{"Element":…}}` into UpdateElements and the generic validation every
 * Profit UpdateConnector performs against its metainfo (unknown fields, mandatory fields on insert, length, data
 * type, decimals, enumerations, notzero). Content rules belong to the company's `check`.
 *
 * Values are normalised to the cell types the store keeps, so `apply` can store them as they are:
 * string → string; int → number; decimal → Decimal (exact); boolean → boolean; date → `YYYY-MM-DDTHH:mm:ss`
 * (Amsterdam local time; a date without time gets `T00:00:00`); blob → its base64 string. `""` and `null` become
 * `null`, which means "clear this field" (update-connector.md, "Clearing a field"); an absent field is unchanged.
 *
 * unconfirmed: every externalMessage below except "The entered value for 'X' does not exist." (troubleshooting.md)
 * is the emulator's own wording in Profit's style, naming the field by its label; each in Dutch and English, as the
 * request's `Accept-Language` asks (language.ts). The Dutch of the documented text is the emulator's own too.
 */
import { randomBytes } from 'node:crypto';
import { isLosslessNumber, parse as parseLosslessJson } from 'lossless-json';
import {
  type Cell,
  Decimal,
  ProfitRejection,
  type UpdateElement,
  type UpdateFieldDef,
  type UpdateMethod,
  type UpdateObjectDef,
} from './company/types.js';
import { canonicalDecimal, decimalPlaces, normalizeLocalDateTime, parseBooleanText } from './values.js';

export type Action = 'insert' | 'update' | 'delete';

/** String literals at least this long are parsed by JSON.parse (see `parseBody`). */
const LONG_STRING = 64 * 1024;

/**
 * Parses a body losslessly (decimals keep every digit). Throws SyntaxError on malformed JSON.
 *
 * lossless-json reads strings one character at a time (about 10 s for the 53 MB of base64 of a 40 MB
 * attachment), so long string literals are cut out first, parsed by JSON.parse, and put back: the same value,
 * with numbers still lossless.
 */
export function parseBody(text: string): unknown {
  if (text.length < LONG_STRING) return parseLosslessJson(text);
  const nonce = `\\u0000${randomBytes(8).toString('hex')}:`;
  const long: string[] = [];
  let shortened = '';
  let copied = 0;
  for (let open = text.indexOf('"'); open >= 0; ) {
    let close = open + 1;
    for (; ; close += 1) {
      close = text.indexOf('"', close);
      if (close < 0) return parseLosslessJson(text); // unterminated: the parser says where
      let backslashes = 0;
      while (text.charCodeAt(close - 1 - backslashes) === 0x5c) backslashes += 1;
      if (backslashes % 2 === 0) break;
    }
    if (close - open > LONG_STRING) {
      shortened += `${text.slice(copied, open)}"${nonce}${long.length}"`;
      long.push(text.slice(open, close + 1));
      copied = close + 1;
    }
    open = text.indexOf('"', close + 1);
  }
  if (long.length === 0) return parseLosslessJson(text);
  const placeholder = JSON.parse(`"${nonce}"`) as string;
  const restore = (value: unknown): unknown => {
    if (typeof value === 'string') {
      return value.startsWith(placeholder)
        ? JSON.parse(long[Number(value.slice(placeholder.length))] as string)
        : value;
    }
    if (Array.isArray(value)) return value.map(restore);
    if (isRecord(value)) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [restore(k) as string, restore(v)]));
    }
    return value;
  };
  return restore(parseLosslessJson(shortened + text.slice(copied)));
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x) && !isLosslessNumber(x);
}

/** A rejection in Dutch and English (the emulator's own wording, see the top of this file). */
function reject(nl: string, en: string): ProfitRejection {
  return new ProfitRejection({ nl, en });
}

const labelOf = (f: UpdateFieldDef) => f.label || f.fieldId;

/** Finds an object definition by name anywhere below (and including) `root`. */
export function findObject(root: UpdateObjectDef, name: string): UpdateObjectDef | undefined {
  if (root.name === name) return root;
  for (const o of root.objects) {
    const found = findObject(o, name);
    if (found) return found;
  }
  return undefined;
}

/**
 * Parses and validates a whole body for `connector`.
 *
 * The top-level elements act as inserts for POST and updates for PUT; for `POST /connectors/{Id}/{SubObject}` the
 * main element is taken as an update of an existing record and the `SubObject` elements as inserts
 * (update-connector.md, "Subobject via URL method"). A nested element without `@Action` inherits its parent's
 * action (unconfirmed).
 */
function noRoot(connectorId: string): ProfitRejection {
  return reject(
    `Het verzoek bevat geen object '${connectorId}'.`,
    `The request does not contain an object '${connectorId}'.`,
  );
}

export function parseUpdateBody(
  body: unknown,
  connectorId: string,
  connector: UpdateObjectDef,
  method: UpdateMethod,
  subObject?: string,
): UpdateElement[] {
  if (!isRecord(body)) throw noRoot(connectorId);
  const rootKeys = Object.keys(body);
  const root = rootKeys.length === 1 && rootKeys[0] !== undefined ? rootKeys[0] : undefined;
  // The root is the connector id or its main object's name: KnEmployee's body is rooted at `AfasEmployee`
  // (update-connector.md's @Action example). unconfirmed: matched case-insensitively, like the id in the URL.
  const accepted = [connectorId.toLowerCase(), connector.name.toLowerCase()];
  if (root === undefined || !accepted.includes(root.toLowerCase())) {
    throw noRoot(connectorId);
  }
  const action: Action = method === 'POST' && subObject === undefined ? 'insert' : 'update';
  return parseElements(body[root], connector, action, subObject);
}

function parseElements(
  raw: unknown,
  def: UpdateObjectDef,
  inherited: Action,
  subObject: string | undefined,
): UpdateElement[] {
  if (!isRecord(raw) || !('Element' in raw))
    throw reject(`Object '${def.name}' bevat geen 'Element'.`, `Object '${def.name}' does not contain an 'Element'.`);
  const elements = raw.Element;
  const list = Array.isArray(elements) ? elements : [elements];
  return list.map((e) => parseElement(e, def, inherited, subObject));
}

function parseElement(
  raw: unknown,
  def: UpdateObjectDef,
  inherited: Action,
  subObject: string | undefined,
): UpdateElement {
  if (!isRecord(raw))
    throw reject(
      `Een element van object '${def.name}' is geen object.`,
      `An element of object '${def.name}' is not an object.`,
    );
  const keys: Record<string, unknown> = {};
  const fields: Record<string, Cell> = {};
  const objects: Record<string, UpdateElement[]> = {};
  let action: Action | undefined;
  const fieldDef = (id: string) => def.fields.find((f) => f.fieldId === id);

  for (const [name, value] of Object.entries(raw)) {
    if (name.startsWith('@')) {
      const key = name.slice(1);
      const f = fieldDef(key);
      // Keys missing from the metainfo are passed on unconverted (unconfirmed: Profit lists key fields in metainfo).
      keys[key] = f ? normalizeValue(value, f) : plain(value);
    } else if (name === 'Fields') {
      if (!isRecord(value))
        throw reject(
          `'Fields' van object '${def.name}' is geen object.`,
          `'Fields' of object '${def.name}' is not an object.`,
        );
      for (const [id, v] of Object.entries(value)) {
        if (id === '@Action') {
          const a = typeof v === 'string' ? v.toLowerCase() : undefined;
          if (a !== 'insert' && a !== 'update' && a !== 'delete') {
            throw reject(
              `De waarde '${String(plain(v))}' voor '@Action' is ongeldig: gebruik insert, update of delete.`,
              `The value '${String(plain(v))}' for '@Action' is not valid: use insert, update or delete.`,
            );
          }
          action = a;
          continue;
        }
        const f = fieldDef(id);
        if (!f)
          throw reject(
            `Veld '${id}' bestaat niet in object '${def.name}'.`,
            `Field '${id}' does not exist in object '${def.name}'.`,
          );
        fields[id] = normalizeValue(v, f);
      }
    } else if (name === 'Objects') {
      const entries: [string, unknown][] = [];
      // Both shapes occur in AFAS's examples: an array of one-key objects, or one object with a key per sub-object.
      for (const item of Array.isArray(value) ? value : [value]) {
        if (!isRecord(item))
          throw reject(
            `'Objects' van object '${def.name}' is ongeldig.`,
            `'Objects' of object '${def.name}' is not valid.`,
          );
        entries.push(...Object.entries(item));
      }
      const effective = action ?? inherited;
      for (const [childName, childRaw] of entries) {
        const child = def.objects.find((o) => o.name === childName);
        if (!child)
          throw reject(
            `Object '${childName}' bestaat niet in object '${def.name}'.`,
            `Object '${childName}' does not exist in object '${def.name}'.`,
          );
        const childAction: Action = childName === subObject ? 'insert' : effective;
        const parsed = parseElements(childRaw, child, childAction, subObject);
        objects[childName] = [...(objects[childName] ?? []), ...parsed];
      }
    } else {
      throw reject(
        `'${name}' is ongeldig in een element van object '${def.name}'.`,
        `'${name}' is not valid in an element of object '${def.name}'.`,
      );
    }
  }

  const effective = action ?? inherited;
  if (effective !== 'delete') {
    for (const f of def.fields) {
      if (!f.mandatory) continue;
      const given = f.fieldId in fields ? fields[f.fieldId] : keys[f.fieldId];
      const present = f.fieldId in fields || f.fieldId in keys;
      if ((effective === 'insert' && (!present || given === null)) || (present && given === null)) {
        throw reject(`Veld '${labelOf(f)}' is verplicht.`, `Field '${labelOf(f)}' is mandatory.`);
      }
    }
  }
  return action === undefined ? { keys, fields, objects } : { keys, fields, action, objects };
}

function plain(v: unknown): unknown {
  return isLosslessNumber(v) ? v.value : v;
}

/** Validates one value against its metainfo field and converts it to the stored cell type. */
export function normalizeValue(raw: unknown, f: UpdateFieldDef): Cell {
  const label = labelOf(f);
  if (raw === null || raw === '') return null;
  let text: string;
  if (typeof raw === 'string') text = raw;
  else if (isLosslessNumber(raw)) text = raw.value;
  else if (typeof raw === 'number') text = String(raw);
  else if (typeof raw === 'boolean') text = String(raw);
  else throw reject(`De waarde voor '${label}' is ongeldig.`, `The value for '${label}' is not valid.`);

  let cell: Cell;
  switch (f.dataType) {
    case 'int': {
      const d = canonicalDecimal(text);
      if (d === undefined || d.includes('.') || !Number.isSafeInteger(Number(d))) {
        throw reject(
          `De waarde '${text}' voor '${label}' is geen geldig geheel getal.`,
          `The value '${text}' for '${label}' is not a valid whole number.`,
        );
      }
      cell = Number(d);
      break;
    }
    case 'decimal': {
      const d = canonicalDecimal(text);
      if (d === undefined)
        throw reject(
          `De waarde '${text}' voor '${label}' is geen geldig getal.`,
          `The value '${text}' for '${label}' is not a valid number.`,
        );
      // unconfirmed: Profit might round instead; rejecting shows a client that sends more precision than stored.
      if (decimalPlaces(d) > f.decimals) {
        throw reject(
          `De waarde '${text}' voor '${label}' heeft meer dan ${f.decimals} decimalen.`,
          `The value '${text}' for '${label}' has more than ${f.decimals} decimals.`,
        );
      }
      cell = new Decimal(d);
      break;
    }
    case 'boolean': {
      const b = parseBooleanText(text);
      if (b === undefined)
        throw reject(
          `De waarde '${text}' voor '${label}' is geen geldige ja/nee-waarde (true of false).`,
          `The value '${text}' for '${label}' is not a valid boolean (true or false).`,
        );
      cell = b;
      break;
    }
    case 'date': {
      const d = typeof raw === 'string' ? normalizeLocalDateTime(text) : undefined;
      if (d === undefined)
        throw reject(
          `De waarde '${text}' voor '${label}' is geen geldige datum.`,
          `The value '${text}' for '${label}' is not a valid date.`,
        );
      cell = d;
      break;
    }
    case 'blob': {
      if (typeof raw !== 'string' || !/^[A-Za-z0-9+/\s]*={0,2}\s*$/.test(raw)) {
        throw reject(
          `De waarde voor '${label}' is geen geldige base64.`,
          `The value for '${label}' is not valid base64.`,
        );
      }
      cell = raw;
      break;
    }
    default: {
      // Numbers and booleans sent for a string field are taken as their text (unconfirmed).
      if (f.length > 0 && text.length > f.length) {
        throw reject(
          `De waarde voor '${label}' is te lang: ${text.length} tekens, maximaal ${f.length} toegestaan.`,
          `The value for '${label}' is too long: ${text.length} characters, at most ${f.length} allowed.`,
        );
      }
      cell = text;
    }
  }
  if (f.values !== null) {
    // Enumerations (code tables) are matched on their id; booleans as 0/1 would not occur here.
    const id = cell instanceof Decimal ? cell.text : String(cell);
    if (!f.values.some((v) => v.id === id))
      throw reject(
        `De ingevoerde waarde voor '${label}' bestaat niet.`,
        `The entered value for '${label}' does not exist.`,
      );
  }
  if (f.notzero && (f.dataType === 'int' || f.dataType === 'decimal')) {
    const d = cell instanceof Decimal ? cell.text : String(cell);
    if (canonicalDecimal(d) === '0')
      throw reject(`De waarde voor '${label}' mag niet 0 zijn.`, `The value for '${label}' may not be 0.`);
  }
  return cell;
}

/**
 * What a generated model holds, decided from an environment's metainfo and the model's mapping file: a type per
 * chosen GetConnector with readable names, field types, its key and relations, and the UpdateConnector that writes
 * it. Metainfo does not say a GetConnector's key, how connectors relate, or whether a `date` is a day or a moment:
 * those are inferred here (and reported in `notes`), and every choice is written back to the mapping file, so a
 * user's edit there wins and re-running changes nothing. Pure.
 */
import type { GetConnectorField, UpdateConnectorField } from '../profit/results.js';
import type { ProfitSnapshot } from '../profit/snapshot.js';
import { camelCase, isCustomFieldId, looksLikeDay, plural, typeNameFor } from './names.js';

/** An environment's metainfo, as the `snapshot` command writes it and `generate --from` reads it. */
export type { ProfitSnapshot };

/** The field types a generated model binds (`@Bound` / `@Input`). */
export type FieldType = 'string' | 'int' | 'decimal' | 'boolean' | 'date' | 'datetime' | 'blob';

export interface FieldMapping {
  /** The GraphQL field (and class property). */
  name: string;
  type: FieldType;
}

export interface TypeMapping {
  /** The GraphQL type name. */
  name: string;
  /** GetConnector field ids of the key, in order. */
  key: string[];
  /** GetConnector field id → name and type. */
  fields: Record<string, FieldMapping>;
}

export interface RelationMapping {
  /** The GetConnector holding the reference, and its field. */
  from: string;
  field: string;
  /** The GetConnector referred to, and its (single) key field. */
  to: string;
  toField: string;
  /** The single relation on `from`'s type. */
  name: string;
  /** The list relation on `to`'s type; null for none. */
  reverse: string | null;
}

export interface WriteMapping {
  /** The GetConnector whose type this UpdateConnector writes; null: none (no declaration generated). */
  entity: string | null;
  /** UpdateConnector field id → input name and type. */
  fields: Record<string, FieldMapping>;
}

/** `<out>/profit-model.json`: the choices a generation made, which the next one keeps. */
export interface ModelMapping {
  /** The GetConnectors the model holds (a run without `--connector` generates these again). */
  connectors: string[];
  types: Record<string, TypeMapping>;
  relations: RelationMapping[];
  writes: Record<string, WriteMapping>;
}

export interface PlannedField {
  readonly id: string;
  readonly name: string;
  readonly type: FieldType;
  readonly key: boolean;
  readonly label: string;
}

export interface PlannedInput {
  readonly field: UpdateConnectorField;
  readonly name: string;
  readonly type: FieldType;
}

export interface PlannedWrite {
  readonly connector: string;
  readonly className: string;
  /** Entity key property → UpdateConnector field id. */
  readonly key: Readonly<Record<string, string>>;
  readonly inputs: readonly PlannedInput[];
}

export interface PlannedRelation {
  readonly name: string;
  readonly target: string;
  readonly on: Readonly<Record<string, string>>;
  readonly list: boolean;
}

export interface PlannedType {
  readonly connector: string;
  readonly description: string;
  readonly name: string;
  readonly fields: readonly PlannedField[];
  readonly key: readonly string[];
  readonly relations: PlannedRelation[];
  write: PlannedWrite | undefined;
}

export interface ModelPlan {
  readonly types: readonly PlannedType[];
  readonly mapping: ModelMapping;
  /** What was inferred or left out, one sentence each, for the user to review. */
  readonly notes: readonly string[];
}

export interface PlanOptions {
  /** GetConnector ids to generate. @default the mapping's `connectors`, else every GetConnector of the snapshot */
  readonly connectors?: readonly string[];
  /** The mapping file's content, if there is one. */
  readonly mapping?: Partial<ModelMapping>;
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** A name not yet in `taken` (adds it): `name`, `name2`, `name3`… */
function unique(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let n = 2; taken.has(candidate); n++) candidate = `${name}${n}`;
  taken.add(candidate);
  return candidate;
}

/** Type names the core (src/graphql) or GraphQL itself already uses; a connector named so gets `Record` added. */
const CORE_TYPES = new Set([
  'Query',
  'Mutation',
  'Subscription',
  'PageInfo',
  'Date',
  'DateTime',
  'Decimal',
  'Access',
  'TypeAccess',
  'OperationAccess',
  'ProfitFile',
  'ImageSize',
  'ReportWhere',
  'ReportFieldFilter',
  'String',
  'Int',
  'Float',
  'Boolean',
  'ID',
]);

const FIELD_TYPES: readonly FieldType[] = ['string', 'int', 'decimal', 'boolean', 'date', 'datetime', 'blob'];
const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;

/**
 * Checks what a user may have edited in the mapping file: names must be identifiers and types field types, or the
 * generated code would not compile. Throws one line naming the entry.
 */
function checkMapping(mapping: Partial<ModelMapping>): void {
  const bad = (where: string, what: string, value: unknown) => {
    throw new Error(`profit-model.json: ${where} must be ${what}, got ${JSON.stringify(value)}`);
  };
  const checkField = (where: string, f: FieldMapping | undefined) => {
    if (!f || typeof f !== 'object') return bad(where, 'an object { name, type }', f);
    if (typeof f.name !== 'string' || !IDENTIFIER.test(f.name)) bad(`${where}.name`, 'an identifier', f.name);
    if (!FIELD_TYPES.includes(f.type)) bad(`${where}.type`, `one of ${FIELD_TYPES.join(', ')}`, f.type);
  };
  for (const [id, t] of Object.entries(mapping.types ?? {})) {
    if (typeof t.name !== 'string' || !IDENTIFIER.test(t.name) || CORE_TYPES.has(t.name)) {
      bad(`types.${id}.name`, 'an identifier the core does not use', t.name);
    }
    if (!Array.isArray(t.key)) bad(`types.${id}.key`, 'a list of field ids', t.key);
    for (const [f, m] of Object.entries(t.fields ?? {})) checkField(`types.${id}.fields.${f}`, m);
  }
  for (const [id, w] of Object.entries(mapping.writes ?? {})) {
    for (const [f, m] of Object.entries(w.fields ?? {})) checkField(`writes.${id}.fields.${f}`, m);
  }
  for (const [i, r] of (mapping.relations ?? []).entries()) {
    if (typeof r.name !== 'string' || !IDENTIFIER.test(r.name)) bad(`relations[${i}].name`, 'an identifier', r.name);
    if (r.reverse !== null && (typeof r.reverse !== 'string' || !IDENTIFIER.test(r.reverse))) {
      bad(`relations[${i}].reverse`, 'an identifier or null', r.reverse);
    }
  }
}

/** Names a class must not use for a property (its own machinery and JavaScript's). */
const RESERVED = new Set(['constructor', 'prototype', '__proto__', 'toString', 'valueOf']);

function fieldTypeOf(dataType: string, id: string, label: string): FieldType {
  switch (dataType) {
    case 'int':
    case 'decimal':
    case 'boolean':
    case 'blob':
    case 'string':
      return dataType;
    case 'date':
      return looksLikeDay(id, label) ? 'date' : 'datetime';
    default:
      // *Unconfirmed*: a data type metainfo has not shown so far; its values are read as text, unchanged.
      return 'string';
  }
}

function fieldName(id: string, label: string): string {
  const fromId = isCustomFieldId(id) ? camelCase(label) : camelCase(id);
  return fromId || camelCase(label) || 'field';
}

/** The key a GetConnector's metainfo does not give: an id-like first field, else the first field. */
function guessKey(fields: readonly GetConnectorField[]): string[] {
  const idLike = fields.find((f) => /(^id$|Id$|ID$|_id$|Nr$|Number$|Code$|Key$)/.test(f.id) && f.dataType !== 'blob');
  const chosen = idLike ?? fields[0];
  return chosen ? [chosen.id] : [];
}

/** Plans the model; see the module comment. */
export function planModel(snapshot: ProfitSnapshot, options: PlanOptions = {}): ModelPlan {
  const notes: string[] = [];
  const given = options.mapping ?? {};
  checkMapping(given);
  const givenTypes = given.types ?? {};
  const givenWrites = given.writes ?? {};
  const chosen = options.connectors?.length
    ? [...new Set(options.connectors)]
    : given.connectors?.length
      ? [...given.connectors]
      : Object.keys(snapshot.get);
  for (const id of chosen) {
    if (!snapshot.get[id]) throw new Error(`GetConnector ${id} is not in the snapshot`);
  }
  chosen.sort(byId);

  // Which UpdateConnector writes which GetConnector's object: the one sharing most Profit field codes (metainfo's
  // `fieldId`), with its primary key among them. A mapping entry decides instead.
  const updateIds = Object.keys(snapshot.update).sort(byId);
  const writer = new Map<string, string>();
  const writeEntity = new Map<string, string | null>();
  for (const u of updateIds) {
    const meta = snapshot.update[u]!;
    const mapped = givenWrites[u];
    let entity: string | null = null;
    if (mapped !== undefined) {
      entity = mapped.entity !== null && chosen.includes(mapped.entity) ? mapped.entity : null;
    } else {
      const codes = new Set(meta.fields.map((f) => f.fieldId));
      const keys = meta.fields.filter((f) => f.primaryKey).map((f) => f.fieldId);
      let best = 0;
      for (const g of chosen) {
        const getCodes = new Set(snapshot.get[g]!.fields.map((f) => f.fieldId));
        if (keys.length === 0 || !keys.every((k) => getCodes.has(k))) continue;
        const shared = [...codes].filter((c) => getCodes.has(c)).length;
        if (shared > best && shared >= 2) {
          best = shared;
          entity = g;
        }
      }
      if (entity) notes.push(`inferred: ${u} writes ${entity} (${best} shared field codes, its key among them)`);
    }
    if (entity !== null && writer.has(entity)) {
      notes.push(`left out: ${u} also writes ${entity}, which ${writer.get(entity)} writes; choose in writes.${u}`);
      entity = null;
    }
    if (entity !== null) writer.set(entity, u);
    writeEntity.set(u, entity);
  }

  const types = new Map<string, PlannedType>();
  /** GetConnectors whose key is a guess (no writer gave it, nor the mapping file). */
  const guessedKeys = new Set<string>();
  const typeNames = new Set<string>();
  const mapping: ModelMapping = { connectors: chosen, types: {}, relations: [], writes: {} };
  for (const id of chosen) {
    const meta = snapshot.get[id]!;
    const old = givenTypes[id];
    let inferred = typeNameFor(id, meta.description);
    // Two connectors named alike but for the prefix (AFAS's `ProfitSubjects` and `Profit_Subjects`): the later one
    // keeps its prefix, which says more than a number would.
    if (typeNames.has(inferred)) inferred = typeNameFor(id, meta.description, { keepPrefix: true });
    const name = unique(old?.name ?? (CORE_TYPES.has(inferred) ? `${inferred}Record` : inferred), typeNames);
    const taken = new Set(RESERVED);
    const fields: Record<string, FieldMapping> = {};
    for (const f of meta.fields) {
      const previous = old?.fields?.[f.id];
      fields[f.id] = {
        name: unique(previous?.name ?? fieldName(f.id, f.label), taken),
        type: previous?.type ?? fieldTypeOf(f.dataType, f.id, f.label),
      };
      if (!previous && f.dataType === 'date') {
        notes.push(`inferred: ${id}.${f.id} ('${f.label}') is a ${fields[f.id]!.type === 'date' ? 'day' : 'moment'}`);
      }
    }
    let key = old?.key?.filter((k) => fields[k]) ?? [];
    if (key.length === 0) {
      const u = writer.get(id);
      const pk = u ? snapshot.update[u]!.fields.filter((f) => f.primaryKey).map((f) => f.fieldId) : [];
      const fromWriter = pk
        .map((code) => meta.fields.find((f) => f.fieldId === code)?.id)
        .filter((k) => k !== undefined);
      key = fromWriter.length > 0 && fromWriter.length === pk.length ? fromWriter : guessKey(meta.fields);
      if (key !== fromWriter) guessedKeys.add(id);
      notes.push(
        `inferred: the key of ${id} is ${key.join(', ')}${fromWriter.length > 0 && key === fromWriter ? ` (${u}'s primary key)` : ''}`,
      );
    }
    if (key.length === 0) throw new Error(`GetConnector ${id} has no fields`);
    mapping.types[id] = { name, key, fields };
    types.set(id, {
      connector: id,
      description: meta.description,
      name,
      key: key.map((k) => fields[k]!.name),
      fields: meta.fields.map((f) => ({ id: f.id, label: f.label, key: key.includes(f.id), ...fields[f.id]! })),
      relations: [],
      write: undefined,
    });
  }

  // Relations: a field whose id is another connector's single key field id refers to that connector's rows.
  let relations: RelationMapping[];
  if (given.relations !== undefined) {
    relations = given.relations.filter((r) => types.has(r.from) && types.has(r.to));
  } else {
    relations = [];
    const propertyNames = new Map([...types].map(([id, t]) => [id, new Set(t.fields.map((f) => f.name))]));
    for (const [from, t] of types) {
      for (const f of snapshot.get[from]!.fields) {
        // A connector's own single key names its own rows (two connectors keyed by the same id are no relation).
        const ownKey = mapping.types[from]!.key;
        if (ownKey.length === 1 && ownKey[0] === f.id) continue;
        const keyedBy = [...types.keys()].filter((to) => {
          const targetKey = mapping.types[to]!.key;
          return to !== from && targetKey.length === 1 && targetKey[0] === f.id;
        });
        // A key its writer confirms (or the mapping gives) wins over a guessed one: an enrolment's Mdw_Nr refers to
        // the employees, not to a leave balance whose first field happens to be Mdw_Nr too.
        const confirmed = keyedBy.filter((to) => !guessedKeys.has(to));
        for (const to of confirmed.length > 0 ? confirmed : keyedBy) {
          const target = types.get(to)!;
          const property = mapping.types[from]!.fields[f.id]!.name;
          const base = /.Id$/.test(property) ? property.slice(0, -2) : camelCase(target.name);
          const taken = propertyNames.get(from)!;
          const name = unique(taken.has(base) ? `${base}Record` : base, taken);
          const reverse = unique(plural(t.name), propertyNames.get(to)!);
          relations.push({ from, field: f.id, to, toField: f.id, name, reverse });
          notes.push(`inferred: ${from}.${f.id} refers to ${to} (${t.name}.${name}, ${target.name}.${reverse})`);
        }
      }
    }
  }
  mapping.relations = relations;
  for (const r of relations) {
    const from = types.get(r.from)!;
    const to = types.get(r.to)!;
    const fromProperty = mapping.types[r.from]!.fields[r.field]?.name;
    const toProperty = mapping.types[r.to]!.fields[r.toField]?.name;
    if (fromProperty === undefined || toProperty === undefined) {
      notes.push(`left out: relation ${r.name}: ${r.from}.${r.field} or ${r.to}.${r.toField} is not a field`);
      continue;
    }
    from.relations.push({ name: r.name, target: to.name, on: { [fromProperty]: toProperty }, list: false });
    if (r.reverse !== null) {
      to.relations.push({ name: r.reverse, target: from.name, on: { [toProperty]: fromProperty }, list: true });
    }
  }

  for (const u of updateIds) {
    const entity = writeEntity.get(u) ?? null;
    const meta = snapshot.update[u]!;
    const fields: Record<string, FieldMapping> = {};
    mapping.writes[u] = { entity, fields };
    if (entity === null) continue;
    const type = types.get(entity)!;
    const getMeta = snapshot.get[entity]!;
    const old = givenWrites[u]?.fields ?? {};
    const taken = new Set(RESERVED);
    const inputs: PlannedInput[] = [];
    for (const f of meta.fields) {
      // The entity's name for the same Profit field, so reading and writing use one word for it.
      const read = getMeta.fields.find((g) => g.fieldId === f.fieldId);
      const readField = read ? mapping.types[entity]!.fields[read.id] : undefined;
      // Else the label: an UpdateConnector's ids are terse Profit codes (`EmRp`), its labels say what they hold.
      const name = unique(
        old[f.fieldId]?.name ?? readField?.name ?? (camelCase(f.label) || fieldName(f.fieldId, '')),
        taken,
      );
      const type2 =
        old[f.fieldId]?.type ??
        (f.dataType === 'date' && readField ? readField.type : fieldTypeOf(f.dataType, f.fieldId, f.label));
      fields[f.fieldId] = { name, type: type2 };
      inputs.push({ field: f, name, type: type2 });
    }
    const key: Record<string, string> = {};
    for (const k of mapping.types[entity]!.key) {
      const code = getMeta.fields.find((g) => g.id === k)?.fieldId;
      if (code !== undefined && meta.fields.some((f) => f.fieldId === code))
        key[mapping.types[entity]!.fields[k]!.name] = code;
    }
    if (Object.keys(key).length !== mapping.types[entity]!.key.length) {
      notes.push(
        `left out: ${u} cannot name ${entity}'s key (${mapping.types[entity]!.key.join(', ')}) among its fields`,
      );
      continue;
    }
    const objects = meta.objects.map((o) => o.name);
    if (objects.length > 0)
      notes.push(`left out: ${u}'s sub-objects (${objects.join(', ')}); declare them with @Nested`);
    type.write = { connector: u, className: `${type.name}Write`, key, inputs };
  }
  return { types: [...types.values()], mapping, notes };
}

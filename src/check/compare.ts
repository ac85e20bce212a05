/**
 * Drift between the served model and an environment: after a Profit upgrade (or against another administration)
 * a connector may be gone or no longer granted, a field renamed, retyped or shortened, an UpdateConnector field
 * newly mandatory, a code table changed. `compareModel` lists each such difference as a `Finding` with a stable
 * `kind`, so a nightly job (`profit-subgraph check`) or the service's start can say what is incompatible at once,
 * instead of fields failing one by one later.
 *
 * Pure: a model description (GraphQL-free data, see describe.ts) and a snapshot (src/profit/snapshot.ts) in,
 * findings out. Field ids are compared exactly (rows are keyed by them), connector ids case-insensitively (as
 * Profit treats them).
 */
import type { ColumnType, ProfitSnapshot, UpdateConnectorField, UpdateConnectorObject } from '../profit/index.js';

/** A GetConnector the model reads: its fields with the type each is read as. */
export interface ReadDescription {
  readonly connector: string;
  /** The GraphQL type that reads it (for the report). */
  readonly entity: string;
  readonly fields: readonly { readonly fieldId: string; readonly property: string; readonly type: ColumnType }[];
}

/** A field the model writes, as its input declares it. */
export interface InputDescription {
  readonly fieldId: string;
  readonly property: string;
  /** Profit's data type the value is sent as (an enum is a `string`, a moment a `date`). */
  readonly type: ColumnType;
  /** The declared maximum length; 0: none declared. */
  readonly length: number;
  /** The input requires it (mandatory in metainfo, or required on create by the connector's rules). */
  readonly required: boolean;
  /** The codes the input accepts (an enum's values, a fixed `oneOf`); undefined: any value. */
  readonly codes: readonly string[] | undefined;
}

/** An UpdateConnector object (the root or a sub-object) as the model writes it. */
export interface ObjectDescription {
  /** The object's name in metainfo (`KnPerson`, `KnBasicAddressAdr`). */
  readonly name: string;
  /** Where it sits in the declaration, for the report (`PersonWrite.address`). */
  readonly path: string;
  readonly inputs: readonly InputDescription[];
  /** Fields the model always sends with a fixed value. */
  readonly constants: readonly string[];
  readonly objects: readonly ObjectDescription[];
}

export interface WriteDescription {
  readonly connector: string;
  readonly root: ObjectDescription;
}

/** What the served model needs of an environment. */
export interface ModelDescription {
  readonly reads: readonly ReadDescription[];
  readonly writes: readonly WriteDescription[];
}

export type FindingKind =
  | 'connector-missing'
  | 'field-missing'
  | 'field-renamed?'
  | 'type-changed'
  | 'length-shrunk'
  | 'mandatory-added'
  | 'code-missing';

export interface Finding {
  readonly kind: FindingKind;
  /** `error`: something the model serves will fail; `warning`: worth a look, nothing fails. */
  readonly severity: 'error' | 'warning';
  readonly connector: string;
  readonly direction: 'get' | 'update';
  /** The Profit field id (or sub-object name) concerned; absent for a whole connector. */
  readonly field?: string;
  /** Where the model uses it (`Employee.employeeId`, `PersonWrite.address.street`). */
  readonly path?: string;
  readonly message: string;
}

/** Every difference between what the model needs and what the snapshot's environment offers, in model order. */
export function compareModel(model: ModelDescription, snapshot: ProfitSnapshot): Finding[] {
  const findings: Finding[] = [];
  const getIds = idsOf(snapshot.metainfo.getConnectors);
  const updateIds = idsOf(snapshot.metainfo.updateConnectors);

  for (const read of model.reads) {
    const base = { connector: read.connector, direction: 'get' as const };
    if (!getIds.has(read.connector.toLowerCase())) {
      findings.push({
        ...base,
        kind: 'connector-missing',
        severity: 'error',
        path: read.entity,
        message: `GetConnector ${read.connector} (read by ${read.entity}) is missing or not granted`,
      });
      continue;
    }
    const meta = lookup(snapshot.get, read.connector);
    if (meta === undefined) {
      findings.push({
        ...base,
        kind: 'connector-missing',
        severity: 'warning',
        path: read.entity,
        message: `GetConnector ${read.connector} is granted but its metainfo is not in the snapshot; its fields were not compared`,
      });
      continue;
    }
    const byId = new Map(meta.fields.map((f) => [f.id, f]));
    const used = new Set(read.fields.map((f) => f.fieldId));
    const unused = meta.fields.filter((f) => !used.has(f.id)).map((f) => ({ id: f.id, label: f.label }));
    for (const field of read.fields) {
      const path = `${read.entity}.${field.property}`;
      const at = { ...base, field: field.fieldId, path };
      const profit = byId.get(field.fieldId);
      if (profit === undefined) {
        findings.push(missingField(at, field.fieldId, field.property, unused, read.connector));
        continue;
      }
      if (!sameType(field.type, profit.dataType)) {
        findings.push({
          ...at,
          kind: 'type-changed',
          severity: 'error',
          message: `${read.connector}.${field.fieldId} (${path}) is read as ${field.type}; Profit now has ${profit.dataType}`,
        });
      }
    }
  }

  for (const write of model.writes) {
    const base = { connector: write.connector, direction: 'update' as const };
    if (!updateIds.has(write.connector.toLowerCase())) {
      findings.push({
        ...base,
        kind: 'connector-missing',
        severity: 'error',
        path: write.root.path,
        message: `UpdateConnector ${write.connector} (written by ${write.root.path}) is missing or not granted`,
      });
      continue;
    }
    const meta = lookup(snapshot.update, write.connector);
    if (meta === undefined) {
      findings.push({
        ...base,
        kind: 'connector-missing',
        severity: 'warning',
        path: write.root.path,
        message: `UpdateConnector ${write.connector} is granted but its metainfo is not in the snapshot; its fields were not compared`,
      });
      continue;
    }
    // The root declaration describes the connector's own fields (metainfo's top level), its objects the sub-objects.
    compareObject(write.connector, write.root, meta, findings);
  }
  return findings;
}

function compareObject(
  connector: string,
  model: ObjectDescription,
  profit: Pick<UpdateConnectorObject, 'name' | 'fields' | 'objects'>,
  findings: Finding[],
): void {
  const base = { connector, direction: 'update' as const };
  const byId = new Map(profit.fields.map((f) => [f.fieldId, f]));
  const declared = new Set([...model.inputs.map((i) => i.fieldId), ...model.constants]);
  const unused = profit.fields.filter((f) => !declared.has(f.fieldId)).map((f) => ({ id: f.fieldId, label: f.label }));
  for (const input of model.inputs) {
    const path = `${model.path}.${input.property}`;
    const at = { ...base, field: input.fieldId, path };
    const field = byId.get(input.fieldId);
    if (field === undefined) {
      findings.push(missingField(at, input.fieldId, input.property, unused, `${connector} ${model.name}`));
      continue;
    }
    findings.push(...inputFindings(input, field, at, `${connector} ${model.name}.${input.fieldId}`));
  }
  for (const id of model.constants) {
    if (!byId.has(id)) {
      findings.push({
        ...base,
        field: id,
        path: model.path,
        kind: 'field-missing',
        severity: 'error',
        message: `${connector} ${model.name}.${id}, which ${model.path} always sends, is missing`,
      });
    }
  }
  for (const field of profit.fields) {
    if (!field.mandatory || declared.has(field.fieldId)) continue;
    findings.push({
      ...base,
      field: field.fieldId,
      path: model.path,
      kind: 'mandatory-added',
      severity: 'error',
      message: `${connector} ${model.name}.${field.fieldId} (${field.label}) is mandatory in Profit; ${model.path} does not send it`,
    });
  }
  for (const sub of model.objects) {
    const object = profit.objects.find((o) => o.name === sub.name);
    if (object === undefined) {
      findings.push({
        ...base,
        field: sub.name,
        path: sub.path,
        kind: 'field-missing',
        severity: 'error',
        message: `${connector} has no sub-object ${sub.name} (written by ${sub.path})`,
      });
      continue;
    }
    compareObject(connector, sub, object, findings);
  }
}

type At = Pick<Finding, 'connector' | 'direction' | 'field' | 'path'>;

function inputFindings(input: InputDescription, field: UpdateConnectorField, at: At, name: string): Finding[] {
  const out: Finding[] = [];
  if (!sameType(input.type, field.dataType)) {
    out.push({
      ...at,
      kind: 'type-changed',
      severity: 'error',
      message: `${name} (${at.path}) is sent as ${input.type}; Profit now has ${field.dataType}`,
    });
  }
  // Profit's length 0 means no declared maximum (as for numbers); only a string's length bounds what is accepted.
  if (field.dataType === 'string' && field.length > 0 && input.length > field.length) {
    out.push({
      ...at,
      kind: 'length-shrunk',
      severity: 'error',
      message: `${name} (${at.path}) accepts ${input.length} characters; Profit now takes at most ${field.length}`,
    });
  }
  if (field.mandatory && !input.required) {
    out.push({
      ...at,
      kind: 'mandatory-added',
      severity: 'warning',
      message: `${name} (${at.path}) is mandatory in Profit; the input lets it be left out`,
    });
  }
  if (input.codes !== undefined) {
    const profit = new Set((field.values ?? []).map((v) => v.id));
    const ours = new Set(input.codes);
    const lacking = input.codes.filter((c) => !profit.has(c));
    const extra = [...profit].filter((c) => !ours.has(c));
    if (lacking.length > 0) {
      out.push({
        ...at,
        kind: 'code-missing',
        severity: 'error',
        message: `${name} (${at.path}): Profit's code table lacks ${lacking.map((c) => JSON.stringify(c)).join(', ')}`,
      });
    }
    if (extra.length > 0) {
      out.push({
        ...at,
        kind: 'code-missing',
        severity: 'warning',
        message: `${name} (${at.path}): the input lacks Profit's code${extra.length === 1 ? '' : 's'} ${extra.map((c) => JSON.stringify(c)).join(', ')}`,
      });
    }
  }
  return out;
}

/** A field the model uses that Profit lacks; `field-renamed?` when an unused field looks like its new name. */
function missingField(
  at: At,
  fieldId: string,
  property: string,
  unused: readonly { readonly id: string; readonly label: string }[],
  where: string,
): Finding {
  const wanted = new Set([squash(fieldId), squash(property)]);
  const candidate = unused.find((f) => wanted.has(squash(f.id)) || wanted.has(squash(f.label)));
  if (candidate !== undefined) {
    return {
      ...at,
      kind: 'field-renamed?',
      severity: 'error',
      message: `${where}.${fieldId} (${at.path}) is missing; ${candidate.id} (${candidate.label}) looks like its new name`,
    };
  }
  return {
    ...at,
    kind: 'field-missing',
    severity: 'error',
    message: `${where}.${fieldId} (${at.path}) is missing or not granted`,
  };
}

/** Names compared for a rename: case, spaces and punctuation aside. */
function squash(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** A model type against metainfo's: `datetime` is how the model reads Profit's `date` as a moment. */
function sameType(model: ColumnType, profit: string): boolean {
  return (model === 'datetime' ? 'date' : model) === profit;
}

function idsOf(refs: readonly { readonly id?: unknown }[]): Set<string> {
  return new Set(
    refs
      .map((r) => r.id)
      .filter((id): id is string => typeof id === 'string')
      .map((id) => id.toLowerCase()),
  );
}

function lookup<T>(section: Readonly<Record<string, T>>, connector: string): T | undefined {
  const wanted = connector.toLowerCase();
  for (const [id, value] of Object.entries(section)) if (id.toLowerCase() === wanted) return value;
  return undefined;
}

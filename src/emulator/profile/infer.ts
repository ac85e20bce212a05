/**
 * What the emulator infers from a snapshot's metainfo alone, before any row exists. Metainfo names fields and
 * types but not keys or foreign keys, so the rules are deliberately simple and predictable:
 *
 * - **Matching UpdateConnector.** An UpdateConnector matches a GetConnector when its main object marks at least
 *   one field `primaryKey`, the GetConnector has a field with each of those ids, and it shares more of the main
 *   object's field ids than any other GetConnector holding the key (a tie is no match). A GetConnector field is
 *   matched by its Profit field code (`fieldId`), not by its column name (`id`), which a GetConnector may rename
 *   (`Mdw_Nr` for `EmId`); a file without `fieldId` matches by `id`. Writes to it then
 *   change that GetConnector's rows; writes to an UpdateConnector without a match are validated, accepted and
 *   recorded only (see `ProfileStore.unapplied`).
 * - **Key.** A GetConnector's key is its matching UpdateConnector's primary-key fields (several: a multi-field
 *   key), else its first field. Key values are unique.
 * - **Relation.** A GetConnector whose key is one field *owns* that field id (the first such connector in file
 *   order, if several). A field of another GetConnector with the same id and data type takes its values from
 *   the owner's rows, so the two connectors join.
 * - **Code field.** A GetConnector field whose id equals a field id anywhere in an UpdateConnector (any nested
 *   object) that lists `values` takes its values from that code table.
 */
import type { DataType } from '../company/types.js';
import type { ProfitSnapshot, SnapshotGetField, SnapshotUpdateObject } from './snapshot-shape.js';

export const DATA_TYPES: readonly DataType[] = ['string', 'int', 'decimal', 'boolean', 'date', 'blob'];

/** A metainfo data type the filter engine knows; anything else is treated as text (unconfirmed). */
export function toDataType(text: string): DataType {
  return (DATA_TYPES as readonly string[]).includes(text) ? (text as DataType) : 'string';
}

export type ColumnSource =
  | { readonly kind: 'key' }
  | { readonly kind: 'relation'; readonly target: string }
  | { readonly kind: 'code'; readonly values: readonly string[] }
  | { readonly kind: 'synthetic' };

export interface ConnectorModel {
  readonly id: string;
  readonly fields: readonly SnapshotGetField[];
  /** Key field ids, in metainfo order of the key's source. */
  readonly key: readonly string[];
  /** The matching UpdateConnector's id, when the mapping is unambiguous. */
  readonly update: string | undefined;
  /** Field id → where its values come from. Key fields may also be relations or codes (see `keySource`). */
  readonly columns: ReadonlyMap<string, ColumnSource>;
}

export interface ProfileModel {
  /** In file order. */
  readonly connectors: readonly ConnectorModel[];
  /** UpdateConnector id → GetConnector id, for the unambiguous matches only. */
  readonly updateTargets: ReadonlyMap<string, string>;
}

/** Every field of an update object and its nested objects, outer objects first. */
function* allUpdateFields(o: SnapshotUpdateObject): Generator<SnapshotUpdateObject['fields'][number]> {
  yield* o.fields;
  for (const child of o.objects ?? []) yield* allUpdateFields(child);
}

/**
 * A GetConnector field's Profit field code, which UpdateConnectors use: its `fieldId`, as opposed to its `id`, the
 * column name the GetConnector gives it (`Mdw_Nr` for `EmId`). A hand-written file may leave `fieldId` out.
 */
export function fieldCode(f: { readonly id: string; readonly fieldId?: string }): string {
  return f.fieldId || f.id;
}

/** Pure: the inferred keys, relations, code fields and UpdateConnector matches of a snapshot. */
export function inferModel(snapshot: ProfitSnapshot): ProfileModel {
  const gets = Object.entries(snapshot.get);
  const hasField = (fields: readonly SnapshotGetField[], code: string) => fields.some((f) => fieldCode(f) === code);

  const updateTargets = new Map<string, string>();
  const updateOf = new Map<string, string>();
  for (const [updateId, meta] of Object.entries(snapshot.update)) {
    const pk = meta.fields.filter((f) => f.primaryKey).map((f) => f.fieldId);
    if (pk.length === 0) continue;
    // Of the GetConnectors holding the whole key, the one sharing the most fields with the main object; a tie
    // is no match (a relation's foreign key also "holds" the key).
    const shared = (fields: readonly SnapshotGetField[]) =>
      meta.fields.filter((f) => hasField(fields, f.fieldId)).length;
    const candidates = gets
      .filter(([, g]) => pk.every((k) => hasField(g.fields, k)))
      .map(([id, g]) => ({ id, shared: shared(g.fields) }))
      .sort((a, b) => b.shared - a.shared);
    const [best, second] = candidates;
    if (!best || (second && second.shared === best.shared)) continue;
    const getId = best.id;
    updateTargets.set(updateId, getId);
    if (!updateOf.has(getId)) updateOf.set(getId, updateId);
  }

  const codes = new Map<string, readonly string[]>();
  for (const meta of Object.values(snapshot.update)) {
    for (const f of allUpdateFields(meta)) {
      if (f.values && f.values.length > 0 && !codes.has(f.fieldId))
        codes.set(
          f.fieldId,
          f.values.map((v) => String(v.id)),
        );
    }
  }

  const keys = new Map<string, string[]>();
  for (const [id, g] of gets) {
    const update = updateOf.get(id);
    // The writer's key codes, as this connector's columns.
    const pk = update
      ? (snapshot.update[update]?.fields ?? [])
          .filter((f) => f.primaryKey)
          .map((f) => g.fields.find((h) => fieldCode(h) === f.fieldId)?.id ?? f.fieldId)
      : [];
    const first = g.fields[0]?.id;
    keys.set(id, pk.length > 0 ? pk : first === undefined ? [] : [first]);
  }

  // Owner of a field id: the first single-key connector keyed by it; its type decides which fields may join it.
  const owners = new Map<string, { connector: string; dataType: string }>();
  for (const [id, g] of gets) {
    const key = keys.get(id) ?? [];
    const only = key.length === 1 ? g.fields.find((f) => f.id === key[0]) : undefined;
    if (only && !owners.has(only.id)) owners.set(only.id, { connector: id, dataType: only.dataType });
  }

  const connectors = gets.map(([id, g]): ConnectorModel => {
    const key = keys.get(id) ?? [];
    const columns = new Map<string, ColumnSource>();
    for (const f of g.fields) {
      const owner = owners.get(f.id);
      const code = codes.get(fieldCode(f));
      if (owner && owner.connector !== id && owner.dataType === f.dataType) {
        columns.set(f.id, { kind: 'relation', target: owner.connector });
      } else if (code) columns.set(f.id, { kind: 'code', values: code });
      else if (key.includes(f.id)) columns.set(f.id, { kind: 'key' });
      else columns.set(f.id, { kind: 'synthetic' });
    }
    return { id, fields: g.fields, key, update: updateOf.get(id), columns };
  });
  return { connectors, updateTargets };
}

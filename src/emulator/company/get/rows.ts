/**
 * How a demo GetConnector is put together: its metainfo is data (metainfo.json, the shape of a snapshot's
 * `GET /metainfo/get/{id}` answer) and its rows are hand-made, one value function per metainfo field. `bindRows`
 * joins the two and refuses a connector whose fields and value functions do not match one to one, so a field added
 * to the data without a value (or a value left behind) fails at load, not as a silently empty column.
 */

import type { SnapshotGetConnector } from '../../profile/snapshot-shape.js';
import type { DemoStore } from '../store.js';
import type { Cell, DataType, GetConnectorDef, GetFieldDef, Row } from '../types.js';

/** One field's value for one record. */
export type FieldValue<R> = (record: R, store: DemoStore) => Cell;

/** A connector's hand-made rows, with the record type closed over. */
export interface RowMapping {
  /** The metainfo field ids (`id`) this mapping has a value function for. */
  readonly fieldIds: readonly string[];
  /** One row per record, holding a value for each of `fields`. */
  rows(store: DemoStore, fields: readonly GetFieldDef[]): Row[];
}

/**
 * The rows of one connector: `records` yields one record per row (in storage order) and `values` maps each metainfo
 * field id to its value function.
 */
export function defineRows<R>(
  records: (store: DemoStore) => readonly R[],
  values: Readonly<Record<string, FieldValue<R>>>,
): RowMapping {
  return {
    fieldIds: Object.keys(values),
    rows(store, fields) {
      const columns = fields.map((f) => [f.id, values[f.id] as FieldValue<R>] as const);
      return records(store).map((record) => {
        const row: Row = {};
        for (const [id, value] of columns) row[id] = value(record, store);
        return row;
      });
    },
  };
}

const DATA_TYPES: ReadonlySet<string> = new Set<DataType>(['string', 'int', 'decimal', 'boolean', 'date', 'blob']);

/** A demo definition that cannot be served; the message names the connector and the field. */
export class DemoDefinitionError extends Error {
  override readonly name = 'DemoDefinitionError';
}

/**
 * A GetConnector from its metainfo and its row mapping. Throws DemoDefinitionError unless every field has a value
 * function and every value function a field, no field is listed twice, and every data type is one the emulator renders.
 */
export function bindRows(id: string, metainfo: SnapshotGetConnector, mapping: RowMapping | undefined): GetConnectorDef {
  if (!mapping) throw new DemoDefinitionError(`${id}: metainfo without row values`);
  const fieldIds = metainfo.fields.map((f) => f.id);
  const twice = fieldIds.filter((f, i) => fieldIds.indexOf(f) !== i);
  if (twice.length > 0) throw new DemoDefinitionError(`${id}: field(s) listed twice: ${twice.join(', ')}`);
  const missing = fieldIds.filter((f) => !mapping.fieldIds.includes(f));
  const extra = mapping.fieldIds.filter((f) => !fieldIds.includes(f));
  if (missing.length > 0) throw new DemoDefinitionError(`${id}: no value for field(s) ${missing.join(', ')}`);
  if (extra.length > 0) throw new DemoDefinitionError(`${id}: value(s) for unknown field(s) ${extra.join(', ')}`);
  const fields = metainfo.fields.map((f): GetFieldDef => {
    if (!DATA_TYPES.has(f.dataType)) throw new DemoDefinitionError(`${id}.${f.id}: unknown dataType ${f.dataType}`);
    return { ...f, dataType: f.dataType as DataType };
  });
  return {
    id,
    description: metainfo.description,
    fields,
    rows(store) {
      const demo = store as DemoStore;
      // Cached per change of the store, so writes through UpdateConnectors show up on the next read.
      return demo.derived(`get:${id}`, () => mapping.rows(demo, fields));
    },
  };
}

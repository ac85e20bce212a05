/**
 * Shared set-up for the tests that run compiled filters against the emulator over HTTP: the admin demo user's
 * client, field specs built from each connector's metainfo, and every row of a connector for the reference.
 */
import { credentials, type Emulator, startEmulator } from '../../../src/emulator/index.js';
import type { FieldSpec, FieldSpecs, OrderByInput, WhereInput } from '../../../src/graphql/where/index.js';
import { compileOrderBy, compileWhere } from '../../../src/graphql/where/index.js';
import {
  authorizationHeader,
  type ColumnType,
  type ProfitClient,
  ProfitConnection,
  type ProfitDataType,
  type ProfitRow,
} from '../../../src/profit/index.js';
import { evaluateWhere, type Row } from './evaluate.js';

const DATA_TYPES: ReadonlySet<string> = new Set(['string', 'int', 'decimal', 'boolean', 'date', 'blob']);

/** `EmployeeId` → `employeeId`, `BSN` → `bsn`: the GraphQL property for a connector field id. */
export function propertyName(id: string): string {
  return /^[A-Z0-9]+$/.test(id) ? id.toLowerCase() : `${id.charAt(0).toLowerCase()}${id.slice(1)}`;
}

export interface Connector {
  readonly id: string;
  /** The property of the key field. */
  readonly key: string;
  readonly fields: FieldSpecs;
  /** Every row, by property. */
  readonly rows: readonly Row[];
}

export interface Setup {
  readonly emulator: Emulator;
  readonly client: ProfitClient;
  connector(id: string, keyField: string): Promise<Connector>;
  close(): Promise<void>;
}

export async function setUp(): Promise<Setup> {
  const emulator = await startEmulator();
  const admin = credentials(emulator.company)
    .find((app) => app.appConnector === 'admin')
    ?.users.find((u) => u.name === 'admin');
  if (!admin) throw new Error('the demo company has no admin user');
  // Datetimes stay Profit's local text, so the reference compares exactly what the emulator compares, even for
  // the wall-clock times a DST change makes ambiguous.
  const connection = new ProfitConnection({ baseUrl: emulator.baseUrl, convertDateTimes: false });
  const client = connection.client(authorizationHeader(admin.authorization));
  return {
    emulator,
    client,
    async connector(id, keyField) {
      const meta = await client.getConnectorMetainfo(id);
      const fields = new Map<string, FieldSpec>(
        meta.fields
          .filter((f) => DATA_TYPES.has(f.dataType))
          .map((f) => [
            propertyName(f.id),
            { connectorField: f.id, dataType: columnType(f.dataType as ProfitDataType) },
          ]),
      );
      const { rows } = await client.get(id, { take: -1, skip: -1 });
      return { id, key: propertyName(keyField), fields, rows: rows.map((r) => byProperty(r, fields)) };
    },
    async close() {
      await connection.close();
      await emulator.close();
    },
  };
}

/**
 * Metainfo's `date` covers days and moments alike; read as `datetime` here, whose filters take both a day and a
 * time, so every date field can be filtered either way.
 */
function columnType(dataType: ProfitDataType): ColumnType {
  return dataType === 'date' ? 'datetime' : dataType;
}

export function byProperty(row: ProfitRow, fields: FieldSpecs): Row {
  return Object.fromEntries([...fields].map(([property, spec]) => [property, row[spec.connectorField]]));
}

export interface Outcome {
  /** Keys of the rows the emulator returned for the compiled filter, in its order. */
  readonly actual: readonly unknown[];
  /** Keys of the rows the reference accepts, in the emulator's order for the same orderBy without filter. */
  readonly expected: readonly unknown[];
}

/** Runs `where` through the compiler and the emulator, and through the reference over every row. */
export async function run(
  client: ProfitClient,
  connector: Connector,
  where: WhereInput,
  orderBy?: readonly OrderByInput[],
  options?: { maxGroups?: number },
): Promise<Outcome> {
  const filter = compileWhere(where, connector.fields, options);
  const sort = compileOrderBy(orderBy, connector.fields, [connector.key]);
  const [filtered, all] = await Promise.all([
    client.get(connector.id, { filter, orderBy: sort, take: -1, skip: -1 }),
    client.get(connector.id, { orderBy: sort, take: -1, skip: -1 }),
  ]);
  const key = (r: Row) => r[connector.key];
  return {
    actual: filtered.rows.map((r) => key(byProperty(r, connector.fields))),
    expected: all.rows
      .map((r) => byProperty(r, connector.fields))
      .filter((r) => evaluateWhere(where, r, connector.fields))
      .map(key),
  };
}

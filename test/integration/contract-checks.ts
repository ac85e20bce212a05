/**
 * Read-only contract checks of the Profit client, written once and run twice: against the emulator
 * (test/integration/contract.test.ts, with its request log) and against a real Profit environment
 * (test/live/contract.test.ts, without one). They assume nothing about the environment's connectors: they read the
 * token's own metainfo, pick a GetConnector and fields from it, and compare Profit's answers with an independent
 * evaluation (./evaluate.ts) over rows read without the filter under test.
 *
 * No check writes anything, so they are safe against a production environment.
 */
import { expect } from 'vitest';
import {
  afasToken,
  type Condition,
  type FilterGroup,
  type FilterValue,
  type GetConnectorField,
  type GetQuery,
  MAX_QUERY_STRING_LENGTH,
  type Operator,
  type ProfitClient,
  type ProfitConnection,
  ProfitError,
  type ProfitRow,
  type ProfitValue,
  queryStringLength,
} from '../../src/profit/index.js';
import { type FieldTypes, matches, rowKeys } from './evaluate.js';

/** What the checks need to know of a logged request (the emulator's `LogEntry` has these and more). */
export interface LoggedRequest {
  readonly method: string;
  /** As received, without the query string. */
  readonly path: string;
  /** Raw, from `?` inclusive, or `''`. */
  readonly query: string;
  readonly status: number | string;
  readonly inFlight: number;
  readonly tokenIssued?: boolean;
  readonly time: string;
  /** A SOAP call's `service.operation` (the emulator's log; its method and path are the POST). */
  readonly soapOperation?: string;
  /** An UpdateConnector write's body root (the emulator's log). */
  readonly bodyRoot?: string;
}

/** Reads the server's request log. Absent against real Profit, where the checks assert what they can without it. */
export interface RequestLogReader {
  clear(): void | Promise<void>;
  entries(): readonly LoggedRequest[] | Promise<readonly LoggedRequest[]>;
}

export interface ContractTarget {
  readonly connection: ProfitConnection;
  /** A client whose token may read at least one GetConnector. */
  readonly client: ProfitClient;
  readonly log?: RequestLogReader;
  /** The GetConnector to check filters on. @default the first one of the token's metainfo that has rows */
  readonly getConnector?: string;
}

export interface ContractCheck {
  readonly name: string;
  run(target: ContractTarget): Promise<void>;
}

/** Rows of the window are read in one call; a window this full may be cut off and is refused. */
const WINDOW_TAKE = 1000;
const SAMPLE_TAKE = 40;

async function logged(target: ContractTarget): Promise<readonly LoggedRequest[] | undefined> {
  return target.log ? await target.log.entries() : undefined;
}

async function clearLog(target: ContractTarget): Promise<void> {
  await target.log?.clear();
}

/** A connector, its fields, and a window of its rows: every row whose first usable field lies in a sampled range. */
interface Window {
  readonly connector: string;
  readonly fields: readonly GetConnectorField[];
  readonly types: FieldTypes;
  /** AND-ed into every filter, so answers stay inside the window. */
  readonly bounds: readonly Condition[];
  readonly rows: readonly ProfitRow[];
}

const windows = new WeakMap<ContractTarget, Promise<Window>>();

function windowOf(target: ContractTarget): Promise<Window> {
  let w = windows.get(target);
  if (!w) {
    w = readWindow(target);
    windows.set(target, w);
  }
  return w;
}

async function chooseConnector(target: ContractTarget): Promise<string> {
  if (target.getConnector) return target.getConnector;
  const meta = await target.client.metainfo();
  for (const { id } of meta.getConnectors) {
    const page = await target.client.get(id, { take: 1 });
    if (page.rows.length > 0) return id;
  }
  throw new Error('none of the GetConnectors in this token’s metainfo has rows: name one with PROFIT_LIVE_CONNECTOR');
}

async function readWindow(target: ContractTarget): Promise<Window> {
  const connector = await chooseConnector(target);
  const { fields } = await target.client.getConnectorMetainfo(connector);
  const types: FieldTypes = Object.fromEntries(fields.map((f) => [f.id, f.dataType]));
  // The range field: the first field whose sampled values are all filled (usually the key).
  let sample: ProfitRow[] = [];
  let key: GetConnectorField | undefined;
  for (const f of fields.filter((x) => x.dataType !== 'blob' && x.dataType !== 'boolean').slice(0, 4)) {
    sample = (await target.client.get(connector, { orderBy: [{ field: f.id }], take: SAMPLE_TAKE })).rows;
    if (sample.length > 0 && sample.every((r) => r[f.id] !== null && r[f.id] !== undefined)) {
      key = f;
      break;
    }
  }
  if (!key) throw new Error(`no field of ${connector} is filled in every sampled row; cannot bound a window`);
  const low = sample[0]?.[key.id] as FilterValue;
  const high = sample[sample.length - 1]?.[key.id] as FilterValue;
  const bounds: Condition[] = [
    { field: key.id, op: 'gte', value: low },
    { field: key.id, op: 'lte', value: high },
  ];
  const { rows } = await target.client.get(connector, { filter: [bounds], take: WINDOW_TAKE });
  expect(rows.length, `the window of ${connector} must be complete`).toBeLessThan(WINDOW_TAKE);
  expect(rows.length).toBeGreaterThanOrEqual(sample.length);
  return { connector, fields, types, bounds, rows };
}

function values(rows: readonly ProfitRow[], field: string): ProfitValue[] {
  return rows.map((r) => r[field] ?? null).filter((v) => v !== null && v !== '');
}

/** A string field with at least two different values in the window (the most varied one). */
function textField(w: Window): string {
  let best: { id: string; distinct: number } | undefined;
  for (const f of w.fields) {
    if (f.dataType !== 'string') continue;
    const distinct = new Set(values(w.rows, f.id).map(String)).size;
    if (distinct >= 2 && (!best || distinct > best.distinct)) best = { id: f.id, distinct };
  }
  if (!best) throw new Error(`${w.connector} has no string field with two different values in the window`);
  return best.id;
}

/** A field to order on: numeric, else a date, else text; with at least two different values. */
function orderedField(w: Window): string {
  for (const type of ['int', 'decimal', 'date']) {
    const f = w.fields.find(
      (x) => x.dataType === type && new Set(values(w.rows, x.id).map((v) => JSON.stringify(v))).size >= 2,
    );
    if (f) return f.id;
  }
  return textField(w);
}

/** A field that is empty in some rows and filled in others, if there is one. */
function sometimesEmptyField(w: Window): string {
  const f = w.fields.find((x) => {
    const filled = values(w.rows, x.id).length;
    return x.dataType !== 'blob' && filled > 0 && filled < w.rows.length;
  });
  return f?.id ?? textField(w);
}

function middle<T>(list: readonly T[]): T {
  const v = list[Math.floor(list.length / 2)];
  if (v === undefined) throw new Error('empty list');
  return v;
}

/** Asks Profit for `filter` (inside the window) and expects exactly the rows the evaluation selects. */
async function expectSameRows(target: ContractTarget, w: Window, filter: readonly FilterGroup[], what: string) {
  const bounded = filter.map((g) => [...w.bounds, ...g]);
  const { rows } = await target.client.get(w.connector, { filter: bounded, take: WINDOW_TAKE });
  const expected = w.rows.filter((r) => matches(r, bounded, w.types));
  expect(rowKeys(rows), `${w.connector}: ${what}`).toEqual(rowKeys(expected));
  return rows;
}

/** One condition per operator, on fields of the window chosen to suit it. */
function operatorCases(w: Window): Condition[] {
  const text = textField(w);
  const word = String(middle(values(w.rows, text)));
  const head = word.slice(0, Math.min(3, word.length));
  const tail = word.slice(-Math.min(2, word.length));
  const ordered = orderedField(w);
  const pivot = middle(values(w.rows, ordered)) as FilterValue;
  const sometimes = sometimesEmptyField(w);
  const cases: Record<Operator, Condition> = {
    eq: { field: text, op: 'eq', value: word },
    gte: { field: ordered, op: 'gte', value: pivot },
    lte: { field: ordered, op: 'lte', value: pivot },
    gt: { field: ordered, op: 'gt', value: pivot },
    lt: { field: ordered, op: 'lt', value: pivot },
    contains: { field: text, op: 'contains', value: head.slice(-2) || head },
    ne: { field: text, op: 'ne', value: word },
    isEmpty: { field: sometimes, op: 'isEmpty' },
    isNotEmpty: { field: sometimes, op: 'isNotEmpty' },
    startsWith: { field: text, op: 'startsWith', value: head },
    notContains: { field: text, op: 'notContains', value: head.slice(-2) || head },
    notStartsWith: { field: text, op: 'notStartsWith', value: head },
    endsWith: { field: text, op: 'endsWith', value: tail },
    notEndsWith: { field: text, op: 'notEndsWith', value: tail },
    quickFilter: { field: text, op: 'quickFilter', value: head },
  };
  return Object.values(cases);
}

export const CONTRACT_CHECKS: readonly ContractCheck[] = [
  {
    name: 'metainfo lists the connectors the token may use, and the field metainfo of one of them',
    async run(target) {
      await clearLog(target);
      const meta = await target.client.metainfo();
      expect(meta.getConnectors.length).toBeGreaterThan(0);
      expect(typeof meta.info.envid).toBe('string');
      const id = target.getConnector ?? meta.getConnectors[0]?.id ?? '';
      const fields = (await target.client.getConnectorMetainfo(id)).fields;
      expect(fields.length).toBeGreaterThan(0);
      for (const f of fields) {
        expect(f.id).toMatch(/^\S+$/);
        expect(typeof f.dataType).toBe('string');
      }
      const log = await logged(target);
      if (log)
        expect(log.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual([
          'GET /ProfitRestServices/metainfo 200',
          `GET /ProfitRestServices/metainfo/get/${id} 200`,
        ]);
    },
  },
  {
    name: 'ProfitVersion answers a dotted version number',
    async run(target) {
      expect(await target.client.profitVersion()).toMatch(/^\d+(\.\d+)+$/);
    },
  },
  {
    name: 'each of the 15 operators, and an OR of two groups, selects exactly the rows an independent evaluation selects',
    async run(target) {
      const w = await windowOf(target);
      const cases = operatorCases(w);
      expect(new Set(cases.map((c) => c.op)).size).toBe(15);
      for (const c of cases) await expectSameRows(target, w, [[c]], `${c.field} ${c.op} ${JSON.stringify(c.value)}`);
      const [eq, , , gt] = cases as [Condition, Condition, Condition, Condition];
      await expectSameRows(target, w, [[eq], [gt]], `(${eq.field} eq) OR (${gt.field} gt)`);
    },
  },
  {
    name: 'a value containing "," goes as filterjson and is matched whole, never split into two conditions',
    async run(target) {
      const w = await windowOf(target);
      const text = textField(w);
      const word = String(middle(values(w.rows, text)));
      await clearLog(target);
      // In the list form, `a,a` would be cut into the value `a` and a surplus value: rows equal to `a` would match.
      const doubled = await expectSameRows(target, w, [[{ field: text, op: 'eq', value: `${word},${word}` }]], 'a,a');
      expect(doubled.filter((r) => r[text] === word)).toEqual([]);
      await expectSameRows(target, w, [[{ field: text, op: 'contains', value: ',' }]], 'contains ","');
      const withComma = w.fields
        .filter((f) => f.dataType === 'string')
        .flatMap((f) => values(w.rows, f.id).map((v) => ({ field: f.id, value: String(v) })))
        .find((v) => v.value.includes(','));
      if (withComma) {
        const rows = await expectSameRows(target, w, [[{ op: 'eq', ...withComma }]], 'a, b');
        expect(rows.length).toBeGreaterThan(0);
      }
      const log = await logged(target);
      if (log) {
        expect(log.length).toBe(withComma ? 3 : 2);
        for (const e of log) {
          expect(e.query).toContain('filterjson=');
          expect(e.query).not.toContain('filterfieldids=');
        }
      }
    },
  },
  {
    name: `a query string of exactly ${MAX_QUERY_STRING_LENGTH} characters is answered; one more is refused without a request`,
    async run(target) {
      const w = await windowOf(target);
      const field = textField(w);
      const query = (n: number): GetQuery => ({
        filter: [[{ field, op: 'eq', value: 'x'.repeat(n) }]],
        take: 1,
      });
      const n = 1 + MAX_QUERY_STRING_LENGTH - queryStringLength(query(1));
      expect(queryStringLength(query(n))).toBe(MAX_QUERY_STRING_LENGTH);
      await clearLog(target);
      const fits = await target.client.get(w.connector, query(n));
      expect(fits.rows).toEqual([]);
      const error = await target.client.get(w.connector, query(n + 1)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ProfitError);
      expect((error as ProfitError).kind).toBe('query-too-long');
      expect((error as ProfitError).requestSent).toBe(false);
      const log = await logged(target);
      if (log) {
        expect(log.map((e) => [e.method, e.query.length, e.status])).toEqual([['GET', MAX_QUERY_STRING_LENGTH, 200]]);
      }
    },
  },
  {
    name: 'a token Profit does not know is unauthorized (401) and is asked once, without retries',
    async run(target) {
      const stranger = target.connection.client(afasToken('0123456789ABCDEF'.repeat(4)));
      await clearLog(target);
      const error = await stranger.metainfo().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(ProfitError);
      expect((error as ProfitError).kind).toBe('unauthorized');
      expect((error as ProfitError).status).toBe(401);
      expect((error as ProfitError).message).not.toContain('0123456789ABCDEF');
      const log = await logged(target);
      if (log)
        expect(log.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual(['GET /ProfitRestServices/metainfo 401']);
    },
  },
];

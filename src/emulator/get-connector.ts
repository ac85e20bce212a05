/**
 * GetConnector requests: query-string parsing (paging, ordering, both filter forms) and the response body.
 */
import type { GetFieldDef, Row } from './company/types.js';
import { unexpectedError } from './errors.js';
import { compileFilter, type Filter, parseJsonFilter, parseListFilter, parseOrderBy, sortRows } from './filter.js';
import { renderCell } from './values.js';

/**
 * The longest query string (from `?` inclusive, as sent) Profit accepts; longer ones get a bare 404
 * (get-connector.md, "Maximum Length of the URL").
 */
export const MAX_QUERY_STRING_LENGTH = 2049;

/** @default skip 0, take 100 (get-connector.md). */
export const DEFAULT_SKIP = 0;
export const DEFAULT_TAKE = 100;

/**
 * Query parameters by lower-cased name, URL-decoded (`+` is a space, as in ASP.NET). Names are matched
 * case-insensitively (unconfirmed; ASP.NET binds query parameters that way). A repeated name keeps its first value
 * (unconfirmed).
 */
export function parseQuery(rawQuery: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const [k, v] of new URLSearchParams(rawQuery.startsWith('?') ? rawQuery.slice(1) : rawQuery)) {
    const key = k.toLowerCase();
    if (!params.has(key)) params.set(key, v);
  }
  return params;
}

export interface GetRequest {
  readonly skip: number;
  readonly take: number;
  readonly filter: Filter;
  readonly orderBy: string | undefined;
}

const INT32_MAX = 2_147_483_647;

function parseInt32(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^-?\d+$/.test(text)) throw unexpectedError();
  const n = Number(text);
  if (n > INT32_MAX || n < -INT32_MAX - 1) throw unexpectedError();
  return n;
}

/**
 * Paging: absent skip/take default to 0/100; `-1`/`-1` asks for every row; every other negative value or pair with
 * one `-1` (e.g. `skip=2&take=-1`, documented) and every non-integer is "An unexpected error has occurred."
 * unconfirmed: whether an empty `skip=` counts as absent; the emulator treats it as invalid.
 *
 * Filters: the list form and `filterjson` are both accepted; a request carrying both is answered with the
 * unexpected error (unconfirmed; no AFAS source says which wins, so a client must never send both).
 */
export function parseGetRequest(params: ReadonlyMap<string, string>): GetRequest {
  const skip = parseInt32(params.get('skip'), DEFAULT_SKIP);
  const take = parseInt32(params.get('take'), DEFAULT_TAKE);
  const all = skip === -1 && take === -1;
  if (!all && (skip < 0 || take < 0)) throw unexpectedError();
  const json = params.get('filterjson');
  const listGiven = params.has('filterfieldids') || params.has('filtervalues') || params.has('operatortypes');
  if (json !== undefined && listGiven) throw unexpectedError();
  const filter =
    json !== undefined && json !== ''
      ? parseJsonFilter(json)
      : parseListFilter(params.get('filterfieldids'), params.get('filtervalues'), params.get('operatortypes'));
  return { skip, take, filter, orderBy: params.get('orderbyfieldids') };
}

/** Filters, sorts and pages rows. Throws ProfitRejection for unknown fields or unconvertible values. */
export function selectRows(rows: readonly Row[], fields: readonly GetFieldDef[], request: GetRequest): Row[] {
  const keep = compileFilter(request.filter, fields);
  const sorted = sortRows(
    rows.filter((r) => keep(r)),
    parseOrderBy(request.orderBy, fields),
  );
  return request.skip === -1 ? sorted : sorted.slice(request.skip, request.skip + request.take);
}

/**
 * `{"skip":S,"take":T,"rows":[…]}` on one line (Profit 7), echoing the requested skip and take. Each row holds
 * exactly the caller's visible fields, in metainfo order.
 */
export function renderGetResponse(
  skip: number,
  take: number,
  rows: readonly Row[],
  fields: readonly GetFieldDef[],
): string {
  const keys = fields.map((f) => JSON.stringify(f.id));
  const rendered = rows.map((row) => {
    const parts = fields.map((f, i) => `${keys[i]}:${renderCell(row[f.id], f.dataType)}`);
    return `{${parts.join(',')}}`;
  });
  return `{"skip":${skip},"take":${take},"rows":[${rendered.join(',')}]}`;
}

/**
 * A GetConnector read over SOAP: `AppConnectorGet.asmx` `GetDataWithOptions(token, connectorId, filtersXml, skip,
 * take, options)` (profit-api.md; PracticalAfas src/Connection.php), and its result `<AfasGetConnector><{connector}>
 * <{field}>…</{field}>…</{connector}>…</AfasGetConnector>` read into the rows the REST GetConnector gives. Pure.
 *
 * - `filtersXml`: `<Filters><Filter FilterId="Filter 1"><Field FieldId="…" OperatorType="1">value</Field>…</Filter>
 *   …</Filters>`: each `Filter` an AND group, the groups OR-ed (MegaChriz/afasprofit src/Core/Filter/*.php), the
 *   same structure as REST's `filterjson`.
 * - `options`: `Outputmode` 1 (XML), `Metadata` 0 (no inline schema), `Outputoptions` 3 (empty fields present as
 *   empty elements, so an empty cell is not confused with a column missing); the sort as `Index` with
 *   `<Field FieldId="…" OperatorType="1|0"/>` (1 ascending, 0 descending: PracticalAfas).
 * - `skip` and `take` are always sent: without `take` Profit's SOAP returns no rows (PracticalAfas); `-1`/`-1`
 *   asks for every row as on REST.
 *
 * XML carries every cell as text, so each is typed by its field's `dataType` in the GetConnector's metainfo, the
 * way REST's JSON carries it: `int` and `decimal` through `parseProfitNumber` (safe integers as numbers, all else an
 * exact `ProfitDecimal`), `boolean` as `true`/`false`, `date` as REST's text `YYYY-MM-DDTHH:mm:ssZ`, an empty
 * element as `null` (REST's value for an empty field), every other type as its text. A text that does not fit its
 * declared type is kept as text, never guessed.
 */
import { formatFilterValue, resolvePaging } from '../encode-query.js';
import { invalidArgument, isRecord } from '../errors.js';
import { type GetQuery, OPERATOR_TYPE } from '../get-query.js';
import { type ProfitValue, parseProfitNumber } from '../json.js';
import type { GetConnectorField } from '../results.js';
import { hasControlCharacter } from '../text.js';
import { escapeAttribute, escapeText } from '../xml/text.js';
import type { SoapCall } from './envelope.js';
import { listOf, parseXml } from './xml-text.js';

/** The `GetDataWithOptions` call of a query. Pure. */
export function getDataCall(connectorId: string, query: GetQuery = {}): SoapCall {
  const { skip, take } = resolvePaging(query);
  const params: [string, string][] = [['connectorId', connectorId]];
  const filters = filtersXml(query);
  if (filters !== undefined) params.push(['filtersXml', filters]);
  params.push(['skip', String(skip)], ['take', String(take)], ['options', optionsXml(query)]);
  return { service: 'AppConnectorGet', operation: 'GetDataWithOptions', params };
}

function fieldId(field: unknown, what: string): string {
  if (typeof field !== 'string' || field === '' || hasControlCharacter(field)) {
    invalidArgument(`${what} must be a non-empty field id without control characters`);
  }
  return field;
}

/** `<Filters>…</Filters>`, or undefined without a filter. */
export function filtersXml(query: GetQuery): string | undefined {
  const groups = query.filter ?? [];
  if (groups.length === 0) return undefined;
  let xml = '<Filters>';
  groups.forEach((group, g) => {
    if (group.length === 0) invalidArgument(`filter group ${g + 1} has no conditions`);
    xml += `<Filter FilterId="Filter ${g + 1}">`;
    for (const c of group) {
      const field = fieldId(c.field, 'a filter field id');
      const op = OPERATOR_TYPE[c.op];
      if (op === undefined) invalidArgument(`unknown filter operator ${JSON.stringify(c.op)} on field ${field}`);
      // Profit requires a value even for "is (not) empty", and documents that it may be empty.
      let value = '';
      if (c.op !== 'isEmpty' && c.op !== 'isNotEmpty') {
        if (c.value === undefined || c.value === null) {
          invalidArgument(`the filter on ${field} with operator ${c.op} needs a value`);
        }
        value = formatFilterValue(c.value);
      }
      xml += `<Field FieldId="${escapeAttribute(field, 'a filter field id')}" OperatorType="${op}">${escapeText(value, `the filter value on ${field}`)}</Field>`;
    }
    xml += '</Filter>';
  });
  return `${xml}</Filters>`;
}

function optionsXml(query: GetQuery): string {
  let index = '';
  for (const key of query.orderBy ?? []) {
    const field = fieldId(key.field, 'a sort field id');
    index += `<Field FieldId="${escapeAttribute(field, 'a sort field id')}" OperatorType="${key.descending ? 0 : 1}"/>`;
  }
  return (
    '<options><Outputmode>1</Outputmode><Metadata>0</Metadata><Outputoptions>3</Outputoptions>' +
    (index === '' ? '' : `<Index>${index}</Index>`) +
    '</options>'
  );
}

/**
 * The rows of a `GetDataWithOptions` result, typed by `fields` (the GetConnector's metainfo). Columns appear in the
 * metainfo's order, a field the result leaves out as `null`. Throws a `SyntaxError` when the text is not such a
 * result. Pure.
 */
export function readGetDataRows(
  xml: string,
  connectorId: string,
  fields: readonly GetConnectorField[],
): Record<string, ProfitValue>[] {
  // An empty result (no rows at all) may come as an empty string.
  if (xml.trim() === '') return [];
  const doc = parseXml(xml);
  const root = isRecord(doc) ? doc.AfasGetConnector : undefined;
  if (root === undefined) throw new SyntaxError('the result has no AfasGetConnector element');
  if (!isRecord(root)) return [];
  const types = new Map(fields.map((f) => [f.id, f.dataType]));
  return listOf(root[connectorId]).map((element) => {
    const cells = isRecord(element) ? element : {};
    const row: Record<string, ProfitValue> = {};
    for (const f of fields) row[f.id] = null;
    for (const [name, value] of Object.entries(cells)) {
      if (name.startsWith('@') || name === '#text') continue;
      const id = decodeName(name);
      const text = cellText(value);
      row[id] = text === undefined ? null : typed(types.get(id), text);
    }
    return row;
  });
}

/** A cell's text; `undefined` for an empty element. */
function cellText(value: unknown): string | undefined {
  const v = listOf(value)[0];
  if (typeof v === 'string') return v === '' ? undefined : v;
  if (isRecord(v) && typeof v['#text'] === 'string') return v['#text'] === '' ? undefined : v['#text'];
  return undefined;
}

/** .NET's `XmlConvert.EncodeName` writes a character an XML name cannot hold as `_xHHHH_`: read it back. */
function decodeName(name: string): string {
  return name.includes('_x')
    ? name.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    : name;
}

const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
/** xs:dateTime as a DataSet writes it: wall-clock time, optionally a fraction and a zone. */
const XML_DATETIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?)(?:Z|[+-]\d{2}:\d{2})?$/;

function typed(dataType: string | undefined, text: string): ProfitValue {
  switch (dataType) {
    case 'int':
    case 'decimal':
      return JSON_NUMBER.test(text) ? parseProfitNumber(text) : text;
    case 'boolean':
      return text === 'true' || text === '1' ? true : text === 'false' || text === '0' ? false : text;
    case 'date': {
      // REST writes Profit's wall-clock time with a `Z` (that is Amsterdam time, see datetime.ts); XML writes the
      // same wall-clock time, with or without a zone (unconfirmed which): the wall-clock part is kept either way.
      const m = XML_DATETIME.exec(text);
      return m ? `${m[1]}Z` : text;
    }
    default:
      return text;
  }
}

/**
 * `AppConnectorGet.GetData` / `GetDataWithOptions`: the SOAP parameters turned into the same GetRequest the REST
 * GetConnector runs (get-connector.ts), and the rows rendered as the `<AfasGetConnector>` XML string.
 *
 * Sources:
 * - filtersXml `<Filters><Filter FilterId="…"><Field FieldId="…" OperatorType="1">value</Field></Filter></Filters>`:
 *   Filters are ORed, the Fields of one Filter ANDed, operator types as in REST (profit-api.md; the `filterjson`
 *   form mirrors this XML);
 * - options `<options><Outputmode>1</Outputmode><Metadata>0|1</Metadata><Outputoptions>2|3</Outputoptions>
 *   <Index><Field FieldId="…" OperatorType="1|0"/></Index><Skip/><Take/></options>`: Outputoptions 3 writes empty
 *   fields as empty elements, 2 (the default) leaves them out; Metadata 1 puts an `xs:schema` before the rows; Index
 *   sorts, OperatorType 1 ascending and 0 descending (rmuit/PracticalAfas `README-get.md`, MegaChriz/afasprofit
 *   `src/Core/Connector/GetConnector.php` and `GetConnectorInterface.php`);
 * - paging, as PracticalAfas's `SoapAppClient.php` records Profit's behaviour: `take` absent is 0 (no rows), unlike
 *   REST's 100; `skip` -1 returns every row, whatever `take` says; otherwise a negative `take` parameter is an error; `Skip`/`Take` inside `options`
 *   count when the parameters are absent, an options Take that is negative or above 1000 returns 1000 rows;
 * - the result `<AfasGetConnector>[xs:schema]<{connectorId}><{field}>value</{field}>…</{connectorId}>…` and its
 *   schema, every field `xs:string` with `minOccurs="0"` (MegaChriz/afasprofit
 *   `tests/resources/GetConnector/GetDataWithOptionsResponse*.xml`);
 * - values as REST writes them, except datetimes without REST's trailing `Z` (`2009-06-15T13:45:30`, PracticalAfas
 *   `README-get.md`), booleans `true`/`false`, carriage returns as `&#xD;` (news-profit7.md).
 * unconfirmed: Outputmode 2 (text) is refused; the emulator serves XML only.
 */
import { type Cell, Decimal, type GetFieldDef, type Row } from '../company/types.js';
import { unexpectedError } from '../errors.js';
import type { Filter, FilterCondition } from '../filter.js';
import type { GetRequest } from '../get-connector.js';
import { cellBoolean, cellDecimal, isEmptyCell, normalizeLocalDateTime } from '../values.js';
import { childElements, escapeXml, readXmlParameter } from './envelope.js';

/** What GetDataWithOptions' `options` asks besides paging. */
export interface GetOptions {
  readonly metadata: boolean;
  readonly includeEmpty: boolean;
}

/** The option Take's cap (PracticalAfas `SoapAppClient.php`). */
export const OPTIONS_TAKE_CAP = 1000;

/** `filtersXml` → Filter; empty or absent is no filter. Anything not shaped as above is Profit's unexpected error. */
export function parseFiltersXml(text: string | undefined): Filter {
  if (text === undefined || text.trim() === '') return [];
  return readXmlParameter(text, (root) => {
    if (root.name !== 'Filters') throw unexpectedError();
    return childElements(root).map((filter) => {
      if (filter.name !== 'Filter') throw unexpectedError();
      return childElements(filter).map((field): FilterCondition => {
        const id = field.attr('FieldId')?.value;
        const op = field.attr('OperatorType')?.value ?? '';
        if (field.name !== 'Field' || !id || !/^\d{1,2}$/.test(op.trim())) throw unexpectedError();
        const operator = Number(op.trim());
        if (operator < 1 || operator > 15) throw unexpectedError();
        return { field: id, operator, value: field.content };
      });
    });
  });
}

function int(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const t = text.trim();
  if (!/^-?\d{1,10}$/.test(t)) throw unexpectedError();
  return Number(t);
}

/** The parameters of GetData / GetDataWithOptions → the REST GetRequest and the output options. */
export function parseSoapGetRequest(params: ReadonlyMap<string, string>): {
  request: GetRequest;
  options: GetOptions;
} {
  const options = new Map<string, string>();
  let orderBy: string | undefined;
  const optionsText = params.get('options');
  if (optionsText !== undefined && optionsText.trim() !== '') {
    readXmlParameter(optionsText, (root) => {
      for (const o of childElements(root)) {
        const name = o.name.toLowerCase();
        if (name === 'index') {
          orderBy = childElements(o)
            .map((f) => {
              const id = f.attr('FieldId')?.value;
              if (!id) throw unexpectedError();
              return f.attr('OperatorType')?.value.trim() === '0' ? `-${id}` : id;
            })
            .join(',');
        } else options.set(name, o.content.trim());
      }
    });
  }
  if ((options.get('outputmode') ?? '1') !== '1') throw unexpectedError();
  let skip = int(params.get('skip'));
  let take = int(params.get('take'));
  if (skip === undefined) skip = int(options.get('skip'));
  // skip -1 returns every row and leaves take unread.
  if (take !== undefined && take < 0 && skip !== -1) throw unexpectedError();
  if (take === undefined) {
    const t = int(options.get('take'));
    take = t === undefined ? 0 : t < 0 || t > OPTIONS_TAKE_CAP ? OPTIONS_TAKE_CAP : t;
  }
  // Below -1 counts as 0 (PracticalAfas observed it as 0 with a take, as "everything" without one).
  skip = skip === undefined ? 0 : skip < -1 ? (take > 0 ? 0 : -1) : skip;
  return {
    request: { skip, take, filter: parseFiltersXml(params.get('filtersXml')), orderBy },
    options: { metadata: options.get('metadata') === '1', includeEmpty: options.get('outputoptions') === '3' },
  };
}

/**
 * An XML name for a field id, as .NET's DataSet writes one (`XmlConvert.EncodeLocalName`): characters a name cannot
 * hold become `_xHHHH_`. Connector and field ids are normally plain names already.
 */
export function xmlName(id: string): string {
  let out = '';
  for (const [i, ch] of [...id].entries()) {
    const ok = i === 0 ? /[A-Za-z_]/.test(ch) : /[A-Za-z0-9_.-]/.test(ch);
    out += ok ? ch : `_x${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}_`;
  }
  return out;
}

/** The text of one cell in the XML result; undefined when empty. */
function cellXmlText(cell: Cell | undefined, f: GetFieldDef): string | undefined {
  if (cell === undefined || isEmptyCell(cell)) return undefined;
  switch (f.dataType) {
    case 'int':
    case 'decimal':
      return cell instanceof Decimal ? cell.text : (cellDecimal(cell) ?? String(cell));
    case 'boolean': {
      const b = cellBoolean(cell);
      return b === undefined ? String(cell) : String(b);
    }
    case 'date':
      return typeof cell === 'string' ? (normalizeLocalDateTime(cell) ?? cell) : String(cell);
    default:
      return cell instanceof Decimal ? cell.text : String(cell);
  }
}

/** Escapes a value; a carriage return is written `&#xD;` so it survives XML's line-end normalisation. */
function escapeValue(text: string): string {
  return escapeXml(text).replace(/\r/g, '&#xD;');
}

/** The `<AfasGetConnector>` string of GetData / GetDataWithOptions. */
export function renderGetXml(
  connectorId: string,
  rows: readonly Row[],
  fields: readonly GetFieldDef[],
  options: GetOptions,
): string {
  const rowName = xmlName(connectorId);
  const names = fields.map((f) => xmlName(f.id));
  let schema = '';
  if (options.metadata) {
    const columns = names.map((n) => `<xs:element name="${n}" type="xs:string" minOccurs="0"/>`).join('');
    schema =
      '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="AfasGetConnector"><xs:complexType>' +
      `<xs:choice maxOccurs="unbounded"><xs:element name="${rowName}"><xs:complexType><xs:sequence>${columns}` +
      '</xs:sequence></xs:complexType></xs:element></xs:choice></xs:complexType></xs:element></xs:schema>';
  }
  const body = rows
    .map((row) => {
      const cells = fields
        .map((f, i) => {
          const text = cellXmlText(row[f.id], f);
          if (text === undefined) return options.includeEmpty ? `<${names[i]} />` : '';
          return `<${names[i]}>${escapeValue(text)}</${names[i]}>`;
        })
        .join('');
      return `<${rowName}>${cells}</${rowName}>`;
    })
    .join('');
  return `<AfasGetConnector>${schema}${body}</AfasGetConnector>`;
}

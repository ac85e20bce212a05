/**
 * A `ProfitClient` is a connection (one environment, its cap and pool) plus one credential. Obtain one with
 * `connection.client(credential)`; it holds no state of its own, so creating one per request is cheap.
 */
import type { CallOptions, ProfitConnection, SendRequest, SendResponse } from './connection.js';
import type { Credential } from './credentials.js';
import { assertQueryFits, encodeGetQuery, resolvePaging, toQueryString } from './encode-query.js';
import { invalidArgument, ProfitError } from './errors.js';
import { collectFileStream, type FileDecoder, openFileBody, type ProfitFileStream } from './file-body.js';
import type { GetQuery } from './get-query.js';
import {
  type ColumnTypes,
  convertRow,
  type ExactReading,
  isGetResponse,
  jsonText,
  type ProfitRow,
  parseProfitJson,
  readProfitRows,
} from './json.js';
import {
  type GetConnectorMetainfo,
  IMAGE_FORMAT,
  type ImageFormat,
  isGetConnectorMetainfo,
  isMetainfo,
  isUpdateConnectorMetainfo,
  normalizeUpdateMetainfo,
  type ProfitFile,
  type ProfitMetainfo,
  type UpdateConnectorMetainfo,
} from './results.js';
import { AttachmentDecoder, getAttachmentCall } from './soap/attachment.js';
import type { SoapCall } from './soap/envelope.js';
import { getDataCall, readGetDataRows } from './soap/get-data.js';
import { inMetainfoOrder } from './soap/order.js';
import { readXmlSchema, xmlSchemaCall } from './soap/schema.js';
import { deleteElement, executeCall, readExecuteResult, withTopAction } from './soap/update.js';
import { hasControlCharacter } from './text.js';
import {
  type DeleteTarget,
  deletePath,
  parseUpdateResult,
  stringifyUpdateBody,
  toUpdateBody,
  type UpdateBody,
  type UpdateElement,
  type UpdateResult,
} from './update-body.js';
import { toUpdateXml } from './xml/update-xml.js';

/** What a GetConnector call returns. `skip`/`take` are those requested (Profit's echoed `take` is unreliable). */
export interface GetResult<Row = ProfitRow> {
  readonly skip: number;
  readonly take: number;
  /** At most `take` rows; fewer means the last page. */
  readonly rows: Row[];
  /**
   * Present when the call deferred the exact reading of some columns (`numbers.deferred`): reads their cells in
   * every row exactly, those of `column` when given, else all (each column once). Until then they hold
   * `JSON.parse`'s numbers.
   */
  readonly exact?: ExactReading;
}

export interface GetCallOptions extends CallOptions {
  /**
   * The columns to convert by their declared type (`datetime` → `Date`, `date` → `YYYY-MM-DD`); every other cell
   * stays as Profit sent it, text as text (see `fromRow`). @default {} (nothing converted)
   */
  readonly columns?: ColumnTypes;
  /**
   * `exact`: every number that is not a safe integer becomes a `ProfitDecimal` with Profit's digits
   * (`parseProfitJson`, which scans the whole text). `{ decimals }`: the caller names the columns it reads as
   * `decimal`; those, and any column holding a number that is not a safe integer, are read exactly, every other
   * number as `JSON.parse` reads it (`parseProfitRows`, much cheaper). Both give the same values to the columns
   * the caller reads by their declared type. `deferred` (some of `decimals`): columns whose exact reading waits
   * until the caller calls the result's `exact` (`readProfitRows`), skipped when it never reads them. @default 'exact'
   */
  readonly numbers?:
    | 'exact'
    | { readonly decimals: readonly string[]; readonly deferred?: ReadonlySet<string> | undefined };
}

export interface UpdateCallOptions extends CallOptions {
  /**
   * POST to a sub-object URL `/connectors/{Connector}/{SubObject}` (e.g. `KnSubjectAttachment`); the body still
   * starts at the main connector.
   */
  readonly subObject?: string;
  /**
   * The body's root object when it is not the connector id: AFAS's KnEmployee examples root the body at its main
   * object, `{"AfasEmployee": {"Element": …}}`. @default the connector id
   */
  readonly root?: string;
}

const CONNECTOR_ID = /^[A-Za-z0-9_.-]+$/;

function connectorSegment(id: string, what: string): string {
  if (typeof id !== 'string' || !CONNECTOR_ID.test(id) || id === '.' || id === '..') {
    invalidArgument(`${what} ${JSON.stringify(String(id))} is not a valid connector id (letters, digits, _ . -)`);
  }
  return id;
}

/**
 * A path segment for an id or file name: percent-encoded. `/` and `\` are refused because servers may decode
 * `%2F` before routing, which would let a value change the path.
 */
function idSegment(value: string | number | bigint, what: string): string {
  const text = String(value);
  if (text === '' || text === '.' || text === '..' || /[/\\]/.test(text) || hasControlCharacter(text)) {
    invalidArgument(`${what} must be a non-empty value without '/', '\\' or control characters`);
  }
  return encodeURIComponent(text);
}

export class ProfitClient {
  constructor(
    readonly connection: ProfitConnection,
    readonly credential: Credential,
    /** `CallOptions.tag` of every call that names none (`tagged`). */
    readonly tag?: unknown,
  ) {}

  /** The same client whose calls carry `tag` to the observer events (`CallOptions.tag`): one per request. */
  tagged(tag: unknown): ProfitClient {
    return new ProfitClient(this.connection, this.credential, tag);
  }

  /** The credential's fingerprint (sha256-based, non-reversible), for cache keys. */
  get fingerprint(): string {
    return this.credential.fingerprint;
  }

  toString(): string {
    return `ProfitClient(${this.connection.baseUrl}, ${String(this.credential)})`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }

  /**
   * Reads one page of a GetConnector. Refuses (kind `query-too-long`, no request) a query string over
   * `MAX_QUERY_STRING_LENGTH`. Always sort (`orderBy`) when paging, or pages are unstable. Cells are converted
   * only as `options.columns` declares: Profit's JSON does not say whether a string is text or a date.
   */
  async get<Row = ProfitRow>(
    connectorId: string,
    query: GetQuery = {},
    options: GetCallOptions = {},
  ): Promise<GetResult<Row>> {
    const path = `/connectors/${connectorSegment(connectorId, 'GetConnector')}`;
    if (this.connection.options.transport === 'soap') return this.#getSoap(connectorId, path, query, options);
    const { skip, take } = resolvePaging(query);
    const encoded = encodeGetQuery(query);
    assertQueryFits(encoded, { method: 'GET', path });
    const res = await this.#send({ method: 'GET', path, query: encoded.queryString, idempotent: true }, options);
    const { numbers } = options;
    let exact: ExactReading | undefined;
    const json = this.#json(
      res,
      'GET',
      path,
      numbers === undefined || numbers === 'exact'
        ? undefined
        : (text) => {
            const read = readProfitRows(text, numbers.decimals, numbers.deferred);
            exact = read.exact;
            return read.value;
          },
    );
    if (!isGetResponse(json)) throw invalidResponse('GET', path, 'expected {skip, take, rows: [...]}');
    // The parsed rows are this call's own: converted in place, not copied.
    const { columns } = options;
    const rowOptions =
      columns === undefined ? {} : { columns, convertDateTimes: this.connection.options.convertDateTimes };
    const rows = json.rows;
    // Converted cells are read exactly first.
    if (columns !== undefined && exact !== undefined) {
      exact();
      exact = undefined;
    }
    for (const r of rows) convertRow(r, rowOptions);
    return exact === undefined ? { skip, take, rows: rows as Row[] } : { skip, take, rows: rows as Row[], exact };
  }

  /**
   * `get` over SOAP: `GetDataWithOptions`, its XML rows typed by the GetConnector's field metainfo (read once per
   * connection, soap/get-data.ts), then converted as `options.columns` declares, as on REST. No query-string limit
   * applies: the filter travels in the body.
   */
  async #getSoap<Row>(
    connectorId: string,
    path: string,
    query: GetQuery,
    options: GetCallOptions,
  ): Promise<GetResult<Row>> {
    const { skip, take } = resolvePaging(query);
    const soap = getDataCall(connectorId, query);
    const fields = await this.connection.getConnectorFields(this, connectorId);
    const res = await this.#send({ method: 'GET', path, idempotent: true, soap }, options);
    let rows: Record<string, unknown>[];
    try {
      rows = readGetDataRows(res.text, connectorId, fields);
    } catch (cause) {
      throw invalidResponse('GET', path, 'expected a GetDataWithOptions result <AfasGetConnector>', cause, res.status);
    }
    const { columns } = options;
    const rowOptions =
      columns === undefined ? {} : { columns, convertDateTimes: this.connection.options.convertDateTimes };
    for (const r of rows) convertRow(r, rowOptions);
    return { skip, take, rows: rows as Row[] };
  }

  /**
   * The XSD of an UpdateConnector's XML body, as Profit gives it: the DataConnector's `GetXmlSchema` over SOAP
   * (soap/schema.ts), whatever `transport` says, since REST has no such call.
   */
  async xmlSchema(updateConnectorId: string, options: CallOptions = {}): Promise<string> {
    const id = connectorSegment(updateConnectorId, 'UpdateConnector');
    if (this.connection.options.soapBaseUrl === undefined) {
      invalidArgument('the XSD of an UpdateConnector is only served over SOAP: give the connection a soapBaseUrl');
    }
    const path = `/metainfo/update/${id}/xsd`;
    const res = await this.#send({ method: 'GET', path, idempotent: true, soap: xmlSchemaCall(id) }, options);
    const xsd = readXmlSchema(res.text);
    if (xsd === undefined)
      throw invalidResponse('GET', path, 'expected <AfasDataConnector> with a Schema', undefined, res.status);
    return xsd;
  }

  /**
   * Reads every page in turn (`take` rows each, from `query.skip`), stopping at the first short page.
   * Give an `orderBy` on a unique field, or rows may be skipped or repeated between pages.
   */
  async *getPages<Row = ProfitRow>(
    connectorId: string,
    query: GetQuery = {},
    options: GetCallOptions = {},
  ): AsyncGenerator<Row[], void, undefined> {
    const { skip, take } = resolvePaging(query);
    if (take <= 0) invalidArgument('getPages needs a positive take');
    for (let at = skip; ; at += take) {
      const page = await this.get<Row>(connectorId, { ...query, skip: at, take }, options);
      if (page.rows.length > 0) yield page.rows;
      if (page.rows.length < take) return;
    }
  }

  /** `GET /metainfo`: the Get- and UpdateConnectors this credential may use, and token info. */
  async metainfo(options: CallOptions = {}): Promise<ProfitMetainfo> {
    return (await this.#metainfo(undefined, options)).json as ProfitMetainfo;
  }

  /** `GET /metainfo/get/{id}`: the fields of a GetConnector. */
  async getConnectorMetainfo(connectorId: string, options: CallOptions = {}): Promise<GetConnectorMetainfo> {
    return (await this.#metainfo({ get: connectorId }, options)).json as GetConnectorMetainfo;
  }

  /** `GET /metainfo/update/{id}`: fields and sub-objects of an UpdateConnector. */
  async updateConnectorMetainfo(connectorId: string, options: CallOptions = {}): Promise<UpdateConnectorMetainfo> {
    const { json } = await this.#metainfo({ update: connectorId }, options);
    return normalizeUpdateMetainfo(json as UpdateConnectorMetainfo);
  }

  /**
   * One metainfo answer as Profit sent it: `/metainfo` without a target, else `/metainfo/get/{id}` or
   * `/metainfo/update/{id}`. Checked like `metainfo`, `getConnectorMetainfo` and `updateConnectorMetainfo`, but
   * returned as Profit's own text (nothing parsed into numbers, nothing filled in), for recording an environment
   * (see snapshot.ts).
   */
  async metainfoText(
    target?: { readonly get: string } | { readonly update: string },
    options: CallOptions = {},
  ): Promise<string> {
    return (await this.#metainfo(target, options)).text;
  }

  async #metainfo(
    target: { readonly get: string } | { readonly update: string } | undefined,
    options: CallOptions,
  ): Promise<{ text: string; json: unknown }> {
    let path = '/metainfo';
    let check: (json: unknown) => boolean = isMetainfo;
    let expected = '{getConnectors, updateConnectors, info}';
    if (target !== undefined) {
      path =
        'get' in target
          ? `/metainfo/get/${connectorSegment(target.get, 'GetConnector')}`
          : `/metainfo/update/${connectorSegment(target.update, 'UpdateConnector')}`;
      check = 'get' in target ? isGetConnectorMetainfo : isUpdateConnectorMetainfo;
      expected = '{name, fields: [...]}';
    }
    const res = await this.#send({ method: 'GET', path, idempotent: true }, options);
    const json = this.#json(res, 'GET', path);
    if (!check(json)) throw invalidResponse('GET', path, `expected ${expected}`);
    return { text: res.text, json };
  }

  /** `GET /ProfitVersion` → e.g. `"22.22.5"`. */
  async profitVersion(options: CallOptions = {}): Promise<string> {
    const path = '/ProfitVersion';
    const json = this.#json(await this.#send({ method: 'GET', path, idempotent: true }, options), 'GET', path);
    const version = typeof json === 'object' && json !== null ? (json as { version?: unknown }).version : undefined;
    if (typeof version !== 'string') throw invalidResponse('GET', path, 'expected {version}');
    return version;
  }

  /** POST: inserts records (never retried automatically). */
  insert(
    connectorId: string,
    elements: UpdateElement | readonly UpdateElement[],
    options: UpdateCallOptions = {},
  ): Promise<UpdateResult> {
    return this.#write('POST', connectorId, elements, options);
  }

  /** PUT: updates records identified by their keys; only the given fields change (never retried automatically). */
  update(
    connectorId: string,
    elements: UpdateElement | readonly UpdateElement[],
    options: UpdateCallOptions = {},
  ): Promise<UpdateResult> {
    return this.#write('PUT', connectorId, elements, options);
  }

  /**
   * DELETE: final. `delete('KnSubject', { SbId: 1 })`, `delete('HrAbsenceID', { Id: 5, EmId: 'E1' })`, or levels
   * for nested rows (see `deletePath`). Never retried automatically.
   */
  async delete(
    connectorId: string,
    keys: Readonly<Record<string, string | number | bigint>> | readonly DeleteTarget[],
    options: CallOptions = {},
  ): Promise<UpdateResult> {
    const path = deletePath(connectorId, keys);
    if (this.connection.options.transport === 'soap') {
      const { root, element } = deleteElement(connectorId, keys);
      return this.#execute('DELETE', path, connectorId, toUpdateBody(root, element), undefined, options);
    }
    return this.#updateResult(await this.#send({ method: 'DELETE', path, idempotent: false }, options), 'DELETE', path);
  }

  /** `GET /SubjectConnector/{subjectId}/{fileId}`: a dossier item attachment. Kind `not-found` if missing or not allowed. */
  async subjectAttachment(subjectId: string | number, fileId: string, options: CallOptions = {}): Promise<ProfitFile> {
    return collectFileStream(await this.openSubjectAttachment(subjectId, fileId, options));
  }

  /**
   * `subjectAttachment`, with the bytes read as Profit sends them (see `ProfitFileStream`). Over SOAP
   * (`transport: 'soap'`): `GetAttachment` (soap/attachment.ts), whose answer has no file name nor MIME type, so
   * the file comes without `fileName`, as `application/octet-stream`.
   */
  openSubjectAttachment(
    subjectId: string | number,
    fileId: string,
    options: CallOptions = {},
  ): Promise<ProfitFileStream> {
    const path = `/SubjectConnector/${idSegment(subjectId, 'subjectId')}/${idSegment(fileId, 'fileId')}`;
    if (this.connection.options.transport === 'soap') {
      const soap = getAttachmentCall(String(subjectId), String(fileId));
      return this.#openFile(path, '', options, { soap, decoder: new AttachmentDecoder() });
    }
    return this.#openFile(path, '', options);
  }

  /** `GET /ReportConnector/{reportId}` with GetConnector filter parameters (same encoding and length limit). */
  async report(reportId: string, query: Pick<GetQuery, 'filter'> = {}, options: CallOptions = {}): Promise<ProfitFile> {
    return collectFileStream(await this.openReport(reportId, query, options));
  }

  /**
   * `report`, with the bytes read as Profit sends them. Profit sends the report's `filedata` before its
   * `mimetype`, so the answer is read whole before the stream is handed out (`size` is then set).
   */
  async openReport(
    reportId: string,
    query: Pick<GetQuery, 'filter'> = {},
    options: CallOptions = {},
  ): Promise<ProfitFileStream> {
    const path = `/ReportConnector/${idSegment(reportId, 'reportId')}`;
    const encoded = encodeGetQuery(query, { paging: false });
    assertQueryFits(encoded, { method: 'GET', path });
    return this.#openFile(path, encoded.queryString, options);
  }

  /** `GET /FileConnector/{fileId}/{fileName}` (the file name is percent-encoded). */
  async file(fileId: string, fileName: string, options: CallOptions = {}): Promise<ProfitFile> {
    return collectFileStream(await this.openFile(fileId, fileName, options));
  }

  /** `file`, with the bytes read as Profit sends them. */
  openFile(fileId: string, fileName: string, options: CallOptions = {}): Promise<ProfitFileStream> {
    const path = `/FileConnector/${idSegment(fileId, 'fileId')}/${idSegment(fileName, 'fileName')}`;
    return this.#openFile(path, '', options);
  }

  /** `GET /ImageConnector/{imageId}?format=0|1|2` (original, thumbnail ≤ 64 px, medium ≤ 1000 px). */
  async image(
    imageId: string | number,
    format: ImageFormat | 0 | 1 | 2 = 'original',
    options: CallOptions = {},
  ): Promise<ProfitFile> {
    return collectFileStream(await this.openImage(imageId, format, options));
  }

  /** `image`, with the bytes read as Profit sends them. */
  openImage(
    imageId: string | number,
    format: ImageFormat | 0 | 1 | 2 = 'original',
    options: CallOptions = {},
  ): Promise<ProfitFileStream> {
    const code = typeof format === 'number' ? format : IMAGE_FORMAT[format];
    if (code !== 0 && code !== 1 && code !== 2) invalidArgument(`unknown image format ${JSON.stringify(format)}`);
    const path = `/ImageConnector/${idSegment(imageId, 'imageId')}`;
    return this.#openFile(path, toQueryString([['format', String(code)]]), options);
  }

  /**
   * One file call, read as it arrives: returns once the file's type is known (normally when `filedata` begins),
   * with the rest decoded while Profit sends it. Errors of the answer's tail fail `data` with a ProfitError.
   */
  async #openFile(
    path: string,
    query: string,
    options: CallOptions,
    over?: { readonly soap: SoapCall; readonly decoder: FileDecoder },
  ): Promise<ProfitFileStream> {
    const res = await this.connection.sendStream(
      this.credential,
      { method: 'GET', path, query, idempotent: true, ...(over !== undefined ? { soap: over.soap } : {}) },
      this.#tag(options),
    );
    const expected =
      over === undefined
        ? 'expected {mimetype, filedata (base64)}'
        : `expected a ${over.soap.operation}Result (base64)`;
    return openFileBody(
      res.body,
      res.fail,
      (message, cause) => invalidResponse('GET', path, `${expected}: ${message}`, cause, res.status),
      over?.decoder,
    );
  }

  async #write(
    method: 'POST' | 'PUT',
    connectorId: string,
    elements: UpdateElement | readonly UpdateElement[],
    options: UpdateCallOptions,
  ): Promise<UpdateResult> {
    const sub = options.subObject !== undefined ? `/${connectorSegment(options.subObject, 'sub-object')}` : '';
    const path = `/connectors/${connectorSegment(connectorId, 'UpdateConnector')}${sub}`;
    if (this.connection.options.transport === 'soap') {
      // The verb becomes the Action of every `Fields` that names none (soap/update.ts). A sub-object URL is REST's
      // routing: its body starts at the main connector, which is updated while its sub-objects are inserted, as REST
      // reads such a POST (unconfirmed for SOAP); `Execute` is given the main connector.
      const action = method === 'POST' ? 'insert' : 'update';
      const top = options.subObject !== undefined ? 'update' : action;
      const body = withTopAction(toUpdateBody(options.root ?? connectorId, elements), top);
      return this.#execute(method, path, connectorId, body, action, options);
    }
    const body = stringifyUpdateBody(toUpdateBody(options.root ?? connectorId, elements));
    const res = await this.#send(
      // Not idempotent: a write that timed out may have been executed, so it is never repeated automatically.
      { method, path, body, contentType: 'application/json; charset=utf-8', idempotent: false },
      options,
    );
    return this.#updateResult(res, method, path);
  }

  /**
   * A write over SOAP: `Execute` with the body's XML, its fields in the order of the connector's metainfo (read once
   * per connection: soap/order.ts), `action` on every `Fields` that names none, checked against the connector's XSD
   * before it is sent (`validateXml`). Never repeated automatically, as on REST.
   */
  async #execute(
    method: 'POST' | 'PUT' | 'DELETE',
    path: string,
    connectorId: string,
    body: UpdateBody,
    action: 'insert' | 'update' | undefined,
    options: CallOptions,
  ): Promise<UpdateResult> {
    const id = connectorSegment(connectorId, 'UpdateConnector');
    // The XML is built before any call, so a body XML cannot carry is refused without one.
    toUpdateXml(body, action === undefined ? {} : { action });
    const ordered = inMetainfoOrder(body, await this.connection.updateConnectorShape(this, id));
    const xml = toUpdateXml(ordered, action === undefined ? {} : { action });
    await this.connection.checkUpdateXml(this, id, xml);
    const soap = executeCall(id, xml);
    const res = await this.#send({ method, path, idempotent: false, soap }, options);
    const result = readExecuteResult(res.text);
    if (!result) throw invalidResponse(method, path, 'expected an Execute result <results>…</results> or nothing');
    return result;
  }

  #updateResult(res: SendResponse, method: string, path: string): UpdateResult {
    const json = res.text.trim() === '' ? undefined : this.#json(res, method, path);
    const result = parseUpdateResult(json);
    if (!result) throw invalidResponse(method, path, 'expected {results: {...}}');
    return result;
  }

  #send(req: SendRequest, options: CallOptions): Promise<SendResponse> {
    return this.connection.send(this.credential, req, this.#tag(options));
  }

  #tag(options: CallOptions): CallOptions {
    return this.tag === undefined || options.tag !== undefined ? options : { ...options, tag: this.tag };
  }

  #json(res: SendResponse, method: string, path: string, parse = parseProfitJson): unknown {
    try {
      return parse(res.body !== undefined ? jsonText(res.body) : res.text);
    } catch (cause) {
      throw invalidResponse(
        method,
        path,
        `the body is not valid JSON (${res.text.length} characters)`,
        cause,
        res.status,
      );
    }
  }
}

function invalidResponse(method: string, path: string, what: string, cause?: unknown, status?: number): ProfitError {
  return new ProfitError('invalid-response', `Profit ${method} ${path} answered with an unexpected body: ${what}`, {
    method,
    path,
    ...(status !== undefined ? { status } : {}),
    ...(cause !== undefined ? { cause } : {}),
  });
}

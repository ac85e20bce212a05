/**
 * The contract between the emulator's HTTP layer (server, auth, filter engine, faults, log) and the demo company
 * (data set, connector definitions, update handlers, files). The HTTP layer knows no connector by name; the company
 * knows nothing of HTTP. Both follow AFAS's documented shapes (metainfo fields, UpdateConnector bodies).
 */

/** Metainfo `dataType` values seen in Profit. */
export type DataType = 'string' | 'int' | 'decimal' | 'boolean' | 'date' | 'blob';

/**
 * An exact decimal. Profit writes decimals as JSON numbers (`-0.5` since Profit 7); the emulator keeps their text
 * so that no value passes through a float on the way out.
 */
export class Decimal {
  constructor(readonly text: string) {
    if (!/^-?\d+(\.\d+)?$/.test(text)) throw new Error(`not a decimal: ${text}`);
  }
  toString(): string {
    return this.text;
  }
}

/**
 * A stored cell. Dates and datetimes are stored as Amsterdam local time `YYYY-MM-DDTHH:mm:ss` (no zone): Profit
 * renders them with a misleading `Z`, and filter values arrive in that same local form without it.
 */
export type Cell = string | number | boolean | Decimal | null;
export type Row = Record<string, Cell>;

/** `GET /metainfo/get/{id}` field, as documented. */
export interface GetFieldDef {
  readonly id: string;
  readonly fieldId: string;
  readonly dataType: DataType;
  readonly label: string;
  readonly length: number;
  readonly controlType: number;
  readonly decimals: number;
  readonly decimalsFieldId: string;
}

export interface GetConnectorDef {
  readonly id: string;
  readonly description: string;
  readonly fields: readonly GetFieldDef[];
  /** Every row the connector's definition yields (before request filters), in storage order. */
  rows(store: CompanyStore): readonly Row[];
}

/** `GET /metainfo/update/{id}` field, as documented. */
export interface UpdateFieldDef {
  readonly fieldId: string;
  readonly primaryKey: boolean;
  readonly dataType: DataType;
  readonly label: string;
  readonly mandatory: boolean;
  readonly length: number;
  readonly decimals: number;
  readonly decimalFieldId: string;
  readonly notzero: boolean;
  readonly controlType: number;
  readonly values: readonly { readonly id: string; readonly description: string }[] | null;
}

export interface UpdateObjectDef {
  readonly name: string;
  readonly fields: readonly UpdateFieldDef[];
  readonly objects: readonly UpdateObjectDef[];
}

/**
 * One `Element` of an UpdateConnector body after parsing: `@`-keys, `Fields`, and nested objects by name.
 * The HTTP layer has validated every field against the metainfo and converted values to stored cell types:
 * string → string, int → number, decimal → Decimal, boolean → boolean, date → `YYYY-MM-DDTHH:mm:ss` (local),
 * blob → base64 string; `""`/`null` → `null` ("clear the field"). A field absent from `fields` is unchanged.
 * `@`-keys named in the metainfo are converted likewise; others are passed on as sent.
 */
export interface UpdateElement {
  readonly keys: Readonly<Record<string, unknown>>;
  readonly fields: Readonly<Record<string, unknown>>;
  /** `Fields['@Action']` when given: insert | update | delete. */
  readonly action?: string;
  readonly objects: Readonly<Record<string, readonly UpdateElement[]>>;
}

/** The languages the emulator's messages are written in (`Accept-Language`, see src/emulator/language.ts). */
export type Language = 'nl' | 'en';

/** One message in every language the emulator speaks. */
export type Texts = Readonly<Record<Language, string>>;

/**
 * A functional rejection, answered as HTTP 500 with `externalMessage`, `errorNumber` and `profitLogReference`.
 * The message is given in Dutch and English (`Texts`); a plain string is a text not yet translated, answered as is
 * in every language. `externalMessage` (and the Error's `message`) is the Dutch text: the demo environment's
 * language, which Profit answers in when no `Accept-Language` asks otherwise.
 */
export class ProfitRejection extends Error {
  readonly texts: Texts;

  constructor(
    text: string | Texts,
    readonly errorNumber = -2147220469,
  ) {
    const texts = typeof text === 'string' ? { nl: text, en: text } : text;
    super(texts.nl);
    this.texts = texts;
  }

  get externalMessage(): string {
    return this.texts.nl;
  }

  /** The message in `language`. */
  in(language: Language): string {
    return this.texts[language];
  }
}

export type UpdateMethod = 'POST' | 'PUT' | 'DELETE';

export interface UpdateConnectorDef extends UpdateObjectDef {
  readonly id: string;
  readonly description: string;
  /** Methods this connector allows on its main object; others answer as Profit does for an unsupported call. */
  readonly methods: readonly UpdateMethod[];
  /**
   * Content rules beyond metainfo (BSN 11-test, country code, existing references…). Throw ProfitRejection.
   * Called after the generic metainfo validation (mandatory, length, type, enumeration) passed for every element.
   */
  check?(method: UpdateMethod, elements: readonly UpdateElement[], store: CompanyStore): void;
  /**
   * Apply the validated elements to the store. All elements of one call form one transaction: the HTTP layer
   * snapshots the store and restores it if apply throws. Returns the `results` object's value for this connector,
   * e.g. `{ SbId: "999999" }` (one element) — for several elements, the last element's keys.
   * `subObject` is set for `POST /connectors/{Connector}/{SubObject}`.
   */
  apply(
    method: UpdateMethod,
    elements: readonly UpdateElement[],
    store: CompanyStore,
    subObject?: string,
  ): Record<string, string>;
  /**
   * DELETE `/connectors/{id}/{object}/@K1,@K2/{v1},{v2}`: keys by field id, values as strings from the URL.
   * For a nested row (`…/{object}/KEYS/VALUES/{subobject}/@K/{v}`, e.g. FiEntries) `object`/`keys` name the
   * innermost row and `parents` the outer ones, outermost first; absent or empty for a plain delete.
   */
  remove?(
    object: string,
    keys: Readonly<Record<string, string>>,
    store: CompanyStore,
    parents?: readonly { readonly object: string; readonly keys: Readonly<Record<string, string>> }[],
  ): void;
}

export interface StoredFile {
  readonly fileName: string;
  readonly mimeType: string;
  readonly data: Buffer;
}

/** The mutable state of the demo company. Opaque to the HTTP layer except through these members. */
export interface CompanyStore {
  /** A deep copy, for rolling back a failed UpdateConnector call. */
  snapshot(): unknown;
  restore(snapshot: unknown): void;
  /** Attachment of a dossier item (SubjectConnector): undefined when absent. */
  subjectFile(subjectId: string, fileId: string): StoredFile | undefined;
  /** FileConnector file: undefined when absent. */
  file(fileId: string, fileName: string): StoredFile | undefined;
  /** ImageConnector: format 0 original, 1 thumbnail (≤64 px), 2 medium (≤1000 px). */
  image(imageId: string, format: 0 | 1 | 2): StoredFile | undefined;
}

export interface ReportDef {
  readonly id: string;
  readonly description: string;
  /** The GetConnector whose rows the report renders, filtered by the request's filter parameters. */
  readonly source: string;
  /** Renders the (already filtered) rows to a file, e.g. a PDF. */
  render(rows: readonly Row[]): StoredFile;
}

/** What an app connector grants. Field-level restrictions model an app connector given a narrower GetConnector. */
export interface AppConnectorDef {
  readonly id: string;
  readonly appName: string;
  /** GetConnector id → field ids withheld from this app connector (absent from metainfo and rows). */
  readonly getConnectors: Readonly<Record<string, readonly string[]>>;
  readonly updateConnectors: readonly string[];
  /** The special connectors (AppConnectorSubject etc.). */
  readonly subjectConnector: boolean;
  readonly reportConnector: boolean;
  readonly fileConnector: boolean;
  readonly imageConnector: boolean;
  readonly users: readonly DemoUser[];
  /** OAuth 2 client credentials for this app connector. */
  readonly oauthClients: readonly { readonly clientId: string; readonly clientSecret: string; readonly user: string }[];
}

export interface DemoUser {
  /** Stable name used in tests and printed by `npm run emulator`, e.g. `admin`, `hr`, `portal`. */
  readonly name: string;
  readonly description: string;
  /** The 64 hex characters of the token's `<data>`. */
  readonly tokenData: string;
  /** Profit user id, e.g. `12345.admin`. */
  readonly userId: string;
}

export interface CompanyOptions {
  /** @default 20261124 */
  readonly seed?: number;
  /** Multiplies the number of rows; 1 is the small demo company. @default 1 */
  readonly scale?: number;
}

export interface Company {
  readonly envId: string;
  readonly profitVersion: string;
  readonly store: CompanyStore;
  readonly getConnectors: ReadonlyMap<string, GetConnectorDef>;
  readonly updateConnectors: ReadonlyMap<string, UpdateConnectorDef>;
  readonly reports: ReadonlyMap<string, ReportDef>;
  readonly appConnectors: readonly AppConnectorDef[];
  /**
   * Answers a metainfo request itself, e.g. verbatim from a snapshot of a real environment (src/emulator/profile);
   * `undefined` (or no hook, as for the demo company) lets the HTTP layer build the answer from the definitions.
   * Called only after the grant check, with the caller's app connector.
   */
  metainfo?(request: MetainfoRequest, app: AppConnectorDef): unknown;
}

/** `GET /metainfo` (root), `/metainfo/get/{id}` or `/metainfo/update/{id}`; `id` as the company spells it. */
export type MetainfoRequest = { readonly kind: 'root' } | { readonly kind: 'get' | 'update'; readonly id: string };

/** Implemented by `src/emulator/company/index.ts`. */
export type CreateCompany = (options?: CompanyOptions) => Company;

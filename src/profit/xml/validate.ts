/**
 * XSD validation of UpdateConnector XML bodies before they are sent: libxml2 compiled to WebAssembly
 * (libxml2-wasm), so no native build. Every violation is reported with its path (`/KnPerson/Element/Fields/FiNm`,
 * `/KnSubject/Element/@SbId` for an attribute), its line and libxml2's message, in one `XmlSchemaError`: a
 * `ProfitError` of kind `invalid-argument` (nothing was sent), which the GraphQL layer answers with BAD_USER_INPUT
 * and the violations as `issues` (src/graphql/errors.ts).
 *
 * An XSD compiles once per UpdateConnector and environment (`XsdCache`, bounded): compiling is the expensive part,
 * validating a body is cheap. libxml2's objects live in WebAssembly memory, which JavaScript's collector does not
 * free: every document is disposed after use, and a compiled XSD when the cache lets go of it.
 *
 * XXE: the body is parsed with XML_PARSE_NONET | XML_PARSE_NO_XXE and a DOCTYPE is refused before parsing, so no
 * entity is expanded and nothing is fetched.
 */
import { ParseOption, XmlDocument, XmlLibError, XsdValidator } from 'libxml2-wasm';
import { ProfitError } from '../errors.js';
import { refuseDoctype } from './update-xml.js';

/** One way a body breaks its XSD. */
export interface XsdViolation {
  /** Where: the element's path, with `/@Name` for an attribute; `/` when the XML could not be read at all. */
  readonly path: string;
  /** 1-based line in the body; 0 when libxml2 gives none. */
  readonly line: number;
  /** libxml2's message, without the element name the path already gives. */
  readonly message: string;
}

/** A body refused against its XSD before sending; `violations` lists every one found. */
export class XmlSchemaError extends ProfitError {
  constructor(
    readonly connector: string,
    readonly violations: readonly XsdViolation[],
  ) {
    const first = violations[0];
    const more = violations.length > 1 ? ` (and ${violations.length - 1} more)` : '';
    super('invalid-argument', `the XML body of ${connector} breaks its XSD: ${first?.path}: ${first?.message}${more}`, {
      requestSent: false,
    });
  }
}

const SAFE_PARSE = ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE;

/** libxml2 names the element (and attribute) the path already locates: `Element 'FiNm', attribute 'X': …`. */
const SUBJECT = /^Element '[^']*'(?:, attribute '([^']*)')?: /;

function violationsOf(error: unknown): XsdViolation[] {
  if (!(error instanceof XmlLibError)) throw error;
  return error.details.map((d) => {
    const text = d.message.trim();
    const subject = SUBJECT.exec(text);
    const attribute = subject?.[1];
    const path = d.xpath === undefined ? '/' : attribute === undefined ? d.xpath : `${d.xpath}/@${attribute}`;
    return { path, line: d.line, message: subject ? text.slice(subject[0].length) : text };
  });
}

/** An UpdateConnector's XSD, compiled. Dispose it when done (`XsdCache` does so for the ones it holds). */
export class CompiledXsd {
  private disposed = false;

  private constructor(
    readonly connector: string,
    private readonly validator: XsdValidator,
  ) {}

  /**
   * Compiles an XSD's text. Throws a ProfitError (`invalid-response`: the XSD Profit or a file gave is unusable)
   * naming `connector` when it is not a usable XSD.
   */
  static compile(connector: string, xsd: string): CompiledXsd {
    let doc: XmlDocument | undefined;
    try {
      refuseDoctype(xsd);
      doc = XmlDocument.fromString(xsd.replace(/^\uFEFF/, ''), { option: SAFE_PARSE });
      return new CompiledXsd(connector, XsdValidator.fromDoc(doc));
    } catch (error) {
      const detail = error instanceof XmlLibError ? violationsOf(error)[0]?.message : (error as Error).message;
      throw new ProfitError('invalid-response', `the XSD of ${connector} is not a usable XML schema: ${detail}`, {
        requestSent: false,
      });
    } finally {
      // The validator keeps what it needs of the schema document.
      doc?.dispose();
    }
  }

  /** Every violation of `xml` against this XSD; empty when it is valid. */
  violations(xml: string): XsdViolation[] {
    if (this.disposed) throw new Error(`the compiled XSD of ${this.connector} was disposed`);
    const text = xml.replace(/^\uFEFF/, '');
    if (/<!DOCTYPE/i.test(text)) {
      return [{ path: '/', line: 0, message: 'a DOCTYPE is refused (no DTD is read)' }];
    }
    let doc: XmlDocument;
    try {
      doc = XmlDocument.fromString(text, { option: SAFE_PARSE });
    } catch (error) {
      return violationsOf(error).map((v) => ({ ...v, message: `not well-formed: ${v.message}` }));
    }
    try {
      this.validator.validate(doc);
      return [];
    } catch (error) {
      return violationsOf(error);
    } finally {
      doc.dispose();
    }
  }

  /** Throws an `XmlSchemaError` listing every violation unless `xml` is valid. */
  check(xml: string): void {
    const found = this.violations(xml);
    if (found.length > 0) throw new XmlSchemaError(this.connector, found);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.validator.dispose();
  }
}

/** Reads the XSD text of an UpdateConnector in an environment (GetXmlSchema, or generated from metainfo). */
export type XsdLoader = (environment: string, connector: string) => Promise<string>;

export interface XsdCacheOptions {
  /** How an XSD not held is read; `check` may give its own. */
  readonly load?: XsdLoader;
  /** Compiled XSDs kept, over all environments; the least recently used goes first. @default 100 */
  readonly maxEntries?: number;
}

/**
 * Compiled XSDs per environment and UpdateConnector, least recently used first out. `environment` is any stable
 * name of the environment (its id or base URL), never a credential. Concurrent requests for one XSD share its
 * load; a failed load is not kept, so the next request tries again.
 */
export class XsdCache {
  private readonly entries = new Map<string, Promise<CompiledXsd>>();
  private readonly maxEntries: number;

  constructor(private readonly options: XsdCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 100;
    if (!Number.isInteger(this.maxEntries) || this.maxEntries < 1) {
      throw new RangeError(`XsdCache maxEntries must be a positive integer, got ${options.maxEntries}`);
    }
  }

  /** The number of XSDs held (loading or compiled). */
  get size(): number {
    return this.entries.size;
  }

  /**
   * The compiled XSD, loading it on first use. Private: a compiled XSD is disposed when it is evicted, so callers
   * use it only within `check`, in the same turn in which it resolves.
   */
  private compiled(environment: string, connector: string, load: XsdLoader | undefined): Promise<CompiledXsd> {
    // Profit compares connector ids without regard to case.
    const key = `${environment}\u0000${connector.toLowerCase()}`;
    const held = this.entries.get(key);
    if (held !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, held);
      return held;
    }
    if (load === undefined) throw new Error('XsdCache: no load function for an XSD not held');
    const loading = load(environment, connector).then((xsd) => CompiledXsd.compile(connector, xsd));
    this.entries.set(key, loading);
    loading.catch(() => {
      if (this.entries.get(key) === loading) this.entries.delete(key);
    });
    while (this.entries.size > this.maxEntries) {
      const [oldest, evicted] = this.entries.entries().next().value as [string, Promise<CompiledXsd>];
      this.entries.delete(oldest);
      // Disposed after the callers already waiting on it (their continuations were queued first): `check` validates
      // synchronously as soon as its XSD resolves, so no caller uses a disposed validator.
      evicted.then(
        (x) => x.dispose(),
        () => undefined,
      );
    }
    return loading;
  }

  /**
   * Validates `xml` against the connector's XSD, read with `load` when not held; throws an `XmlSchemaError` listing
   * every violation.
   */
  async check(environment: string, connector: string, xml: string, load = this.options.load): Promise<void> {
    (await this.compiled(environment, connector, load)).check(xml);
  }

  /** Frees every compiled XSD. */
  async clear(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    for (const settled of await Promise.allSettled(all)) {
      if (settled.status === 'fulfilled') settled.value.dispose();
    }
  }
}

/** `xml` indented for reading (an XSD printed by the CLI); the text as it is when it is not well-formed. */
export function prettyXml(xml: string): string {
  let doc: XmlDocument | undefined;
  try {
    refuseDoctype(xml);
    doc = XmlDocument.fromString(xml.replace(/^\uFEFF/, ''), { option: SAFE_PARSE });
    return doc.toString({ format: true, noDeclaration: true }).trimEnd();
  } catch {
    return xml;
  } finally {
    doc?.dispose();
  }
}

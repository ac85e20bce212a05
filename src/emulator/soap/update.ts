/**
 * `AppConnectorUpdate.Execute`: an XML body validated against the connector's XSD (xsd.ts), then turned into the
 * JSON body shape of the REST UpdateConnector and run through the same parsing and validation
 * (update-connector.ts) and the company's same `check`/`apply`/`remove`.
 *
 * XML form (profit-api.md; MegaChriz/afasprofit `resources/XMLSchema/*.xsd`):
 * `<KnSubject><Element SbId="1"><Fields Action="insert"><Ds>…</Ds></Fields><Objects><KnSubjectLink><Element>…`.
 * Key attributes become `@`-keys, `Fields`' children fields, `xsi:nil="true"` a cleared field (null), `Objects`
 * the nested objects. Each top-level Element is run as its Action says: insert as the REST POST, update as PUT,
 * delete as the REST DELETE of that key; an Element without Fields as an update (unconfirmed). All Elements of one
 * call are one transaction: the store is restored when any of them fails (as for the REST call's elements).
 *
 * The result is `<results><{connectorId}><{key}>…</{key}></{connectorId}>…</results>`, one entry per Element that
 * produced keys, empty when none did (MegaChriz/afasprofit `tests/resources/UpdateConnector/ExecuteResponse*.xml`).
 */
import { XmlDocument, type XmlElement, XsdValidator } from 'libxml2-wasm';
import {
  type CompanyStore,
  ProfitRejection,
  type UpdateConnectorDef,
  type UpdateElement,
  type UpdateMethod,
} from '../company/types.js';
import { parseUpdateBody } from '../update-connector.js';
import { childElements, DOCTYPE, escapeXml, parseRequestXml } from './envelope.js';
import { generateUpdateXsd } from './xsd.js';

const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

/** The error number of the emulator's XSD refusal (Profit's generic number; unconfirmed). */
const INVALID_XML_NUMBER = -2147180999;

/** One violation of the XSD: where and what. */
export interface XsdViolation {
  readonly xpath: string;
  readonly message: string;
}

/** A body the XSD refuses, each violation with its xpath; nothing has been written. */
export class XmlBodyRejection extends ProfitRejection {
  constructor(
    connectorId: string,
    readonly violations: readonly XsdViolation[],
  ) {
    const list = violations.map((v) => `${v.xpath}: ${v.message}`).join('; ');
    super(
      {
        nl: `De XML voldoet niet aan het schema van UpdateConnector '${connectorId}': ${list}`,
        en: `The XML does not match the schema of UpdateConnector '${connectorId}': ${list}`,
      },
      INVALID_XML_NUMBER,
    );
  }
}

function notWellFormed(connectorId: string, message: string): XmlBodyRejection {
  return new XmlBodyRejection(connectorId, [{ xpath: '/', message }]);
}

/** A validated XML body: its root's name and its top-level Elements in the REST body's JSON shape. */
export interface XmlBody {
  readonly root: string;
  readonly elements: readonly Record<string, unknown>[];
}

/**
 * Validates `dataXml` against the XSD of `def` (rooted at the connector's main object or at its id, as REST
 * accepts both) and returns its Elements in the JSON shape. Throws XmlBodyRejection.
 */
export function readXmlBody(def: UpdateConnectorDef, dataXml: string): XmlBody {
  // A body is plain data: no DTD, so no entities to expand or to fetch (unconfirmed: Profit's own answer).
  if (DOCTYPE.test(dataXml)) throw notWellFormed(def.id, 'a document type declaration is not allowed');
  let doc: XmlDocument;
  try {
    doc = parseRequestXml(dataXml);
  } catch (e) {
    throw notWellFormed(def.id, e instanceof Error ? e.message.trim() : 'not well-formed XML');
  }
  try {
    const root = doc.root.name;
    const rootName = root === def.id ? def.id : def.name;
    const schema = XmlDocument.fromString(generateUpdateXsd(def, { rootName }));
    const validator = XsdValidator.fromDoc(schema);
    try {
      validator.validate(doc);
    } catch (e) {
      const details = (e as { details?: { xpath?: string; message: string }[] }).details ?? [];
      throw new XmlBodyRejection(
        def.id,
        details.map((d) => ({ xpath: d.xpath ?? '/', message: d.message.trim() })),
      );
    } finally {
      validator.dispose();
      schema.dispose();
    }
    return { root, elements: childElements(doc.root).map(elementJson) };
  } finally {
    doc.dispose();
  }
}

function elementJson(el: XmlElement): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of el.attrs) if (a.namespaceUri === '') out[`@${a.name}`] = a.value;
  for (const child of childElements(el)) {
    if (child.name === 'Fields') {
      const fields: Record<string, unknown> = {};
      const action = child.attr('Action');
      if (action) fields['@Action'] = action.value;
      for (const f of childElements(child)) {
        fields[f.name] = isNil(f) ? null : f.content;
      }
      out.Fields = fields;
    } else if (child.name === 'Objects') {
      out.Objects = childElements(child).map((o) => ({ [o.name]: { Element: childElements(o).map(elementJson) } }));
    }
  }
  return out;
}

function isNil(f: XmlElement): boolean {
  return f.attrs.some((a) => a.namespaceUri === XSI_NS && a.name === 'nil' && (a.value === 'true' || a.value === '1'));
}

/** The REST method an Element's Action stands for. */
function methodOf(element: Record<string, unknown>): 'insert' | 'update' | 'delete' {
  const fields = element.Fields as Record<string, unknown> | undefined;
  const action = fields?.['@Action'];
  return action === 'insert' || action === 'delete' ? action : 'update';
}

function unsupported(def: UpdateConnectorDef, method: string): ProfitRejection {
  return new ProfitRejection({
    nl: `UpdateConnector '${def.id}' ondersteunt geen ${method}.`,
    en: `UpdateConnector '${def.id}' does not support ${method}.`,
  });
}

/** The keys of a top-level Element to delete, as the REST DELETE URL would carry them: key fields, as sent. */
function deleteKeys(
  def: UpdateConnectorDef,
  element: UpdateElement,
  raw: Record<string, unknown>,
): Record<string, string> {
  const keys: Record<string, string> = {};
  const fields = (raw.Fields ?? {}) as Record<string, unknown>;
  for (const f of def.fields.filter((d) => d.primaryKey)) {
    const value = raw[`@${f.fieldId}`] ?? fields[f.fieldId];
    if (typeof value === 'string') keys[f.fieldId] = value;
  }
  // Keys the metainfo does not list are passed on as sent, as the REST body parser does.
  for (const [k, v] of Object.entries(element.keys)) if (!(k in keys) && typeof v === 'string') keys[k] = v;
  return keys;
}

/**
 * Runs the validated body against the store: every top-level Element as its Action says, in order, in one
 * transaction. Returns the `<results>` XML ('' when no Element produced keys).
 */
export function executeXmlBody(def: UpdateConnectorDef, body: XmlBody, store: CompanyStore): string {
  const snapshot = store.snapshot();
  const results: Record<string, string>[] = [];
  try {
    for (const raw of body.elements) {
      const action = methodOf(raw);
      const method: UpdateMethod = action === 'insert' ? 'POST' : 'PUT';
      const [element] = parseUpdateBody({ [body.root]: { Element: raw } }, def.id, def, method);
      if (!element) continue;
      if (action === 'delete') {
        if (!def.methods.includes('DELETE') || !def.remove) throw unsupported(def, 'DELETE');
        def.remove(def.name, deleteKeys(def, element, raw), store, []);
        continue;
      }
      if (!def.methods.includes(method)) throw unsupported(def, method);
      def.check?.(method, [element], store);
      results.push(def.apply(method, [element], store));
    }
  } catch (e) {
    store.restore(snapshot);
    throw e;
  }
  const entries = results
    .filter((r) => Object.keys(r).length > 0)
    .map(
      (r) =>
        `<${def.id}>${Object.entries(r)
          .map(([k, v]) => `<${k}>${escapeXml(v)}</${k}>`)
          .join('')}</${def.id}>`,
    );
  return entries.length === 0 ? '' : `<?xml version="1.0"?>\n<results>${entries.join('')}</results>\n`;
}

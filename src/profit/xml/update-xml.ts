/**
 * The XML form of an UpdateConnector body (what SOAP `Execute` carries in `dataXml`), built from and read into
 * exactly the element model of the JSON body (update-body.ts). Pure.
 *
 * ```xml
 * <KnSubject xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 *   <Element SbId="1"><Fields Action="update"><Ds>Onderwerp</Ds><St xsi:nil="true"/></Fields>
 *     <Objects><KnSubjectLink><Element><Fields><DoCRM>1</DoCRM></Fields></Element></KnSubjectLink></Objects>
 *   </Element>
 * </KnSubject>
 * ```
 *
 * The mapping (shape from /work/shared/profit-api.md "XML form"; null as `xsi:nil`, booleans as 0/1 and the xsi
 * declaration on the root follow PracticalAfas `UpdateObject::outputXml`, a client that sends this XML to Profit):
 * - `"@Key": v` on an element → attribute `Key="v"`; `"@Action"` in `Fields` → attribute `Action` of `<Fields>`;
 * - `Element` as an object → one `<Element>`, as an array → one `<Element>` per item (and back: one `<Element>`
 *   reads as an object, several as an array, as `toUpdateBody` builds them);
 * - `Objects: [{ Name: { Element } }, …]` → `<Objects><Name>…</Name>…</Objects>`, in order;
 * - `""` (clears a field) and `null` → `xsi:nil="true"`, which reads back as `""`. Profit's XML has one way to clear
 *   a field: its XSDs give every text `minLength 1` and type numbers, so an empty element is refused, and a field
 *   that may be cleared is `nillable` (MegaChriz/afasprofit `resources/XMLSchema/*.xsd`, as src/emulator/soap/xsd.ts
 *   generates them). The model never sends `null` (an input's null becomes `""`, graphql/write/element.ts), so its
 *   bodies round-trip exactly; that REST reads `null` as a clear too is unconfirmed;
 * - `true`/`false` → `1`/`0`; numbers, `bigint` and `ProfitDecimal` in plain decimal notation (never an exponent,
 *   which xs:decimal refuses).
 *
 * XML text carries no type, so reading a value back follows the field's declared `dataType` in the connector's
 * update metainfo (int → number, or bigint beyond 2^53; decimal → ProfitDecimal; boolean → boolean; string and
 * date → the text), never the shape of the text. Without metainfo, or for a field it does not declare, values stay
 * text.
 *
 * Safety: a DOCTYPE is refused (no DTD, no entity expansion, so no XXE and no entity bombs); only XML's five
 * predefined entities and character references are decoded; text XML 1.0 cannot carry (control characters, lone
 * surrogates) is refused rather than altered. `\r`, and tabs/newlines in attributes, are written as character
 * references, since an XML parser would otherwise normalise them away (Profit 7 writes `&#xD;` itself:
 * news-profit7.md).
 */
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { formatPlainNumber, ProfitDecimal } from '../decimal.js';
import { invalidArgument, isRecord } from '../errors.js';
import type { UpdateConnectorField, UpdateConnectorMetainfo, UpdateConnectorObject } from '../results.js';
import type { UpdateBody } from '../update-body.js';
import { escapeAttribute, escapeText, hasNonXmlCharacter, refuseDoctype } from './text.js';

export { hasNonXmlCharacter, refuseDoctype } from './text.js';

export const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';

export interface ToUpdateXmlOptions {
  /** Start with `<?xml version="1.0" encoding="utf-8"?>` (a file; SOAP's `dataXml` goes without). @default false */
  readonly declaration?: boolean;
  /**
   * The `Action` written on every `Fields` whose JSON has no `@Action`. SOAP's `Execute` needs one on each (Profit's
   * XSDs declare it `use="required"`), where REST infers it from the method (POST inserts, PUT updates).
   * @default none: only the body's own `@Action`s, so the XML reads back to the same body
   */
  readonly action?: 'insert' | 'update' | 'delete';
}

export interface FromUpdateXmlOptions {
  /**
   * The connector's update metainfo (`GET /metainfo/update/{id}`): types each value by its field's `dataType`.
   * @default none: every value stays text
   */
  readonly metainfo?: UpdateConnectorMetainfo;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

type Node = Record<string, unknown>;

function checkName(name: string, where: string): void {
  if (!NAME.test(name)) invalidArgument(`${where}: ${JSON.stringify(name)} is not a valid Profit name`);
}

/** A body value as XML text; `undefined` for null (written as xsi:nil). */
function valueText(value: unknown, where: string): string | undefined {
  if (value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof ProfitDecimal) return value.text;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) invalidArgument(`${where} must be a finite number, got ${value}`);
    return formatPlainNumber(value);
  }
  return invalidArgument(`${where}: ${typeof value} is not a value an UpdateConnector field takes`);
}

type Action = ToUpdateXmlOptions['action'];

function buildElement(element: unknown, path: string, action: Action): Node {
  if (!isRecord(element)) invalidArgument(`${path} must be an object`);
  const attributes: Record<string, string> = {};
  const children: Node[] = [];
  for (const [key, value] of Object.entries(element)) {
    if (key.startsWith('@')) {
      const name = key.slice(1);
      checkName(name, `${path} key`);
      const text = valueText(value, `${path}/@${name}`);
      if (text === undefined) invalidArgument(`${path}/@${name}: a key attribute cannot be null in XML`);
      attributes[name] = escapeAttribute(text, `${path}/@${name}`);
    } else if (key === 'Fields') {
      children.push(buildFields(value, `${path}/Fields`, action));
    } else if (key === 'Objects') {
      children.push({ Objects: buildObjects(value, `${path}/Objects`, action) });
    } else {
      invalidArgument(`${path}: unexpected ${JSON.stringify(key)} (an element has @-keys, Fields and Objects)`);
    }
  }
  return { Element: children, ...(Object.keys(attributes).length > 0 ? { ':@': attributes } : {}) };
}

function buildFields(fields: unknown, path: string, action: Action): Node {
  if (!isRecord(fields)) invalidArgument(`${path} must be an object`);
  const attributes: Record<string, string> = {};
  if (action !== undefined && !('@Action' in fields)) attributes.Action = action;
  const children: Node[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (key.startsWith('@')) {
      const name = key.slice(1);
      checkName(name, `${path} attribute`);
      const text = valueText(value, `${path}/@${name}`);
      if (text === undefined) invalidArgument(`${path}/@${name}: an attribute cannot be null in XML`);
      attributes[name] = escapeAttribute(text, `${path}/@${name}`);
      continue;
    }
    checkName(key, `${path} field`);
    const text = valueText(value, `${path}/${key}`);
    children.push(
      text === undefined || text === ''
        ? { [key]: [], ':@': { 'xsi:nil': 'true' } }
        : { [key]: [{ '#text': escapeText(text, `${path}/${key}`) }] },
    );
  }
  return { Fields: children, ...(Object.keys(attributes).length > 0 ? { ':@': attributes } : {}) };
}

function buildObjects(objects: unknown, path: string, action: Action): Node[] {
  // The JSON body's form is an array of one-key objects; an object of several keys is read in its key order.
  const entries = Array.isArray(objects)
    ? objects.flatMap((o, i) => {
        if (!isRecord(o)) invalidArgument(`${path}[${i}] must be an object`);
        return Object.entries(o);
      })
    : isRecord(objects)
      ? Object.entries(objects)
      : invalidArgument(`${path} must be an array of sub-objects`);
  return entries.map(([name, sub]) => {
    checkName(name, `${path} sub-object`);
    return { [name]: buildElements(sub, `${path}/${name}`, action) };
  });
}

function buildElements(object: unknown, path: string, action: Action): Node[] {
  if (!isRecord(object) || !('Element' in object) || Object.keys(object).length !== 1) {
    invalidArgument(`${path} must be { Element: … }`);
  }
  const { Element } = object;
  const list = Array.isArray(Element) ? Element : [Element];
  if (list.length === 0) invalidArgument(`${path}: no elements`);
  return list.map((e, i) => buildElement(e, list.length > 1 ? `${path}/Element[${i + 1}]` : `${path}/Element`, action));
}

const BUILDER = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  // Values are escaped above (escapeText/escapeAttribute), with the character references the builder does not write.
  processEntities: false,
  suppressEmptyNode: true,
  format: false,
});

/**
 * The XML of a JSON UpdateConnector body (`toUpdateBody`'s result). Refuses (`invalid-argument`) a body that is not
 * in that shape, a null key attribute, and text XML cannot carry. Pure.
 */
export function toUpdateXml(body: UpdateBody, options: ToUpdateXmlOptions = {}): string {
  const roots = isRecord(body) ? Object.entries(body) : [];
  if (roots.length !== 1) invalidArgument('an UpdateConnector body has exactly one connector at its root');
  const [connector, object] = roots[0] as [string, unknown];
  checkName(connector, 'UpdateConnector');
  const elements = buildElements(object, `/${connector}`, options.action);
  const tree = [{ [connector]: elements, ':@': { 'xmlns:xsi': XSI_NAMESPACE } }];
  const xml = BUILDER.build(tree) as string;
  return options.declaration ? `<?xml version="1.0" encoding="utf-8"?>\n${xml}` : xml;
}

// ------------------------------------------------------------------------------------------------------------
// Reading

const PARSER = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  // Entities are decoded here (decodeText), the five of XML and character references only: no DTD entity is ever
  // expanded, and a CDATA section stays apart (cdataPropName) so its text is taken literally.
  processEntities: false,
  htmlEntities: false,
  cdataPropName: '#cdata',
  commentPropName: '#comment',
  ignoreDeclaration: true,
  ignorePiTags: true,
});

const PREDEFINED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeText(raw: string, where: string): string {
  return raw.replace(/&([^;&\s]*);?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) invalidArgument(`${where}: an unterminated '&' (write &amp;)`);
    const predefined = PREDEFINED[name];
    if (predefined !== undefined) return predefined;
    const code = /^#x[0-9A-Fa-f]+$/.test(name)
      ? Number.parseInt(name.slice(2), 16)
      : /^#[0-9]+$/.test(name)
        ? Number.parseInt(name.slice(1), 10)
        : undefined;
    if (code === undefined) invalidArgument(`${where}: the entity &${name}; is not XML's (no DTD is read)`);
    if (code > 0x10ffff) invalidArgument(`${where}: &${name}; is not a character`);
    const char = String.fromCodePoint(code);
    if (hasNonXmlCharacter(char)) invalidArgument(`${where}: &${name}; is not a character XML 1.0 allows`);
    return char;
  });
}

const attributesOf = (node: Node): Record<string, string> => (node[':@'] as Record<string, string> | undefined) ?? {};

function tagOf(node: Node): string {
  return Object.keys(node).find((k) => k !== ':@') as string;
}

/** Child elements, refusing text other than whitespace between them. */
function elementChildren(node: Node, path: string): Node[] {
  const children = node[tagOf(node)] as Node[];
  return children.filter((child) => {
    const tag = tagOf(child);
    if (tag === '#comment') return false;
    if (tag === '#text' && String(child['#text']).trim() === '') return false;
    if (tag === '#text' || tag === '#cdata') invalidArgument(`${path}: text where elements are expected`);
    return true;
  });
}

/** The text of a field element: its character data and CDATA sections, in order; `""` (a clear) for xsi:nil. */
function fieldText(node: Node, path: string): string {
  const attributes = attributesOf(node);
  for (const name of Object.keys(attributes)) {
    if (name !== 'xsi:nil') invalidArgument(`${path}: unexpected attribute ${name} on a field`);
  }
  const nil = attributes['xsi:nil'];
  let text = '';
  for (const child of node[tagOf(node)] as Node[]) {
    const tag = tagOf(child);
    if (tag === '#text') text += decodeText(String(child['#text']).replace(/\r\n?/g, '\n'), path);
    else if (tag === '#cdata') text += String((child['#cdata'] as Node[])[0]?.['#text'] ?? '');
    else if (tag !== '#comment') invalidArgument(`${path}: a field holds text, not the element <${tag}>`);
  }
  if (nil === 'true' || nil === '1') {
    if (text !== '') invalidArgument(`${path}: xsi:nil with a value`);
    return '';
  }
  if (nil !== undefined && nil !== 'false' && nil !== '0') invalidArgument(`${path}: xsi:nil must be true or false`);
  return text;
}

type FieldTypes = ReadonlyMap<string, UpdateConnectorField>;

function typesOf(object: Pick<UpdateConnectorObject, 'fields'> | undefined): FieldTypes {
  return new Map((object?.fields ?? []).map((f) => [f.fieldId, f]));
}

/** Text → the JSON body's value for the field's declared type; `""` (a clear) stays as it is. */
function typedValue(text: string, field: UpdateConnectorField | undefined, path: string): unknown {
  if (text === '' || field === undefined) return text;
  switch (field.dataType) {
    case 'int': {
      if (!/^[+-]?[0-9]+$/.test(text.trim())) invalidArgument(`${path}: ${JSON.stringify(text)} is not an int`);
      const n = BigInt(text.trim());
      return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
    }
    case 'decimal':
      try {
        return new ProfitDecimal(text.trim());
      } catch {
        return invalidArgument(`${path}: ${JSON.stringify(text)} is not a decimal`);
      }
    case 'boolean': {
      const t = text.trim();
      if (t === '1' || t === 'true') return true;
      if (t === '0' || t === 'false') return false;
      return invalidArgument(`${path}: ${JSON.stringify(text)} is not a boolean (1, 0, true or false)`);
    }
    default:
      return text;
  }
}

function readElement(node: Node, path: string, object: UpdateConnectorObject | undefined): Node {
  const types = typesOf(object);
  const out: Node = {};
  for (const [name, raw] of Object.entries(attributesOf(node))) {
    if (name.startsWith('xmlns')) continue;
    checkName(name, `${path} attribute`);
    const text = decodeText(raw.replace(/[\t\n\r]/g, ' '), `${path}/@${name}`);
    out[`@${name}`] = typedValue(text, types.get(name), `${path}/@${name}`);
  }
  for (const child of elementChildren(node, path)) {
    const tag = tagOf(child);
    if (tag === 'Fields' && !('Fields' in out)) out.Fields = readFields(child, `${path}/Fields`, types);
    else if (tag === 'Objects' && !('Objects' in out)) out.Objects = readObjects(child, `${path}/Objects`, object);
    else invalidArgument(`${path}: unexpected <${tag}> (an Element holds one Fields and one Objects)`);
  }
  return out;
}

function readFields(node: Node, path: string, types: FieldTypes): Node {
  const out: Node = {};
  for (const [name, raw] of Object.entries(attributesOf(node))) {
    if (name.startsWith('xmlns')) continue;
    checkName(name, `${path} attribute`);
    out[`@${name}`] = decodeText(raw.replace(/[\t\n\r]/g, ' '), `${path}/@${name}`);
  }
  for (const child of elementChildren(node, path)) {
    const tag = tagOf(child);
    checkName(tag, `${path} field`);
    if (tag in out) invalidArgument(`${path}/${tag}: the field is given twice`);
    out[tag] = typedValue(fieldText(child, `${path}/${tag}`), types.get(tag), `${path}/${tag}`);
  }
  return out;
}

function readObjects(node: Node, path: string, parent: UpdateConnectorObject | undefined): Node[] {
  return elementChildren(node, path).map((child) => {
    const name = tagOf(child);
    checkName(name, `${path} sub-object`);
    const object = parent?.objects.find((o) => o.name === name);
    return { [name]: { Element: readElements(child, `${path}/${name}`, object) } };
  });
}

function readElements(node: Node, path: string, object: UpdateConnectorObject | undefined): Node | Node[] {
  const children = elementChildren(node, path);
  if (children.length === 0) invalidArgument(`${path}: no <Element>`);
  const elements = children.map((child, i) => {
    const tag = tagOf(child);
    if (tag !== 'Element') invalidArgument(`${path}: unexpected <${tag}> (expected <Element>)`);
    return readElement(child, children.length > 1 ? `${path}/Element[${i + 1}]` : `${path}/Element`, object);
  });
  return elements.length === 1 ? (elements[0] as Node) : elements;
}

/**
 * The JSON body of an UpdateConnector's XML: `toUpdateXml`'s inverse. Refuses (`invalid-argument`, naming the
 * path) malformed XML, a DOCTYPE, an unknown entity, a shape that is not an UpdateConnector body, and, with
 * `metainfo`, a value that is not of its field's declared type. Pure.
 */
export function fromUpdateXml(xml: string, options: FromUpdateXmlOptions = {}): UpdateBody {
  const text = xml.replace(/^\uFEFF/, '');
  refuseDoctype(text);
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    invalidArgument(`the XML is not well-formed: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
  }
  const top = (PARSER.parse(text) as Node[]).filter((n) => {
    const tag = tagOf(n);
    return tag !== '#comment' && !(tag === '#text' && String(n['#text']).trim() === '');
  });
  if (top.length !== 1) invalidArgument('the XML must have one root element, the UpdateConnector');
  const root = top[0] as Node;
  const connector = tagOf(root);
  checkName(connector, 'UpdateConnector');
  const { metainfo } = options;
  const object = metainfo && { name: connector, fields: metainfo.fields, objects: metainfo.objects ?? [] };
  return { [connector]: { Element: readElements(root, `/${connector}`, object) } } as UpdateBody;
}

/**
 * An UpdateConnector's XSD read back into the shape of its update metainfo (`GET /metainfo/update/{id}`), so the
 * model generator and `check` can take an XSD where they take metainfo: an integrator often has the XSD (AFAS
 * Connect, GetXmlSchema, an old SOAP integration) rather than a snapshot. Pure.
 *
 * The layout read is Profit's (MegaChriz/afasprofit `resources/XMLSchema/*.xsd`; src/emulator/soap/xsd.ts generates
 * the same): the root element named after the object, holding `Element`, whose attributes are the key fields and
 * which holds `Fields` (one element per field, in a sequence or `all`) and `Objects` (one element per nested object,
 * each of the same layout). Per field:
 * - dataType from the XSD type: long/int/integer/short → `int`, decimal/double → `decimal`, boolean → `boolean`,
 *   date/dateTime (or a named type whose union or base is one) → `date`, base64Binary → `blob`, else `string`;
 * - `length` from `maxLength` (texts) or `totalDigits` (decimals), `decimals` from `fractionDigits`;
 * - `values` from the `enumeration`s, else from the `Values:  id:description …` comment Profit writes before the
 *   field (its XSDs carry code tables only there), descriptions from that comment (else the code itself);
 * - `label` from the comment before the field without its `(verwijzing naar: …)` reference, or its
 *   `annotation/documentation`;
 * - `mandatory` when the field must be present (`minOccurs` other than 0, `use="required"`) or, other than a
 *   boolean, may not be cleared (not `nillable`): unconfirmed. Profit's XSDs make every field optional, since an
 *   update sends only what changes, and mark `nillable` the ones that may be cleared; the fields they leave
 *   non-nillable are the mandatory ones of the metainfo (KnSubject's StId and Ds), and booleans, which have no
 *   empty value;
 * - `primaryKey` for an attribute of `Element` (added as a field when `Fields` does not list it).
 * What an XSD does not carry is filled in neutrally: `controlType` 0, `notzero` false, `decimalFieldId` ''.
 */
import { readFile } from 'node:fs/promises';
import { XMLParser } from 'fast-xml-parser';
import { invalidArgument } from '../errors.js';
import type {
  CodeTableValue,
  UpdateConnectorField,
  UpdateConnectorMetainfo,
  UpdateConnectorObject,
} from '../results.js';
import type { ProfitSnapshot } from '../snapshot.js';
import { refuseDoctype } from './update-xml.js';

type Node = Record<string, unknown>;

const PARSER = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  commentPropName: '#comment',
  ignoreDeclaration: true,
  ignorePiTags: true,
});

const tagOf = (node: Node): string => Object.keys(node).find((k) => k !== ':@') as string;
const attrs = (node: Node): Record<string, string> => (node[':@'] as Record<string, string> | undefined) ?? {};
const childrenOf = (node: Node): Node[] => (Array.isArray(node[tagOf(node)]) ? (node[tagOf(node)] as Node[]) : []);
const child = (node: Node, tag: string): Node | undefined => childrenOf(node).find((c) => tagOf(c) === tag);
/** A type name without its namespace prefix: `xsd:long` → `long`. */
const local = (name: string): string => name.slice(name.indexOf(':') + 1);

function commentText(node: Node): string {
  const parts = node['#comment'] as Node[] | undefined;
  return String(parts?.[0]?.['#text'] ?? '').trim();
}

function decode(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The named simple types of the schema (`AFASRowAction`, `ProfitDate`), by name. */
type Named = ReadonlyMap<string, Node>;

interface Facets {
  dataType: string;
  length: number;
  decimals: number;
  codes: string[];
}

const BASE_TYPES: Readonly<Record<string, string>> = {
  long: 'int',
  int: 'int',
  integer: 'int',
  short: 'int',
  byte: 'int',
  unsignedInt: 'int',
  unsignedLong: 'int',
  nonNegativeInteger: 'int',
  positiveInteger: 'int',
  decimal: 'decimal',
  double: 'decimal',
  float: 'decimal',
  boolean: 'boolean',
  date: 'date',
  dateTime: 'date',
  base64Binary: 'blob',
};

function typeFacets(typeName: string, named: Named, seen: Set<string> = new Set()): Facets {
  const name = local(typeName);
  const simple = named.get(name);
  if (simple !== undefined && !seen.has(name)) return simpleFacets(simple, named, new Set([...seen, name]));
  return { dataType: BASE_TYPES[name] ?? 'string', length: 0, decimals: 0, codes: [] };
}

/** The facets of a `simpleType`: a restriction of a base (with facets) or a union (its first member's type). */
function simpleFacets(simple: Node, named: Named, seen: Set<string> = new Set()): Facets {
  const restriction = child(simple, 'restriction');
  if (restriction !== undefined) {
    const inner = child(restriction, 'simpleType');
    const base = inner
      ? simpleFacets(inner, named, seen)
      : typeFacets(attrs(restriction).base ?? 'string', named, seen);
    const facets: Facets = { ...base, codes: [] };
    for (const f of childrenOf(restriction)) {
      const value = decode(attrs(f).value ?? '');
      switch (tagOf(f)) {
        case 'maxLength':
        case 'length':
        case 'totalDigits':
          facets.length = Number(value);
          break;
        case 'fractionDigits':
          facets.decimals = Number(value);
          break;
        case 'enumeration':
          facets.codes.push(value);
          break;
      }
    }
    return facets;
  }
  const union = child(simple, 'union');
  if (union !== undefined) {
    const members = childrenOf(union).filter((c) => tagOf(c) === 'simpleType');
    const first = members[0];
    if (first !== undefined) return simpleFacets(first, named, seen);
    const memberType = (attrs(union).memberTypes ?? '').split(/\s+/)[0];
    if (memberType) return typeFacets(memberType, named, seen);
  }
  return { dataType: 'string', length: 0, decimals: 0, codes: [] };
}

/** `Values:  1:Eerste   2:Tweede` → descriptions by code. */
function valueDescriptions(comment: string): Map<string, string> {
  const out = new Map<string, string>();
  const list = comment.replace(/^Values:\s*/, '');
  for (const part of list.split(/\s{3,}/)) {
    const at = part.indexOf(':');
    if (at > 0) out.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  return out;
}

function fieldOf(element: Node, comments: readonly string[], named: Named, key: boolean): UpdateConnectorField {
  const a = attrs(element);
  const simple = child(element, 'simpleType');
  const facets = simple ? simpleFacets(simple, named) : typeFacets(a.type ?? 'string', named);
  const valuesComment = comments.find((c) => c.startsWith('Values:'));
  const descriptions = valuesComment ? valueDescriptions(valuesComment) : new Map<string, string>();
  const documentation = child(child(element, 'annotation') ?? {}, 'documentation');
  const label =
    comments.find((c) => !c.startsWith('Values:'))?.replace(/\s*\(verwijzing naar:.*\)\s*$/, '') ??
    String((documentation && childrenOf(documentation)[0]?.['#text']) ?? '').trim();
  const codes = facets.codes.length > 0 ? facets.codes : [...descriptions.keys()];
  const values: CodeTableValue[] | null =
    codes.length === 0 ? null : codes.map((id) => ({ id, description: descriptions.get(id) ?? id }));
  const nillable = a.nillable === 'true' || a.nillable === '1' || facets.dataType === 'boolean';
  const required = a.minOccurs !== undefined ? a.minOccurs !== '0' : a.use === 'required';
  return {
    fieldId: a.name ?? '',
    primaryKey: key,
    dataType: facets.dataType,
    label: decode(label),
    // Attributes cannot be nil: a key attribute is mandatory only when `use="required"`.
    mandatory: required || (!nillable && tagOf(element) === 'element'),
    length: Number.isFinite(facets.length) ? facets.length : 0,
    decimals: Number.isFinite(facets.decimals) ? facets.decimals : 0,
    decimalFieldId: '',
    notzero: false,
    controlType: 0,
    values,
  };
}

/** The `element`s / `attribute`s of a group, each with the comments just before it. */
function declarations(group: Node | undefined, tag: 'element' | 'attribute'): { node: Node; comments: string[] }[] {
  const out: { node: Node; comments: string[] }[] = [];
  let comments: string[] = [];
  for (const c of group ? childrenOf(group) : []) {
    const t = tagOf(c);
    if (t === '#comment') comments.push(decode(commentText(c)));
    else if (t === tag) {
      out.push({ node: c, comments });
      comments = [];
    } else if (t !== '#text') comments = [];
  }
  return out;
}

/** The sequence, `all` or `choice` of a complexType. */
function groupOf(complexType: Node | undefined): Node | undefined {
  if (complexType === undefined) return undefined;
  return child(complexType, 'sequence') ?? child(complexType, 'all') ?? child(complexType, 'choice');
}

function objectOf(objectElement: Node, named: Named, path: string): UpdateConnectorObject {
  const name = attrs(objectElement).name ?? '';
  const element = declarations(groupOf(child(objectElement, 'complexType')), 'element').find(
    (d) => attrs(d.node).name === 'Element',
  )?.node;
  if (element === undefined) invalidArgument(`${path}: the XSD has no Element under ${name}`);
  const elementType = child(element, 'complexType');
  const parts = declarations(groupOf(elementType), 'element');
  const fieldsNode = parts.find((d) => attrs(d.node).name === 'Fields')?.node;
  const objectsNode = parts.find((d) => attrs(d.node).name === 'Objects')?.node;
  const fields = declarations(groupOf(child(fieldsNode ?? {}, 'complexType')), 'element').map((d) =>
    fieldOf(d.node, d.comments, named, false),
  );
  const keys = declarations(elementType, 'attribute').map((d) => fieldOf(d.node, d.comments, named, true));
  for (const key of keys) {
    const at = fields.findIndex((f) => f.fieldId === key.fieldId);
    if (at >= 0) fields[at] = { ...(fields[at] as UpdateConnectorField), primaryKey: true };
    else fields.unshift(key);
  }
  const objects = declarations(groupOf(child(objectsNode ?? {}, 'complexType')), 'element').map((d) =>
    objectOf(d.node, named, `${path}/${attrs(d.node).name}`),
  );
  return { name, fields, objects };
}

/**
 * Reads an UpdateConnector's XSD into its update metainfo's shape. `name` is the root element's (which for most
 * connectors is the connector id; KnEmployee's is AfasEmployee). Refuses (`invalid-argument`) text that is not an
 * XSD of that layout.
 */
export function parseUpdateXsd(xsd: string): UpdateConnectorMetainfo {
  const text = xsd.replace(/^\uFEFF/, '');
  refuseDoctype(text);
  let top: Node[];
  try {
    top = PARSER.parse(text) as Node[];
  } catch (error) {
    return invalidArgument(`not an XSD: ${(error as Error).message}`);
  }
  const schema = top.find((n) => tagOf(n) === 'schema');
  if (schema === undefined) invalidArgument('not an XSD: no schema element');
  const named = new Map(
    childrenOf(schema)
      .filter((c) => tagOf(c) === 'simpleType' && attrs(c).name !== undefined)
      .map((c) => [attrs(c).name as string, c]),
  );
  const roots = childrenOf(schema).filter((c) => tagOf(c) === 'element');
  if (roots.length !== 1) invalidArgument(`an UpdateConnector's XSD has one root element, this one ${roots.length}`);
  const root = objectOf(roots[0] as Node, named, '');
  return { name: root.name, description: root.name, fields: root.fields, objects: root.objects };
}

/** An XSD read for an UpdateConnector: which connector it describes and its metainfo shape. */
export interface UpdateXsd {
  readonly connector: string;
  readonly metainfo: UpdateConnectorMetainfo;
}

/**
 * Reads `FILE` or `ID=FILE` (a command's `--xsd`): the XSD in FILE, for the UpdateConnector ID, else the one its
 * root element names (give ID where they differ: KnEmployee's root is AfasEmployee). Rejects with a `ProfitError`
 * (`invalid-argument`) naming the file.
 */
export async function readUpdateXsd(spec: string): Promise<UpdateXsd> {
  const at = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(spec);
  const file = at?.[2] ?? spec;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return invalidArgument(`${file}: cannot read the XSD${code ? ` (${code})` : ''}`);
  }
  try {
    const metainfo = parseUpdateXsd(text);
    return { connector: at?.[1] ?? metainfo.name, metainfo: { ...metainfo, name: at?.[1] ?? metainfo.name } };
  } catch (error) {
    return invalidArgument(`${file}: ${(error as Error).message}`);
  }
}

/**
 * `snapshot` with these XSDs as the update metainfo of their connectors (replacing what it had, adding a connector
 * `metainfo` did not list). Pure.
 */
export function withUpdateXsds(snapshot: ProfitSnapshot, xsds: readonly UpdateXsd[]): ProfitSnapshot {
  const update = { ...snapshot.update };
  const listed = [...snapshot.metainfo.updateConnectors];
  for (const { connector, metainfo } of xsds) {
    const id = Object.keys(update).find((k) => k.toLowerCase() === connector.toLowerCase()) ?? connector;
    update[id] = metainfo;
    if (!listed.some((c) => c.id.toLowerCase() === connector.toLowerCase())) {
      listed.push({ id: connector, description: metainfo.description });
    }
  }
  return { ...snapshot, metainfo: { ...snapshot.metainfo, updateConnectors: listed }, update };
}

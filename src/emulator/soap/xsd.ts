/**
 * The XSD of an UpdateConnector, generated from its update metainfo (`GET /metainfo/update/{id}`): what the SOAP
 * DataConnector's `GetXmlSchema` answers and what `AppConnectorUpdate.Execute` validates an XML body against.
 *
 * The layout is the one of the XSDs Profit itself hands out (samples of `GetXmlSchema` answers are kept in
 * MegaChriz/afasprofit `resources/XMLSchema/*.xsd`, e.g. `KnSubject.xsd`, and in its
 * `tests/resources/DataConnector/ExecuteResponse.xml`):
 * - a simple type `AFASRowAction` (`insert` | `update` | `delete`), used by the required `Action` attribute of
 *   every `Fields`;
 * - the root element named after the object, holding `Element` (`maxOccurs="unbounded"`), which holds an optional
 *   `Fields` and an optional `Objects`, in that order, and carries the object's key fields as attributes (`SbId`);
 * - every field an optional element (`minOccurs="0"`: an update sends only what changes), in metainfo order
 *   (`xsd:sequence`, as in Profit's XSDs), preceded by a comment with its label; a field that is not mandatory is
 *   `nillable` (`xsi:nil="true"` clears it); texts have `minLength 1` and their `maxLength`;
 * - types: int → `xsd:long`, decimal → `xsd:decimal` with `totalDigits`/`fractionDigits`, boolean → `xsd:boolean`,
 *   string → `xsd:string`, as in Profit's XSDs;
 * - `Objects` holds each nested object once (`minOccurs="0"`), each with its own `Element`s.
 *
 * Where the metainfo says more than Profit's XSDs do, the emulator's choice (unconfirmed, the safer side: the XSD
 * refuses what the emulator's UpdateConnector would refuse anyway):
 * - code lists (`values`) become an `xsd:enumeration`, besides the `Values:` comment Profit's XSDs carry;
 * - a date field is `ProfitDate` (an `xsd:date` or `xsd:dateTime` without a zone offset; a trailing `Z` allowed,
 *   read as local time): Profit's XSDs use either type, and the metainfo does not say which;
 * - a blob is `xsd:base64Binary` (Profit's XSD types `FileStream` as a non-empty string);
 * - a key field is an optional attribute of `Element` and also an optional element of `Fields`: Profit's XSDs
 *   show both forms (`SbId` as attribute of KnSubject, `BcCo` inside the Fields of KnOrganisation), and whether a
 *   key is needed depends on the action, which the UpdateConnector itself checks.
 *
 * Pure: plain metainfo in, XSD text out.
 */

/** A field as `/metainfo/update/{id}` lists it (extra properties are ignored). */
export interface XsdField {
  readonly fieldId: string;
  readonly primaryKey: boolean;
  /** `string` | `int` | `decimal` | `boolean` | `date` | `blob`; any other is treated as a string. */
  readonly dataType: string;
  readonly label: string;
  readonly mandatory: boolean;
  /** Maximum length of a string, total digits of a decimal; 0 means no limit. */
  readonly length: number;
  readonly decimals: number;
  readonly values: readonly { readonly id: string; readonly description: string }[] | null;
}

/** An object of the metainfo: the connector itself (`name` is its id) or a nested object. */
export interface XsdObject {
  readonly name: string;
  readonly fields: readonly XsdField[];
  /** Absent in the metainfo of a connector without nested objects (as some snapshots hold it). */
  readonly objects?: readonly XsdObject[];
}

export interface UpdateXsdOptions {
  /**
   * The root element's name. Profit roots a body at the connector's main object, which for most connectors is the
   * connector id (KnSubject) and for some is not (KnEmployee's body is `<AfasEmployee>`).
   * @default metainfo.name
   */
  readonly rootName?: string;
}

/** The simple type name of the `Action` attribute, as Profit's XSDs name it. */
export const ROW_ACTION_TYPE = 'AFASRowAction';
const DATE_TYPE = 'ProfitDate';

/** Generates the XSD of an UpdateConnector from its update metainfo. */
export function generateUpdateXsd(metainfo: XsdObject, options: UpdateXsdOptions = {}): string {
  const rowAction =
    `<xsd:simpleType name="${ROW_ACTION_TYPE}"><xsd:restriction base="xsd:string">` +
    '<xsd:enumeration value="insert"/><xsd:enumeration value="update"/><xsd:enumeration value="delete"/>' +
    '</xsd:restriction></xsd:simpleType>';
  // Local time as Profit reads it: no zone offset. xsd:dateTime requires the seconds; update-connector.md's
  // examples all carry them.
  const date =
    `<xsd:simpleType name="${DATE_TYPE}"><xsd:union>` +
    '<xsd:simpleType><xsd:restriction base="xsd:date"><xsd:pattern value="[0-9]{4}-[0-9]{2}-[0-9]{2}Z?"/>' +
    '</xsd:restriction></xsd:simpleType>' +
    '<xsd:simpleType><xsd:restriction base="xsd:dateTime">' +
    '<xsd:pattern value="[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,7})?Z?"/>' +
    '</xsd:restriction></xsd:simpleType>' +
    '</xsd:union></xsd:simpleType>';
  const root = objectElement({ ...metainfo, name: options.rootName ?? metainfo.name }, false);
  return `<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">${rowAction}${date}${root}</xsd:schema>`;
}

/** `<Name><Element …>…</Element></Name>`; nested objects are optional (`minOccurs="0"`), the root is not. */
function objectElement(o: XsdObject, nested: boolean): string {
  const fields = o.fields.map(fieldElement).join('');
  const keys = o.fields
    .filter((f) => f.primaryKey)
    .map((f) => {
      const head = `${comment(f.label)}<xsd:attribute name="${attr(f.fieldId)}" use="optional"`;
      const ref = typeRef(f);
      return ref === '' ? `${head}>${simpleType(f)}</xsd:attribute>` : `${head} ${ref}/>`;
    })
    .join('');
  const children = o.objects ?? [];
  const objects =
    children.length === 0
      ? ''
      : `<xsd:element name="Objects" minOccurs="0"><xsd:complexType><xsd:sequence>${children
          .map((child) => objectElement(child, true))
          .join('')}</xsd:sequence></xsd:complexType></xsd:element>`;
  const element =
    '<xsd:element name="Element" maxOccurs="unbounded"><xsd:complexType><xsd:sequence>' +
    `<xsd:element name="Fields" minOccurs="0"><xsd:complexType><xsd:sequence>${fields}</xsd:sequence>` +
    `<xsd:attribute name="Action" use="required" type="${ROW_ACTION_TYPE}"/></xsd:complexType></xsd:element>` +
    `${objects}</xsd:sequence>${keys}</xsd:complexType></xsd:element>`;
  return (
    `<xsd:element name="${attr(o.name)}"${nested ? ' minOccurs="0"' : ''}>` +
    `<xsd:complexType><xsd:sequence>${element}</xsd:sequence></xsd:complexType></xsd:element>`
  );
}

function fieldElement(f: XsdField): string {
  const nillable = f.mandatory ? '' : ' nillable="true"';
  const head = `${comment(f.label)}${valuesComment(f)}<xsd:element name="${attr(f.fieldId)}" minOccurs="0"`;
  const ref = typeRef(f);
  return ref === '' ? `${head}${nillable}>${simpleType(f)}</xsd:element>` : `${head} ${ref}${nillable}/>`;
}

/** `type="xsd:…"` when the field needs no restriction; otherwise '' (an inline simpleType follows). */
function typeRef(f: XsdField): string {
  if (f.values !== null && f.values.length > 0) return '';
  switch (f.dataType) {
    case 'int':
      return 'type="xsd:long"';
    case 'boolean':
      return 'type="xsd:boolean"';
    case 'date':
      return `type="${DATE_TYPE}"`;
    case 'blob':
      return 'type="xsd:base64Binary"';
    default:
      return '';
  }
}

/** An inline simpleType for strings, decimals and code lists. Attributes take it as a child as well. */
function simpleType(f: XsdField): string {
  const facets: string[] = [];
  let base: string;
  switch (f.dataType) {
    case 'int':
      base = 'xsd:long';
      break;
    case 'boolean':
      base = 'xsd:boolean';
      break;
    case 'date':
      base = DATE_TYPE;
      break;
    case 'blob':
      // No pattern: libxml2's regular expressions fail on the megabytes of an attachment. libxml2 checks
      // base64Binary loosely; the UpdateConnector's own check refuses text that is not base64.
      base = 'xsd:base64Binary';
      break;
    case 'decimal':
      base = 'xsd:decimal';
      if (f.length > 0 && f.length >= f.decimals) facets.push(`<xsd:totalDigits value="${f.length}"/>`);
      facets.push(`<xsd:fractionDigits value="${Math.max(0, f.decimals)}"/>`);
      break;
    default:
      base = 'xsd:string';
      if (f.length > 0) facets.push(`<xsd:maxLength value="${f.length}"/>`);
      facets.push('<xsd:minLength value="1"/>');
  }
  for (const v of f.values ?? []) facets.push(`<xsd:enumeration value="${attr(v.id)}"/>`);
  return `<xsd:simpleType><xsd:restriction base="${base}">${facets.join('')}</xsd:restriction></xsd:simpleType>`;
}

function valuesComment(f: XsdField): string {
  if (f.values === null || f.values.length === 0) return '';
  return comment(`Values:  ${f.values.map((v) => `${v.id}:${v.description}`).join('   ')}`);
}

/** An XML comment; `--` may not occur in one, nor may it end in `-`. */
function comment(text: string): string {
  if (text === '') return '';
  return `<!--${text.replace(/--/g, '- -').replace(/-$/, '- ')}-->`;
}

function attr(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

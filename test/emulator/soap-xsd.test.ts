import { XmlDocument, XsdValidator } from 'libxml2-wasm';
import { describe, expect, it } from 'vitest';
import { createCompany } from '../../src/emulator/company/index.js';
import { generateUpdateXsd, type XsdField, type XsdObject } from '../../src/emulator/index.js';

function field(fieldId: string, dataType: string, options: Partial<XsdField> = {}): XsdField {
  return {
    fieldId,
    dataType,
    label: options.label ?? fieldId,
    primaryKey: false,
    mandatory: false,
    length: dataType === 'string' ? 20 : 0,
    decimals: 0,
    values: null,
    ...options,
  };
}

/** A small connector shaped like KnSubject: a key, each data type, a code list, a nested object. */
const subject: XsdObject = {
  name: 'KnSubject',
  fields: [
    field('SbId', 'int', { primaryKey: true, label: 'Dossieritem' }),
    field('Ds', 'string', { mandatory: true, length: 10, label: 'Onderwerp' }),
    field('Amount', 'decimal', { length: 8, decimals: 2 }),
    field('Done', 'boolean'),
    field('Da', 'date'),
    field('File', 'blob'),
    field('ViPr', 'string', {
      values: [
        { id: 'H', description: 'Hoog' },
        { id: 'L', description: 'Laag' },
      ],
    }),
  ],
  objects: [{ name: 'KnSubjectLink', fields: [field('ToEm', 'boolean'), field('SfId', 'string')], objects: [] }],
};

/** The xpaths of the violations of `xml` against `xsd`, each once; [] when valid. */
function violations(xsd: string, xml: string): string[] {
  const schema = XmlDocument.fromString(xsd);
  const validator = XsdValidator.fromDoc(schema);
  const doc = XmlDocument.fromString(xml);
  try {
    validator.validate(doc);
    return [];
  } catch (e) {
    return [...new Set((e as { details: { xpath?: string }[] }).details.map((d) => d.xpath ?? ''))];
  } finally {
    doc.dispose();
    validator.dispose();
    schema.dispose();
  }
}

const XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';
const body = (fields: string, attrs = ' SbId="1"', action = ' Action="insert"') =>
  `<KnSubject ${XSI}><Element${attrs}><Fields${action}>${fields}</Fields></Element></KnSubject>`;

describe("the XSD's layout follows the XSDs Profit hands out", () => {
  const xsd = generateUpdateXsd(subject);

  it('declares AFASRowAction and the required Action attribute of Fields', () => {
    expect(xsd).toContain(
      '<xsd:simpleType name="AFASRowAction"><xsd:restriction base="xsd:string"><xsd:enumeration value="insert"/>' +
        '<xsd:enumeration value="update"/><xsd:enumeration value="delete"/></xsd:restriction></xsd:simpleType>',
    );
    expect(xsd).toContain('<xsd:attribute name="Action" use="required" type="AFASRowAction"/>');
  });

  it('roots the schema at the object, with a repeatable Element carrying the key as an attribute', () => {
    expect(xsd).toMatch(/^<xsd:schema xmlns:xsd="http:\/\/www.w3.org\/2001\/XMLSchema">/);
    expect(xsd).toContain('<xsd:element name="KnSubject"><xsd:complexType><xsd:sequence>');
    expect(xsd).toContain('<xsd:element name="Element" maxOccurs="unbounded">');
    expect(xsd).toContain('<!--Dossieritem--><xsd:attribute name="SbId" use="optional" type="xsd:long"/>');
  });

  it('writes each field with its label as a comment, optional, nillable unless mandatory', () => {
    expect(xsd).toContain(
      '<!--Onderwerp--><xsd:element name="Ds" minOccurs="0"><xsd:simpleType><xsd:restriction base="xsd:string">' +
        '<xsd:maxLength value="10"/><xsd:minLength value="1"/></xsd:restriction></xsd:simpleType></xsd:element>',
    );
    expect(xsd).toContain('<xsd:element name="Done" minOccurs="0" type="xsd:boolean" nillable="true"/>');
    expect(xsd).toContain('<xsd:totalDigits value="8"/><xsd:fractionDigits value="2"/>');
    expect(xsd).toContain('<!--Values:  H:Hoog   L:Laag-->');
  });

  it('nests objects under an optional Objects element', () => {
    expect(xsd).toContain('<xsd:element name="Objects" minOccurs="0"><xsd:complexType><xsd:sequence>');
    expect(xsd).toContain('<xsd:element name="KnSubjectLink" minOccurs="0">');
  });

  it('names the root as asked (KnEmployee bodies are rooted at AfasEmployee)', () => {
    expect(generateUpdateXsd(subject, { rootName: 'AfasSubject' })).toContain('<xsd:element name="AfasSubject">');
  });

  it('takes metainfo without an objects list (a connector without nested objects)', () => {
    const { objects: _none, ...flat } = subject;
    expect(generateUpdateXsd(flat)).not.toContain('name="Objects"');
  });

  it('keeps labels that contain "--" a valid comment', () => {
    const xsd2 = generateUpdateXsd({ ...subject, fields: [field('X', 'string', { label: 'a -- b -' })] });
    expect(
      violations(xsd2, '<KnSubject><Element><Fields Action="update"><X>y</X></Fields></Element></KnSubject>'),
    ).toEqual([]);
  });
});

describe('validating bodies against the XSD', () => {
  const xsd = generateUpdateXsd(subject);

  it('accepts a body with every data type and a nested object', () => {
    const xml =
      `<KnSubject ${XSI}><Element SbId="7"><Fields Action="insert"><Ds>Brief</Ds><Amount>12.50</Amount>` +
      '<Done>true</Done><Da>2026-03-01T10:00:00</Da><File>aGVsbG8=</File><ViPr>H</ViPr></Fields>' +
      '<Objects><KnSubjectLink><Element><Fields Action="insert"><ToEm>1</ToEm><SfId>1001</SfId></Fields></Element>' +
      '</KnSubjectLink></Objects></Element><Element SbId="8"><Fields Action="update"><Da>2026-03-02</Da></Fields>' +
      '</Element></KnSubject>';
    expect(violations(xsd, xml)).toEqual([]);
  });

  it('accepts xsi:nil on a field that is not mandatory, to clear it', () => {
    expect(violations(xsd, body('<Amount xsi:nil="true"/>'))).toEqual([]);
  });

  it.each([
    ['an unknown field', '<Nope>1</Nope>', '/KnSubject/Element/Fields/Nope'],
    ['a text longer than its length', '<Ds>12345678901</Ds>', '/KnSubject/Element/Fields/Ds'],
    ['an empty text (clearing is xsi:nil)', '<Ds></Ds>', '/KnSubject/Element/Fields/Ds'],
    ['xsi:nil on a mandatory field', '<Ds xsi:nil="true"/>', '/KnSubject/Element/Fields/Ds'],
    ['a decimal with more decimals than allowed', '<Amount>1.234</Amount>', '/KnSubject/Element/Fields/Amount'],
    ['a decimal with more digits than allowed', '<Amount>1234567.12</Amount>', '/KnSubject/Element/Fields/Amount'],
    ['a boolean that is no boolean', '<Done>yes</Done>', '/KnSubject/Element/Fields/Done'],
    ['a date that is no date', '<Da>2026-02-30</Da>', '/KnSubject/Element/Fields/Da'],
    ['a datetime with a zone offset', '<Da>2026-03-01T10:00:00+01:00</Da>', '/KnSubject/Element/Fields/Da'],
    ['a code outside the code list', '<ViPr>X</ViPr>', '/KnSubject/Element/Fields/ViPr'],
    ['fields out of metainfo order', '<Done>1</Done><Ds>a</Ds>', '/KnSubject/Element/Fields/Ds'],
  ])('refuses %s, naming its xpath', (_what, fields, xpath) => {
    expect(violations(xsd, body(fields))).toEqual([xpath]);
  });

  it('refuses a key attribute of the wrong type', () => {
    expect(violations(xsd, body('<Ds>a</Ds>', ' SbId="x"'))).toEqual(['/KnSubject/Element']);
  });

  it('refuses Fields without an Action, or with an unknown one', () => {
    expect(violations(xsd, body('<Ds>a</Ds>', '', ''))).toEqual(['/KnSubject/Element/Fields']);
    expect(violations(xsd, body('<Ds>a</Ds>', '', ' Action="upsert"'))).toEqual(['/KnSubject/Element/Fields']);
  });

  it('refuses an unknown nested object and a body rooted elsewhere', () => {
    const nested = `<KnSubject><Element><Objects><KnOther/></Objects></Element></KnSubject>`;
    expect(violations(xsd, nested)).toEqual(['/KnSubject/Element/Objects/KnOther']);
    expect(violations(xsd, '<KnPerson><Element/></KnPerson>')).toEqual(['/KnPerson']);
  });
});

describe("the demo company's UpdateConnectors", () => {
  const company = createCompany();

  it.each([...company.updateConnectors.values()].map((d) => [d.id, d] as const))(
    '%s has a schema that libxml2 compiles and that accepts an update without fields',
    (_id, def) => {
      const xsd = generateUpdateXsd(def);
      const xml = `<${def.name}><Element><Fields Action="update"/></Element></${def.name}>`;
      expect(violations(xsd, xml)).toEqual([]);
    },
  );
});

describe('the demo KnEmployee', () => {
  it('takes a bank account keyed by the AcId and NoBk attributes, as update-connector.md and the model write it', () => {
    const def = createCompany().updateConnectors.get('KnEmployee');
    if (!def) throw new Error('no KnEmployee');
    const xml =
      '<AfasEmployee><Element EmId="1234568774"><Fields Action="update"/><Objects><AfasBankInfo>' +
      '<Element AcId="NL40BOTK0755026802" NoBk="false"><Fields Action="insert"><SaAc>true</SaAc>' +
      '<Iban>NL40BOTK0755026802</Iban></Fields></Element></AfasBankInfo></Objects></Element></AfasEmployee>';
    expect(violations(generateUpdateXsd(def), xml)).toEqual([]);
  });
});

/**
 * An UpdateConnector's XSD read back into its update metainfo's shape (src/profit/xml/xsd-shape.ts): for every
 * UpdateConnector of the demo emulator, the XSD generated from its metainfo (Profit's layout) gives back what an XSD
 * can carry of that metainfo.
 */
import { describe, expect, it } from 'vitest';
import { createCompany } from '../../src/emulator/company/index.js';
import { generateUpdateXsd } from '../../src/emulator/index.js';
import { ProfitError } from '../../src/profit/index.js';
import type { UpdateConnectorField, UpdateConnectorObject } from '../../src/profit/results.js';
import { parseUpdateXsd } from '../../src/profit/xml/index.js';

/** What an XSD carries of a field: a length only where a facet holds it (texts, decimals); no controlType. */
function carried(f: UpdateConnectorField) {
  const coded = f.values !== null && f.values.length > 0;
  return {
    fieldId: f.fieldId,
    primaryKey: f.primaryKey,
    dataType: ['int', 'decimal', 'boolean', 'date', 'blob'].includes(f.dataType) ? f.dataType : 'string',
    label: f.label,
    mandatory: f.mandatory,
    length: f.dataType === 'string' || f.dataType === 'decimal' ? f.length : 0,
    decimals: f.dataType === 'decimal' ? f.decimals : 0,
    values: coded ? f.values : null,
  };
}

function shape(o: Pick<UpdateConnectorObject, 'name' | 'fields' | 'objects'>): unknown {
  return { name: o.name, fields: o.fields.map(carried), objects: o.objects.map(shape) };
}

describe('parseUpdateXsd', () => {
  const company = createCompany({});
  for (const [id, def] of company.updateConnectors) {
    it(`reads back the metainfo of ${id} from its XSD`, () => {
      const meta = { name: id, description: def.description, fields: def.fields, objects: def.objects };
      const read = parseUpdateXsd(generateUpdateXsd(meta));
      expect(shape(read)).toEqual(shape(meta));
    });
  }

  it('reads Profit’s own layout: code tables in a Values comment, references cut from labels, key attributes', () => {
    // Laid out as the XSDs GetXmlSchema answers (MegaChriz/afasprofit resources/XMLSchema/KnSubject.xsd), abridged.
    const xsd = [
      '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema"><xsd:simpleType name="AFASRowAction">',
      '<xsd:restriction base="xsd:string"><xsd:enumeration value="insert"/></xsd:restriction></xsd:simpleType>',
      '<xsd:element name="KnSubject"><xsd:complexType><xsd:sequence><xsd:element name="Element" maxOccurs="unbounded">',
      '<xsd:complexType><xsd:sequence><xsd:element name="Fields" minOccurs="0"><xsd:complexType><xsd:sequence>',
      '<!--Type dossieritem (verwijzing naar: Type dossieritem => AfasKnSubjectType)-->',
      '<xsd:element name="StId" minOccurs="0" type="xsd:long"/>',
      '<!--Onderwerp--><xsd:element name="Ds" minOccurs="0"><xsd:simpleType><xsd:restriction base="xsd:string">',
      '<xsd:maxLength value="255"/><xsd:minLength value="1"/></xsd:restriction></xsd:simpleType></xsd:element>',
      '<!--Prioriteit--><!--Values:  H:Hoog   N:Normaal   L:Laag-->',
      '<xsd:element name="ViPr" minOccurs="0" nillable="true"><xsd:simpleType><xsd:restriction base="xsd:string">',
      '<xsd:maxLength value="20"/><xsd:minLength value="1"/></xsd:restriction></xsd:simpleType></xsd:element>',
      '<!--Afgehandeld--><xsd:element name="St" minOccurs="0" type="xsd:boolean"/>',
      '<!--Bedrag--><xsd:element name="Am" minOccurs="0" nillable="true"><xsd:simpleType>',
      '<xsd:restriction base="xsd:decimal"><xsd:totalDigits value="12"/><xsd:fractionDigits value="2"/>',
      '</xsd:restriction></xsd:simpleType></xsd:element>',
      '<!--Instuurdatum--><xsd:element name="Da" minOccurs="0" type="xsd:dateTime" nillable="true"/>',
      '</xsd:sequence><xsd:attribute name="Action" use="required" type="AFASRowAction"/></xsd:complexType></xsd:element>',
      '<xsd:element name="Objects" minOccurs="0"><xsd:complexType><xsd:sequence>',
      '<xsd:element name="KnSubjectLink" minOccurs="0"><xsd:complexType><xsd:sequence>',
      '<xsd:element name="Element" maxOccurs="unbounded"><xsd:complexType><xsd:sequence>',
      '<xsd:element name="Fields" minOccurs="0"><xsd:complexType><xsd:sequence>',
      '<!--Organisatie/persoon--><xsd:element name="BcId" minOccurs="0" type="xsd:long" nillable="true"/>',
      '</xsd:sequence></xsd:complexType></xsd:element></xsd:sequence></xsd:complexType></xsd:element>',
      '</xsd:sequence></xsd:complexType></xsd:element></xsd:sequence></xsd:complexType></xsd:element>',
      '</xsd:sequence><xsd:attribute name="SbId" use="required" type="xsd:long"/></xsd:complexType></xsd:element>',
      '</xsd:sequence></xsd:complexType></xsd:element></xsd:schema>',
    ].join('');
    const read = parseUpdateXsd(xsd);
    const brief = (o: UpdateConnectorObject): unknown => ({
      name: o.name,
      fields: o.fields.map((f) => [f.fieldId, f.dataType, f.label, f.mandatory, f.primaryKey, f.length, f.decimals]),
      objects: o.objects.map(brief),
    });
    expect(brief(read)).toEqual({
      name: 'KnSubject',
      fields: [
        ['SbId', 'int', '', true, true, 0, 0],
        ['StId', 'int', 'Type dossieritem', true, false, 0, 0],
        ['Ds', 'string', 'Onderwerp', true, false, 255, 0],
        ['ViPr', 'string', 'Prioriteit', false, false, 20, 0],
        ['St', 'boolean', 'Afgehandeld', false, false, 0, 0],
        ['Am', 'decimal', 'Bedrag', false, false, 12, 2],
        ['Da', 'date', 'Instuurdatum', false, false, 0, 0],
      ],
      objects: [
        { name: 'KnSubjectLink', fields: [['BcId', 'int', 'Organisatie/persoon', false, false, 0, 0]], objects: [] },
      ],
    });
    expect(read.fields.find((f) => f.fieldId === 'ViPr')?.values).toEqual([
      { id: 'H', description: 'Hoog' },
      { id: 'N', description: 'Normaal' },
      { id: 'L', description: 'Laag' },
    ]);
  });

  it('refuses text that is not an XSD', () => {
    expect(() => parseUpdateXsd('<KnSubject/>')).toThrow(ProfitError);
  });
});

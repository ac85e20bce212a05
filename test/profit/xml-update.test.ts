/**
 * The XML form of UpdateConnector bodies (src/profit/xml/update-xml.ts): the documented shape, exact round trips
 * typed by each field's declared type (for every UpdateConnector the demo model binds, over generated bodies too),
 * escaping, and what it refuses.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentials, type Emulator, generateUpdateXsd, startEmulator } from '../../src/emulator/index.js';
import { writeBindings } from '../../src/graphql/write/binding.js';
import '../../src/model/write/index.js';
import {
  authorizationHeader,
  ProfitConnection,
  ProfitDecimal,
  ProfitError,
  takeSnapshot,
  toUpdateBody,
  type UpdateElement,
} from '../../src/profit/index.js';
import type { UpdateConnectorField, UpdateConnectorMetainfo, UpdateConnectorObject } from '../../src/profit/results.js';
import { CompiledXsd } from '../../src/profit/xml/index.js';
import { fromUpdateXml, hasNonXmlCharacter, toUpdateXml } from '../../src/profit/xml/update-xml.js';

const field = (fieldId: string, dataType: string, extra: Partial<UpdateConnectorField> = {}): UpdateConnectorField => ({
  fieldId,
  primaryKey: false,
  dataType,
  label: fieldId,
  mandatory: false,
  length: 255,
  decimals: 0,
  decimalFieldId: '',
  notzero: false,
  controlType: 1,
  values: null,
  ...extra,
});

const SUBJECT: UpdateConnectorMetainfo = {
  name: 'KnSubject',
  description: 'Dossieritem',
  fields: [
    field('SbId', 'int', { primaryKey: true }),
    field('StId', 'int'),
    field('Ds', 'string'),
    field('Da', 'date'),
  ],
  objects: [
    {
      name: 'KnSubjectLink',
      fields: [field('DoCRM', 'boolean'), field('BcId', 'int'), field('Amount', 'decimal')],
      objects: [],
    },
  ],
};

function refusal(run: () => unknown): ProfitError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ProfitError);
    expect((error as ProfitError).kind).toBe('invalid-argument');
    return error as ProfitError;
  }
  throw new Error('expected a refusal');
}

describe('toUpdateXml', () => {
  it('writes keys as attributes of Element, @Action as an attribute of Fields, and sub-objects inside Objects', () => {
    const body = toUpdateBody('KnSubject', {
      keys: { SbId: 1 },
      action: 'update',
      fields: { StId: 1, Ds: 'Onderwerp' },
      objects: { KnSubjectLink: { fields: { DoCRM: true, BcId: 12345 } } },
    });
    expect(toUpdateXml(body)).toBe(
      '<KnSubject xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><Element SbId="1">' +
        '<Fields Action="update"><StId>1</StId><Ds>Onderwerp</Ds></Fields>' +
        '<Objects><KnSubjectLink><Element><Fields><DoCRM>1</DoCRM><BcId>12345</BcId></Fields></Element>' +
        '</KnSubjectLink></Objects></Element></KnSubject>',
    );
  });

  it('writes "" (which clears a field) and null as xsi:nil, the one clear Profit’s XSDs accept', () => {
    const xml = toUpdateXml(toUpdateBody('KnSubject', { fields: { Ds: '', Da: null } }));
    expect(xml).toContain('<Fields><Ds xsi:nil="true"/><Da xsi:nil="true"/></Fields>');
    expect(fromUpdateXml(xml)).toEqual({ KnSubject: { Element: { Fields: { Ds: '', Da: '' } } } });
  });

  it('writes the given Action on every Fields without one, as SOAP’s Execute requires', () => {
    const body = toUpdateBody('KnSubject', {
      fields: { Ds: 'x' },
      objects: { KnSubjectLink: [{ action: 'update', fields: { BcId: 1 } }, { fields: { BcId: 2 } }] },
    });
    const xml = toUpdateXml(body, { action: 'insert' });
    expect(xml.match(/<Fields Action="(\w+)">/g)).toEqual([
      '<Fields Action="insert">',
      '<Fields Action="update">',
      '<Fields Action="insert">',
    ]);
  });

  it('writes several records as repeated Elements', () => {
    const xml = toUpdateXml(toUpdateBody('KnSubject', [{ fields: { Ds: 'a' } }, { fields: { Ds: 'b' } }]));
    expect(xml).toContain(
      '<Element><Fields><Ds>a</Ds></Fields></Element><Element><Fields><Ds>b</Ds></Fields></Element>',
    );
  });

  it('writes decimals exactly and numbers in plain notation, never an exponent', () => {
    const xml = toUpdateXml(
      toUpdateBody('KnSubject', {
        fields: { A: ProfitDecimal.from('12345678901234567890.125'), B: 1e21, C: 1.5e-7, D: 2n ** 70n },
      }),
    );
    expect(xml).toContain(
      '<A>12345678901234567890.125</A><B>1000000000000000000000</B><C>0.00000015</C><D>1180591620717411303424</D>',
    );
  });

  it('escapes markup and keeps carriage returns, tabs and newlines in attributes as character references', () => {
    const xml = toUpdateXml(toUpdateBody('KnSubject', { keys: { Key: 'a\tb\nc"' }, fields: { Ds: '<b> & ]]>\r\n' } }));
    expect(xml).toContain('Key="a&#x9;b&#xA;c&quot;"');
    expect(xml).toContain('<Ds>&lt;b&gt; &amp; ]]&gt;&#xD;\n</Ds>');
  });

  it('starts with an XML declaration only when asked', () => {
    const body = toUpdateBody('KnSubject', { fields: { Ds: 'x' } });
    expect(toUpdateXml(body)).not.toContain('<?xml');
    expect(toUpdateXml(body, { declaration: true })).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<KnSubject/);
  });

  it('refuses text XML 1.0 cannot carry, and a null key attribute', () => {
    expect(refusal(() => toUpdateXml(toUpdateBody('KnSubject', { fields: { Ds: 'a\u0001b' } }))).message).toContain(
      '/KnSubject/Element/Fields/Ds',
    );
    expect(refusal(() => toUpdateXml(toUpdateBody('KnSubject', { keys: { SbId: null } }))).message).toContain(
      '/KnSubject/Element/@SbId',
    );
  });
});

describe('fromUpdateXml', () => {
  it('types each value by its field’s declared type in the update metainfo', () => {
    const xml =
      '<KnSubject><Element SbId="7"><Fields Action="insert"><StId>1</StId><Ds>007</Ds><Da>2024-01-31</Da></Fields>' +
      '<Objects><KnSubjectLink><Element><Fields><DoCRM>true</DoCRM><BcId>99999999999999999999</BcId>' +
      '<Amount>1.50</Amount></Fields></Element></KnSubjectLink></Objects></Element></KnSubject>';
    expect(fromUpdateXml(xml, { metainfo: SUBJECT })).toEqual({
      KnSubject: {
        Element: {
          '@SbId': 7,
          Fields: { '@Action': 'insert', StId: 1, Ds: '007', Da: '2024-01-31' },
          Objects: [
            {
              KnSubjectLink: {
                Element: { Fields: { DoCRM: true, BcId: 99999999999999999999n, Amount: new ProfitDecimal('1.5') } },
              },
            },
          ],
        },
      },
    });
  });

  it('keeps every value as text without metainfo, since XML carries no type', () => {
    const body = fromUpdateXml('<KnSubject><Element SbId="7"><Fields><StId>1</StId></Fields></Element></KnSubject>');
    expect(body).toEqual({ KnSubject: { Element: { '@SbId': '7', Fields: { StId: '1' } } } });
  });

  it('reads an empty element and xsi:nil as "", the JSON body’s clear, also for typed fields', () => {
    const xml =
      '<KnSubject xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><Element><Fields>' +
      '<StId/><Ds></Ds><Da xsi:nil="true"/></Fields></Element></KnSubject>';
    expect(fromUpdateXml(xml, { metainfo: SUBJECT })).toEqual({
      KnSubject: { Element: { Fields: { StId: '', Ds: '', Da: '' } } },
    });
  });

  it('reads character references, CDATA sections and whitespace exactly, and normalises line ends as XML does', () => {
    const xml =
      '<?xml version="1.0" encoding="utf-8"?>\r\n<KnSubject>\n  <Element>\n    <Fields>' +
      '<Ds>  a &#xD;&#10;&lt;<![CDATA[&amp;<]]>\r\nb  </Ds></Fields>\n  </Element>\n</KnSubject>\n';
    expect(fromUpdateXml(xml)).toEqual({ KnSubject: { Element: { Fields: { Ds: '  a \r\n<&amp;<\nb  ' } } } });
  });

  it('refuses a DOCTYPE, so no entity is ever expanded or fetched (XXE)', () => {
    const xxe =
      '<?xml version="1.0"?><!DOCTYPE KnSubject [<!ENTITY x SYSTEM "file:///etc/passwd">]>' +
      '<KnSubject><Element><Fields><Ds>&x;</Ds></Fields></Element></KnSubject>';
    expect(refusal(() => fromUpdateXml(xxe)).message).toContain('DOCTYPE');
  });

  it('refuses an entity XML does not predefine', () => {
    const xml = '<KnSubject><Element><Fields><Ds>&nbsp;</Ds></Fields></Element></KnSubject>';
    expect(refusal(() => fromUpdateXml(xml)).message).toContain('/KnSubject/Element/Fields/Ds');
  });

  it('refuses XML that is not well-formed, naming the line', () => {
    expect(refusal(() => fromUpdateXml('<KnSubject><Element></KnSubject>')).message).toMatch(/not well-formed.*line 1/);
  });

  it('refuses a value that is not of its declared type, naming its path', () => {
    const xml = '<KnSubject><Element><Fields><StId>1.5</StId></Fields></Element></KnSubject>';
    expect(refusal(() => fromUpdateXml(xml, { metainfo: SUBJECT })).message).toBe(
      '/KnSubject/Element/Fields/StId: "1.5" is not an int',
    );
  });

  it('refuses what is not an UpdateConnector body: text between elements, an unknown child, two roots', () => {
    refusal(() => fromUpdateXml('<KnSubject>text<Element/></KnSubject>'));
    refusal(() => fromUpdateXml('<KnSubject><Element><Other/></Element></KnSubject>'));
    refusal(() => fromUpdateXml('<KnSubject><Row/></KnSubject>'));
    refusal(() => fromUpdateXml('<A><Element/></A><B><Element/></B>'));
  });
});

// ------------------------------------------------------------------------------------------------------------
// Round trips over the demo model's UpdateConnectors, with their metainfo as the demo emulator serves it.

/** XML 1.0 text: any character XML can carry, with markup, line ends and tabs often. */
const xmlText = fc
  .array(
    fc.oneof(fc.constantFrom('&', '<', '>', '"', "'", '\r', '\n', '\t', ' ', ']]>'), fc.string({ unit: 'binary' })),
  )
  .map((parts) => parts.join(''))
  .filter((s) => !hasNonXmlCharacter(s));

function valueFor(f: UpdateConnectorField): fc.Arbitrary<unknown> {
  // null is left out: the model never sends it, and XML reads it back as "" (see update-xml.ts).
  const clearOrNull = fc.constant('');
  switch (f.dataType) {
    case 'int':
      return fc.oneof(fc.integer(), fc.bigInt({ min: 2n ** 53n, max: 2n ** 80n }), clearOrNull);
    case 'decimal':
      return fc.oneof(
        fc
          .tuple(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.integer({ min: 0, max: 8 }))
          .map(([n, scale]) => {
            const digits = (n < 0n ? -n : n).toString().padStart(scale + 1, '0');
            const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
            return new ProfitDecimal(`${n < 0n ? '-' : ''}${text}`);
          }),
        clearOrNull,
      );
    case 'boolean':
      return fc.oneof(fc.boolean(), clearOrNull);
    case 'date':
      return fc.oneof(fc.constantFrom('2024-02-29', '1999-12-31T23:59:59'), clearOrNull);
    default:
      return fc.oneof(xmlText, clearOrNull);
  }
}

/**
 * A value the field's XSD accepts (length, code table, digits; a mandatory field never cleared): the bodies the
 * model sends after its own input checks.
 */
function validValueFor(f: UpdateConnectorField): fc.Arbitrary<unknown> {
  const clear = f.mandatory || f.dataType === 'boolean' ? [] : [fc.constant('')];
  if (f.values !== null && f.values.length > 0)
    return fc.oneof(fc.constantFrom(...f.values.map((v) => v.id)), ...clear);
  switch (f.dataType) {
    case 'int':
      return fc.oneof(fc.integer(), ...clear);
    case 'decimal': {
      const scale = Math.max(0, f.decimals);
      const digits = f.length > 0 ? Math.min(f.length, 18) : 18;
      const max = 10n ** BigInt(digits) - 1n;
      return fc.oneof(
        fc.bigInt({ min: -max, max }).map((n) => {
          const text = (n < 0n ? -n : n).toString().padStart(scale + 1, '0');
          const plain = scale === 0 ? text : `${text.slice(0, -scale)}.${text.slice(-scale)}`;
          return new ProfitDecimal(`${n < 0n ? '-' : ''}${plain}`);
        }),
        ...clear,
      );
    }
    case 'boolean':
      return fc.boolean();
    case 'date':
      return fc.oneof(fc.constantFrom('2024-02-29', '1999-12-31T23:59:59'), ...clear);
    case 'blob':
      return fc.oneof(
        fc.uint8Array({ maxLength: 12 }).map((b) => Buffer.from(b).toString('base64')),
        ...clear,
      );
    default: {
      const length = f.length > 0 ? f.length : 200;
      return fc.oneof(
        fc
          .string({
            minLength: 1,
            maxLength: Math.min(length, 40),
            unit: fc.constantFrom('a', 'é', '&', '<', ' ', '\n'),
          })
          .filter((t) => t.trim() !== ''),
        ...clear,
      );
    }
  }
}

function elementOf(
  object: Pick<UpdateConnectorObject, 'fields' | 'objects'>,
  depth: number,
  value: (f: UpdateConnectorField) => fc.Arbitrary<unknown> = valueFor,
): fc.Arbitrary<UpdateElement> {
  const keyFields = object.fields.filter((f) => f.primaryKey);
  const plain = object.fields.filter((f) => !f.primaryKey);
  const record = <T>(list: readonly UpdateConnectorField[], arb: (f: UpdateConnectorField) => fc.Arbitrary<T>) =>
    fc.record(Object.fromEntries(list.map((f) => [f.fieldId, arb(f)])), { requiredKeys: [] });
  const subs =
    depth >= 2 || object.objects.length === 0
      ? fc.constant({})
      : fc.record(
          Object.fromEntries(
            object.objects.map((o) => [
              o.name,
              fc.oneof(
                elementOf(o, depth + 1, value),
                fc.array(elementOf(o, depth + 1, value), { minLength: 2, maxLength: 3 }),
              ),
            ]),
          ),
          { requiredKeys: [] },
        );
  return fc
    .record({
      keys: record(keyFields, (f) => value(f).filter((v) => v !== null && v !== '')),
      fields: record(plain, value),
      action: fc.constantFrom(undefined, 'insert', 'update', 'delete'),
      objects: subs,
    })
    .map(({ keys, fields, action, objects }) => ({
      keys,
      fields,
      objects,
      ...(action === undefined ? {} : { action: action as UpdateElement['action'] }),
    })) as fc.Arbitrary<UpdateElement>;
}

describe('round trips of the demo model’s UpdateConnectors', () => {
  let emulator: Emulator;
  let metainfo: Readonly<Record<string, UpdateConnectorMetainfo>>;
  const bound = [...new Map(writeBindings().map((b) => [b.connector, b.root])).entries()];

  beforeAll(async () => {
    emulator = await startEmulator({ port: 0 });
    const admin = credentials(emulator.company).find((app) => app.appConnector === 'admin')?.users[0];
    const connection = new ProfitConnection({ baseUrl: emulator.baseUrl });
    try {
      const client = connection.client(authorizationHeader(admin?.authorization ?? ''));
      const only = { get: [], update: bound.map(([connector]) => connector) };
      ({ update: metainfo } = (await takeSnapshot(client, { only })).snapshot);
    } finally {
      await connection.close();
    }
  });
  afterAll(async () => {
    await emulator?.close();
  });

  it('binds UpdateConnectors whose metainfo the emulator serves', () => {
    expect(bound.map(([connector]) => connector).sort()).toEqual(
      ['HrAbsenceID', 'KnEmployee', 'KnOrganisation', 'KnPerson', 'KnSubject', 'PtProject'].sort(),
    );
    for (const [connector] of bound) expect(Object.keys(metainfo)).toContain(connector);
  });

  it('gives back the same JSON body after XML, for generated bodies of every bound UpdateConnector', () => {
    for (const [connector, root] of bound) {
      const meta = metainfo[connector] as UpdateConnectorMetainfo;
      const elements = fc.oneof(elementOf(meta, 0), fc.array(elementOf(meta, 0), { minLength: 2, maxLength: 3 }));
      fc.assert(
        fc.property(elements, (generated) => {
          const body = toUpdateBody(root, generated);
          expect(fromUpdateXml(toUpdateXml(body), { metainfo: meta })).toEqual(body);
        }),
        { numRuns: 60 },
      );
    }
  });

  it('writes XML that passes the connector’s XSD, for generated valid bodies of every bound UpdateConnector', () => {
    for (const [connector, root] of bound) {
      const meta = metainfo[connector] as UpdateConnectorMetainfo;
      const xsd = CompiledXsd.compile(connector, generateUpdateXsd(meta, { rootName: root }));
      try {
        const element = elementOf(meta, 0, validValueFor);
        const elements = fc.oneof(element, fc.array(element, { minLength: 2, maxLength: 3 }));
        fc.assert(
          fc.property(elements, fc.constantFrom('insert', 'update', 'delete'), (generated, action) => {
            expect(xsd.violations(toUpdateXml(toUpdateBody(root, generated), { action }))).toEqual([]);
          }),
          { numRuns: 40 },
        );
      } finally {
        xsd.dispose();
      }
    }
  });
});

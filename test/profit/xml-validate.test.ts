/**
 * XSD validation of UpdateConnector XML bodies (src/profit/xml/validate.ts), against the XSDs the emulator generates
 * from the demo's update metainfo (src/emulator/soap/xsd.ts, Profit's layout): each kind of invalid body is refused
 * with its path before anything reaches Profit, every violation is listed, and compiled XSDs are cached per
 * environment and connector, bounded.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentials, type Emulator, generateUpdateXsd, startEmulator } from '../../src/emulator/index.js';
import { toGraphQLError } from '../../src/graphql/errors.js';
import {
  authorizationHeader,
  type ProfitClient,
  ProfitConnection,
  ProfitError,
  toUpdateBody,
} from '../../src/profit/index.js';
import type { UpdateConnectorMetainfo } from '../../src/profit/results.js';
import { CompiledXsd, toUpdateXml, XmlSchemaError, XsdCache, type XsdViolation } from '../../src/profit/xml/index.js';

let emulator: Emulator;
let connection: ProfitConnection;
let client: ProfitClient;
const metainfo = new Map<string, UpdateConnectorMetainfo>();
let cache: XsdCache;
let loads: string[];

/** The XSD of a connector as the emulator's GetXmlSchema would answer it, from the metainfo it serves. */
async function xsdOf(connector: string): Promise<string> {
  let meta = metainfo.get(connector);
  if (meta === undefined) {
    meta = await client.updateConnectorMetainfo(connector);
    metainfo.set(connector, meta);
  }
  return generateUpdateXsd(meta);
}

const updateCalls = () =>
  emulator.log.entries().filter((e) => /^\/connectors\/|AppConnectorUpdate/i.test(e.path)).length;

async function refused(connector: string, xml: string): Promise<readonly XsdViolation[]> {
  const before = updateCalls();
  const error = await cache.check('demo', connector, xml).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(XmlSchemaError);
  expect((error as XmlSchemaError).kind).toBe('invalid-argument');
  expect((error as XmlSchemaError).requestSent).toBe(false);
  expect(updateCalls()).toBe(before);
  return (error as XmlSchemaError).violations;
}

const subject = (inner: string) =>
  `<KnSubject xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><Element SbId="5">${inner}</Element></KnSubject>`;
const person = (fields: string) =>
  `<KnPerson xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><Element><Fields Action="insert">${fields}</Fields></Element></KnPerson>`;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  const admin = credentials(emulator.company).find((app) => app.appConnector === 'admin')?.users[0];
  connection = new ProfitConnection({ baseUrl: emulator.baseUrl });
  client = connection.client(authorizationHeader(admin?.authorization ?? ''));
  loads = [];
  cache = new XsdCache({
    load: async (environment, connector) => {
      loads.push(`${environment}/${connector}`);
      return xsdOf(connector);
    },
  });
});
afterAll(async () => {
  await cache?.clear();
  await connection?.close();
  await emulator?.close();
});

describe('a valid body', () => {
  it('passes: the XML form of the model’s own body, with the Action SOAP requires', async () => {
    const body = toUpdateBody('KnSubject', {
      keys: { SbId: 5 },
      fields: { StId: 2, Ds: 'Onderwerp & <meer>' },
      objects: { KnSubjectLink: { fields: { SfTp: '1' } } },
    });
    await expect(cache.check('demo', 'KnSubject', toUpdateXml(body, { action: 'update' }))).resolves.toBeUndefined();
  });
});

describe('each kind of invalid body is refused with its path, before any UpdateConnector call', () => {
  it('a value of the wrong type', async () => {
    const violations = await refused('KnPerson', person('<AutoNum>yes</AutoNum>'));
    expect(violations).toEqual([
      expect.objectContaining({ path: '/KnPerson/Element/Fields/AutoNum', message: expect.stringContaining("'yes'") }),
    ]);
  });

  it('a key attribute of the wrong type', async () => {
    const xml = subject('<Fields Action="update"><Ds>x</Ds></Fields>').replace('SbId="5"', 'SbId="five"');
    expect((await refused('KnSubject', xml)).map((v) => v.path)).toEqual(['/KnSubject/Element/@SbId']);
  });

  it('a text longer than the field', async () => {
    const length = metainfo.get('KnPerson')?.fields.find((f) => f.fieldId === 'FiNm')?.length ?? 0;
    expect(length).toBeGreaterThan(0);
    const violations = await refused('KnPerson', person(`<FiNm>${'x'.repeat(length + 1)}</FiNm>`));
    expect(violations).toEqual([
      expect.objectContaining({ path: '/KnPerson/Element/Fields/FiNm', message: expect.stringContaining('maxLength') }),
    ]);
  });

  it('a mandatory field cleared, and Fields without the Action it must carry', async () => {
    const cleared = await refused('KnSubject', subject('<Fields Action="update"><Ds xsi:nil="true"/></Fields>'));
    expect(cleared[0]).toEqual(
      expect.objectContaining({ path: '/KnSubject/Element/Fields/Ds', message: "The element is not 'nillable'." }),
    );
    const noAction = await refused('KnSubject', subject('<Fields><Ds>x</Ds></Fields>'));
    expect(noAction).toEqual([
      expect.objectContaining({ path: '/KnSubject/Element/Fields', message: expect.stringContaining('Action') }),
    ]);
  });

  it('a code outside the field’s code table', async () => {
    const violations = await refused('KnPerson', person('<ViGe>Q</ViGe>'));
    expect(violations).toEqual([
      expect.objectContaining({
        path: '/KnPerson/Element/Fields/ViGe',
        message: expect.stringContaining('enumeration'),
      }),
    ]);
  });

  it('a field the connector does not have', async () => {
    const violations = await refused('KnPerson', person('<Nope>1</Nope>'));
    expect(violations).toEqual([
      expect.objectContaining({
        path: '/KnPerson/Element/Fields/Nope',
        message: expect.stringContaining('not expected'),
      }),
    ]);
  });

  it('an Action that is not insert, update or delete', async () => {
    const violations = await refused('KnSubject', subject('<Fields Action="upsert"><Ds>x</Ds></Fields>'));
    expect(violations.map((v) => v.path)).toEqual(['/KnSubject/Element/Fields/@Action']);
  });

  it('a sub-object outside Objects, and Fields after Objects', async () => {
    const outside = await refused(
      'KnSubject',
      subject('<Fields Action="update"><Ds>x</Ds></Fields><KnSubjectLink><Element/></KnSubjectLink>'),
    );
    expect(outside.map((v) => v.path)).toEqual(['/KnSubject/Element/KnSubjectLink']);
    const order = await refused(
      'KnSubject',
      subject('<Objects><KnSubjectLink><Element/></KnSubjectLink></Objects><Fields Action="update"/>'),
    );
    expect(order.map((v) => v.path)).toEqual(['/KnSubject/Element/Fields']);
  });

  it('lists every violation of a body, one per element, with its line', async () => {
    const xml = [
      '<KnPerson>',
      '<Element><Fields Action="insert"><ViGe>Q</ViGe></Fields></Element>',
      '<Element><Fields Action="delete"><AutoNum>2</AutoNum></Fields></Element>',
      '</KnPerson>',
    ].join('\n');
    const violations = await refused('KnPerson', xml);
    expect(violations.map((v) => [v.path, v.line])).toEqual([
      ['/KnPerson/Element[1]/Fields/ViGe', 2],
      ['/KnPerson/Element[2]/Fields/AutoNum', 3],
    ]);
  });

  it('XML that is not well-formed, and a DOCTYPE (no entity is expanded)', async () => {
    const broken = await refused('KnSubject', '<KnSubject><Element></KnSubject>');
    expect(broken[0]?.message).toMatch(/^not well-formed/);
    const xxe = await refused(
      'KnSubject',
      '<!DOCTYPE KnSubject [<!ENTITY x SYSTEM "file:///etc/passwd">]><KnSubject><Element SbId="&x;"/></KnSubject>',
    );
    expect(xxe).toEqual([{ path: '/', line: 0, message: 'a DOCTYPE is refused (no DTD is read)' }]);
  });
});

describe('the error the GraphQL layer gives', () => {
  it('is BAD_USER_INPUT with every violation and its path', async () => {
    const error = await cache.check('demo', 'KnPerson', person('<ViGe>Q</ViGe><Nope/>')).catch((e: unknown) => e);
    const translated = toGraphQLError(error) as { extensions: Record<string, unknown>; message: string };
    expect(translated.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'xsd',
      violations: [
        expect.objectContaining({ path: '/KnPerson/Element/Fields/ViGe' }),
        expect.objectContaining({ path: '/KnPerson/Element/Fields/Nope' }),
      ],
    });
    expect(translated.message).toContain('KnPerson');
  });
});

describe('the cache of compiled XSDs', () => {
  it('loads an XSD once per environment and connector (ids compared without case)', async () => {
    loads.length = 0;
    const xml = subject('<Fields Action="update"><Ds>x</Ds></Fields>');
    await Promise.all([cache.check('demo', 'KnSubject', xml), cache.check('demo', 'knsubject', xml)]);
    await cache.check('other', 'KnSubject', xml);
    expect(loads).toEqual(['other/KnSubject']);
  });

  it('keeps at most maxEntries, the least recently used going first, and does not keep a failed load', async () => {
    let calls = 0;
    const small = new XsdCache({
      maxEntries: 2,
      load: async (_environment, connector) => {
        calls++;
        if (connector === 'Broken') throw new ProfitError('network', 'down');
        return xsdOf(connector);
      },
    });
    const xml = subject('<Fields Action="update"><Ds>x</Ds></Fields>');
    await small.check('e', 'KnSubject', xml);
    await small.check('e', 'KnPerson', person('')).catch(() => undefined);
    await small.check('e', 'KnSubject', xml);
    await small.check('e', 'HrAbsenceID', '<HrAbsenceID/>').catch(() => undefined);
    expect(small.size).toBe(2);
    await small.check('e', 'KnSubject', xml);
    expect(calls).toBe(3);
    await expect(small.check('e', 'Broken', xml)).rejects.toThrow('down');
    await expect(small.check('e', 'Broken', xml)).rejects.toThrow('down');
    expect(calls).toBe(5);
    await small.clear();
    expect(small.size).toBe(0);
  });

  it('refuses an XSD that is not one, naming the connector', () => {
    expect(() => CompiledXsd.compile('KnX', '<xsd:schema xmlns:xsd="urn:not-xsd"/>')).toThrow(/XSD of KnX/);
  });
});

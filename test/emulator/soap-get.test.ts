import { describe, expect, it } from 'vitest';
import { type GetFieldDef, ProfitRejection } from '../../src/emulator/company/types.js';
import { parseFiltersXml, parseSoapGetRequest, renderGetXml, xmlName } from '../../src/emulator/soap/get.js';

const params = (p: Record<string, string>) => new Map(Object.entries(p));
const paging = (p: Record<string, string>) => {
  const { skip, take } = parseSoapGetRequest(params(p)).request;
  return { skip, take };
};

describe('filtersXml', () => {
  it('reads Filters as OR groups of ANDed Fields', () => {
    const xml =
      '<Filters><Filter FilterId="1"><Field FieldId="A" OperatorType="1">x &amp; y</Field>' +
      '<Field FieldId="B" OperatorType="8"/></Filter><Filter FilterId="2"><Field FieldId="C" OperatorType="6">z</Field>' +
      '</Filter></Filters>';
    expect(parseFiltersXml(xml)).toEqual([
      [
        { field: 'A', operator: 1, value: 'x & y' },
        { field: 'B', operator: 8, value: '' },
      ],
      [{ field: 'C', operator: 6, value: 'z' }],
    ]);
  });

  it('takes an empty or absent filtersXml as no filter', () => {
    expect(parseFiltersXml(undefined)).toEqual([]);
    expect(parseFiltersXml('  ')).toEqual([]);
  });

  it.each([
    ['not XML', '<Filters>'],
    ['another root', '<Filter/>'],
    ['an operator out of range', '<Filters><Filter><Field FieldId="A" OperatorType="16">1</Field></Filter></Filters>'],
    ['a field without FieldId', '<Filters><Filter><Field OperatorType="1">1</Field></Filter></Filters>'],
    ['a document type declaration', '<!DOCTYPE Filters []><Filters/>'],
  ])("answers %s with Profit's unexpected error", (_what, xml) => {
    expect(() => parseFiltersXml(xml)).toThrow(ProfitRejection);
  });
});

describe('paging, as PracticalAfas records Profit’s SOAP GetConnector', () => {
  it('returns no rows when take is absent', () => {
    expect(paging({})).toEqual({ skip: 0, take: 0 });
  });

  it('returns every row for skip -1, whatever take says', () => {
    expect(paging({ skip: '-1', take: '-5' })).toEqual({ skip: -1, take: -5 });
  });

  it('refuses a negative take parameter otherwise', () => {
    expect(() => paging({ skip: '0', take: '-1' })).toThrow(ProfitRejection);
  });

  it('reads Skip and Take from options when the parameters are absent, capping the options Take at 1000', () => {
    const options = (take: string) => ({ options: `<options><Skip>5</Skip><Take>${take}</Take></options>` });
    expect(paging(options('20'))).toEqual({ skip: 5, take: 20 });
    expect(paging(options('5000'))).toEqual({ skip: 5, take: 1000 });
    expect(paging(options('-3'))).toEqual({ skip: 5, take: 1000 });
    expect(paging({ take: '7', ...options('20') })).toEqual({ skip: 5, take: 7 });
  });

  it('reads a skip below -1 as 0 with a take, as every row without one', () => {
    expect(paging({ skip: '-4', take: '3' })).toEqual({ skip: 0, take: 3 });
    expect(paging({ skip: '-4' })).toEqual({ skip: -1, take: 0 });
  });
});

describe('options', () => {
  it('reads Index as the order, OperatorType 0 descending', () => {
    const options =
      '<options><Index><Field FieldId="A" OperatorType="1"/><Field FieldId="B" OperatorType="0"/></Index></options>';
    expect(parseSoapGetRequest(params({ take: '1', options })).request.orderBy).toBe('A,-B');
  });

  it('defaults to no metadata and no empty fields; Outputmode 2 (text) is refused', () => {
    expect(parseSoapGetRequest(params({})).options).toEqual({ metadata: false, includeEmpty: false });
    const text = '<options><Outputmode>2</Outputmode></options>';
    expect(() => parseSoapGetRequest(params({ options: text }))).toThrow(ProfitRejection);
  });
});

describe('the <AfasGetConnector> result', () => {
  const f = (id: string, dataType: GetFieldDef['dataType']): GetFieldDef => ({
    id,
    fieldId: id,
    dataType,
    label: id,
    length: 0,
    controlType: 1,
    decimals: 0,
    decimalsFieldId: '',
  });
  const fields = [f('Name', 'string'), f('When', 'date'), f('Ok', 'boolean'), f('Memo', 'string')];

  it('writes values as REST does, datetimes without the Z, and escapes text (a CR as &#xD;)', () => {
    const rows = [{ Name: 'A & <B>', When: '2026-03-01T10:00:00', Ok: false, Memo: 'x\r\ny' }];
    expect(renderGetXml('Conn', rows, fields, { metadata: false, includeEmpty: false })).toBe(
      '<AfasGetConnector><Conn><Name>A &amp; &lt;B&gt;</Name><When>2026-03-01T10:00:00</When><Ok>false</Ok>' +
        '<Memo>x&#xD;\ny</Memo></Conn></AfasGetConnector>',
    );
  });

  it('leaves empty fields out, or writes them empty with Outputoptions 3', () => {
    const rows = [{ Name: 'A', When: null, Ok: null, Memo: '' }];
    expect(renderGetXml('Conn', rows, fields, { metadata: false, includeEmpty: false })).toBe(
      '<AfasGetConnector><Conn><Name>A</Name></Conn></AfasGetConnector>',
    );
    expect(renderGetXml('Conn', rows, fields, { metadata: false, includeEmpty: true })).toBe(
      '<AfasGetConnector><Conn><Name>A</Name><When /><Ok /><Memo /></Conn></AfasGetConnector>',
    );
  });

  it('encodes a field id that is no XML name as .NET does', () => {
    expect(xmlName('Plaats van vestiging')).toBe('Plaats_x0020_van_x0020_vestiging');
    expect(xmlName('1e')).toBe('_x0031_e');
  });
});

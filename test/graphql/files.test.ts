/** The report filter compiler (pure) and files through an in-process server without a download route. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileReportWhere } from '../../src/graphql/files/index.js';
import { WhereError } from '../../src/graphql/where/index.js';
import { type Harness, startHarness } from './helpers.js';

describe('compileReportWhere', () => {
  it('compiles field conditions by field id, values as text', () => {
    expect(compileReportWhere({ fields: [{ field: 'Department', eq: 'ICT' }] })).toEqual([
      [{ field: 'Department', op: 'eq', value: 'ICT' }],
    ]);
  });

  it('ANDs fields and `and`, ORs `or`, and simplifies to disjunctive normal form', () => {
    const groups = compileReportWhere({
      fields: [{ field: 'Department', in: ['ICT', 'Consultancy'] }],
      and: [{ fields: [{ field: 'DateInService', gte: '2024-01-01T00:00:00' }] }],
      or: [
        { fields: [{ field: 'Function', startsWith: 'Senior' }] },
        { fields: [{ field: 'Function', isEmpty: true }] },
      ],
    });
    expect(groups).toHaveLength(4);
    for (const group of groups) {
      expect(group.map((c) => c.field).sort()).toEqual(['DateInService', 'Department', 'Function']);
    }
  });

  it('gives no filter for an absent or empty where', () => {
    expect(compileReportWhere(null)).toEqual([]);
    expect(compileReportWhere({})).toEqual([]);
    expect(compileReportWhere({ fields: [] })).toEqual([]);
  });

  it('refuses what the entity filters refuse: null values, in: [], empty text, and reserved or empty field ids', () => {
    const bad = [
      { fields: [{ field: 'Department', eq: null }] },
      { fields: [{ field: 'Department', in: [] }] },
      { fields: [{ field: 'Department', eq: '' }] },
      { fields: [{ field: 'and', eq: 'x' }] },
      { fields: [{ field: ' ', eq: 'x' }] },
      { or: [] },
    ];
    for (const where of bad) expect(() => compileReportWhere(where)).toThrow(WhereError);
  });

  it('refuses nesting deeper than 32 levels', () => {
    let where: { and?: unknown[]; fields?: unknown[] } = { fields: [{ field: 'X', eq: '1' }] };
    for (let i = 0; i < 40; i++) where = { and: [where] };
    expect(() => compileReportWhere(where as never)).toThrow(/deeper/);
  });
});

describe('files without a download route (an in-process server)', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ scale: 1 });
  });
  afterAll(() => harness.close());

  it('answers DOWNLOADS_UNAVAILABLE for downloadUrl, and still serves contentBase64', async () => {
    const { result } = await harness.run(
      '{ dossierItem(dossierItemId: 49946) { attachments { edges { node { downloadUrl contentBase64 } } } } }',
    );
    const node = (result.data as { dossierItem: { attachments: { edges: { node: Record<string, unknown> }[] } } })
      .dossierItem.attachments.edges[0]?.node;
    expect(node?.downloadUrl).toBeNull();
    expect(typeof node?.contentBase64).toBe('string');
    expect(result.errors?.map((e) => e.extensions?.code)).toEqual(['DOWNLOADS_UNAVAILABLE']);
  });

  it('types field ids by the report’s source: a known one renders, an unknown one is BAD_USER_INPUT before any report call', async () => {
    const report = (field: string) =>
      harness.run(
        `{ report(id: "5A1B7C3D9E2F40A1B2C3D4E5F6A7B8C9", where: { fields: [{ field: "${field}", eq: "ICT" }] }) { mimeType } }`,
      );
    const known = await report('Department');
    expect(known.result.errors).toBeUndefined();
    expect(known.calls.map((c) => c.path)).toEqual([
      '/ProfitRestServices/ReportConnector/5A1B7C3D9E2F40A1B2C3D4E5F6A7B8C9',
    ]);
    const unknown = await report('NoSuchField');
    expect(unknown.result.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(unknown.calls.filter((c) => /ReportConnector/i.test(c.path))).toEqual([]);
  });
});

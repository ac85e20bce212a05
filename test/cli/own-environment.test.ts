/**
 * Issue 11 §6, the whole path for an environment the code has never seen: a snapshot written by hand
 * (test/fixtures/profile-env.json: `Cust_` connectors with Dutch names, a GUID custom field, decimals, days and
 * moments, a code field, a multi-field key) is emulated (`emulator --profile`), a model is generated from the same
 * file (`generate --from`), loaded as `PROFIT_MODEL` and served over HTTP against that emulator. Every answer is
 * compared with the emulator's own rows, read directly with its admin credential, and every upstream call is
 * counted from the emulator's request log. Finally `check --from` finds the model compatible with the file, and
 * an edited copy yields exactly its finding. Its own process (vitest forks), so the generated classes meet no
 * other model.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromProfitDateTime } from '../../src/profit/datetime.js';
import { type OwnEnvironment, ROOT, type Row, startOwnEnvironment } from './own-environment-harness.js';

const FIXTURE = join(ROOT, 'test/fixtures/profile-env.json');

let env: OwnEnvironment;
const rowsOf = (connector: string) => env.rowsOf(connector);
const run = (query: string, variables?: Record<string, unknown>) => env.run(query, variables);

beforeAll(async () => {
  env = await startOwnEnvironment(FIXTURE, 'ownenv');
  expect(env.written).toEqual([
    'cust-chauffeur.ts',
    'cust-rit.ts',
    'cust-vrachtwagen.ts',
    'index.ts',
    'profit-model.json',
  ]);
}, 120_000);

afterAll(() => env?.close());

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

describe('an environment the code has never seen, emulated, generated and served', () => {
  it('lists with where, orderBy and paging exactly the rows the emulator holds, one Profit call per page', async () => {
    const diesel = (await rowsOf('Cust_Vrachtwagens')).filter((r) => r.Brandstof === 'D');
    expect(diesel.length).toBeGreaterThan(3);
    const expected = diesel
      .map((r) => r.Kenteken as string)
      .sort(byText)
      .reverse();
    const query = `query ($after: String) {
      custVrachtwagens(where: { brandstof: { eq: "D" } }, orderBy: [{ field: kenteken, direction: DESC }], first: 3, after: $after) {
        edges { node { kenteken merk laadvermogen aankoopdatum vestiging actief } }
        pageInfo { hasNextPage endCursor }
      }
    }`;
    const seen: Row[] = [];
    let after: string | undefined;
    for (;;) {
      const { body, calls } = await run(query, after === undefined ? {} : { after });
      expect(body.errors).toBeUndefined();
      expect(calls).toEqual(['GET /connectors/Cust_Vrachtwagens 200']);
      const page = body.data.custVrachtwagens;
      seen.push(...page.edges.map((e: { node: Row }) => e.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(seen.map((n) => n.kenteken)).toEqual(expected);
    // Each value is the emulator's: the GUID custom field under its label, a decimal exact, a moment as an instant.
    for (const node of seen) {
      const row = diesel.find((r) => r.Kenteken === node.kenteken)!;
      expect(node.merk).toBe(row.Merk);
      expect(node.vestiging).toBe(row.U3F2A9C4E1B0D7F6A5C3B2E1D0F9A8C7);
      expect(node.actief).toBe(row.Actief);
      expect(Number(node.laadvermogen)).toBe(row.Laadvermogen);
      // Profit's zone-less moment is Dutch local time: the same instant as the service's ISO text.
      expect(node.aankoopdatum).toBe(
        row.Aankoopdatum === null ? null : fromProfitDateTime(row.Aankoopdatum as string).toISOString(),
      );
    }
  });

  it('looks up by the multi-field key, follows relations both ways and resolves _entities', async () => {
    const ritten = await rowsOf('Cust_Ritten');
    const rit = ritten[0]!;
    const chauffeur = (await rowsOf('Cust_Chauffeurs')).find((c) => c.ChauffeurNr === rit.ChauffeurNr)!;
    const { body, calls } = await run(
      `query ($kenteken: ID!, $ritNr: ID!) {
        custRit(kenteken: $kenteken, ritNr: $ritNr) {
          afstandKm opmerking
          custChauffeur { naam geboortedatum uurloon }
          custVrachtwagen { kenteken custRits(first: 100) { edges { node { ritNr } } } }
        }
        _entities(representations: [{ __typename: "CustRit", kenteken: $kenteken, ritNr: $ritNr }]) {
          ... on CustRit { afstandKm }
        }
      }`,
      { kenteken: rit.Kenteken, ritNr: String(rit.RitNr) },
    );
    expect(body.errors).toBeUndefined();
    const found = body.data.custRit;
    expect(Number(found.afstandKm)).toBe(rit.AfstandKm);
    expect(found.opmerking).toBe(rit.Opmerking);
    // A day stays a day: no time, no zone.
    expect(found.custChauffeur).toEqual({
      naam: chauffeur.Naam,
      geboortedatum: chauffeur.Geboortedatum === null ? null : String(chauffeur.Geboortedatum).slice(0, 10),
      uurloon: expect.any(String),
    });
    expect(Number(found.custChauffeur.uurloon)).toBe(chauffeur.Uurloon);
    expect(found.custVrachtwagen.kenteken).toBe(rit.Kenteken);
    const own = ritten.filter((r) => r.Kenteken === rit.Kenteken).map((r) => String(r.RitNr));
    expect(found.custVrachtwagen.custRits.edges.map((e: { node: Row }) => e.node.ritNr).sort()).toEqual(own.sort());
    expect(body.data._entities).toEqual([{ afstandKm: found.afstandKm }]);
    // The lookup and _entities share one loader call; then both relations of the rit, then the truck's rides.
    expect(calls.sort()).toEqual(
      [
        'GET /connectors/Cust_Ritten 200',
        'GET /connectors/Cust_Chauffeurs 200',
        'GET /connectors/Cust_Vrachtwagens 200',
        'GET /connectors/Cust_Ritten 200',
      ].sort(),
    );
  });

  it('creates through the generated write declaration: a code the profile lacks is refused, a good truck is written and read back', async () => {
    const mutation = `mutation ($input: CreateCustVrachtwagenInput!) {
      createCustVrachtwagen(input: $input) { kenteken merk brandstof laadvermogen vestiging }
    }`;
    const truck = { kenteken: 'ZZ-123-Q', merk: 'Volvo', laadvermogen: '12.75', vestiging: 'Vestiging Zuid' };

    const refused = await run(mutation, { input: { ...truck, brandstof: 'X' } });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.body.errors[0].message).toMatch(/brandstof/i);
    expect(refused.calls).toEqual([]);
    expect((await rowsOf('Cust_Vrachtwagens')).some((r) => r.Kenteken === truck.kenteken)).toBe(false);

    const created = await run(mutation, { input: { ...truck, brandstof: 'W' } });
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data.createCustVrachtwagen).toEqual({ ...truck, brandstof: 'W' });
    expect(created.calls).toEqual(['POST /connectors/FbVrachtwagen 201', 'GET /connectors/Cust_Vrachtwagens 200']);
    const row = (await rowsOf('Cust_Vrachtwagens')).find((r) => r.Kenteken === truck.kenteken);
    expect(row).toMatchObject({
      Merk: 'Volvo',
      Brandstof: 'W',
      Laadvermogen: 12.75,
      U3F2A9C4E1B0D7F6A5C3B2E1D0F9A8C7: 'Vestiging Zuid',
    });
  });
});

describe('check against the same file', () => {
  const checkFrom = (file: string) => env.check(file);

  it('finds the generated model compatible', async () => {
    const { code, findings } = await checkFrom(FIXTURE);
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(code).toBe(0);
  });

  it('finds exactly the field Profit now takes shorter in an edited copy', async () => {
    const snapshot = JSON.parse(await readFile(FIXTURE, 'utf8'));
    const merk = snapshot.update.FbVrachtwagen.fields.find((f: { fieldId: string }) => f.fieldId === 'Merk');
    merk.length = 10;
    const edited = join(env.dir, 'env-edited.json');
    await writeFile(edited, JSON.stringify(snapshot));
    const { code, findings } = await checkFrom(edited);
    expect(findings).toEqual([
      expect.objectContaining({ kind: 'length-shrunk', severity: 'error', connector: 'FbVrachtwagen', field: 'Merk' }),
    ]);
    expect(code).toBe(1);
  });
});

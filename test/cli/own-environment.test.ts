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
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheckCommand } from '../../src/check-command.js';
import {
  credentials,
  type Emulator,
  profileCompanyFactory,
  readSnapshotFile,
  startEmulator,
} from '../../src/emulator/index.js';
import type { LogEntry } from '../../src/emulator/log.js';
import { runGenerate } from '../../src/generate/cli.js';
import { loadModel } from '../../src/models.js';
import { fromProfitDateTime } from '../../src/profit/datetime.js';
import type { Service } from '../../src/server/index.js';
import { graphql, http, type Reply, startTestService } from '../server/helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURE = join(ROOT, 'test/fixtures/profile-env.json');
const MODEL = 'ownenv';

type Row = Record<string, unknown>;

let emulator: Emulator;
let service: Service;
let dir: string;
let admin: string;

beforeAll(async () => {
  emulator = await startEmulator({
    createCompany: profileCompanyFactory(await readSnapshotFile(FIXTURE)),
    company: { seed: 7 },
  });
  admin = credentials(emulator.company)[0]!.users[0]!.authorization;
  // Where the project's tsconfig covers it (its decorator options direct the transpiler); removed afterwards.
  dir = await mkdtemp(join(import.meta.dirname, '.models-'));
  const { written } = await runGenerate({ from: FIXTURE, out: relative(ROOT, join(dir, MODEL)), connectors: [] }, ROOT);
  expect(written.map((f) => f.split('/').at(-1)).sort()).toEqual([
    'cust-chauffeur.ts',
    'cust-ritt.ts',
    'cust-vrachtwagen.ts',
    'index.ts',
    'profit-model.json',
  ]);
  await loadModel(MODEL, pathToFileURL(`${dir}/`));
  service = await startTestService({ PROFIT_BASE_URL: emulator.baseUrl, PROFIT_MODEL: MODEL });
}, 120_000);

afterAll(async () => {
  await service?.close();
  await emulator?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The emulator's own rows of a GetConnector, read directly (not through the service). */
async function rowsOf(connector: string): Promise<Row[]> {
  const reply = await http(`${emulator.baseUrl}/connectors/${connector}?skip=-1&take=-1`, {
    headers: { authorization: admin },
  });
  expect(reply.status, reply.text).toBe(200);
  return reply.json.rows as Row[];
}

/** A GraphQL request as the admin, with the Profit calls it caused. */
async function run(
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ body: Reply['json']; calls: string[] }> {
  const before = emulator.log.entries().at(-1)?.seq ?? 0;
  const reply = await graphql(service, query, { authorization: admin, ...(variables ? { variables } : {}) });
  const calls = emulator.log
    .entries()
    .filter((e: LogEntry) => e.seq > before && /\/connectors\//i.test(e.path))
    .map((e) => `${e.method} ${e.path.replace(/^\/ProfitRestServices/i, '')} ${e.status}`);
  return { body: reply.json, calls };
}

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
        custRitt(kenteken: $kenteken, ritNr: $ritNr) {
          afstandKm opmerking
          custChauffeur { naam geboortedatum uurloon }
          custVrachtwagen { kenteken custRitts(first: 100) { edges { node { ritNr } } } }
        }
        _entities(representations: [{ __typename: "CustRitt", kenteken: $kenteken, ritNr: $ritNr }]) {
          ... on CustRitt { afstandKm }
        }
      }`,
      { kenteken: rit.Kenteken, ritNr: String(rit.RitNr) },
    );
    expect(body.errors).toBeUndefined();
    const found = body.data.custRitt;
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
    expect(found.custVrachtwagen.custRitts.edges.map((e: { node: Row }) => e.node.ritNr).sort()).toEqual(own.sort());
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
  const checkFrom = async (file: string) => {
    let stdout = '';
    const code = await runCheckCommand(['--from', file, '--json'], {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: () => true },
      env: { PROFIT_MODEL: MODEL },
    });
    return { code, findings: JSON.parse(stdout) as { kind: string; severity: string; field?: string }[] };
  };

  it('finds the generated model compatible', async () => {
    const { code, findings } = await checkFrom(FIXTURE);
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(code).toBe(0);
  });

  it('finds exactly the field Profit now takes shorter in an edited copy', async () => {
    const env = JSON.parse(await readFile(FIXTURE, 'utf8'));
    const merk = env.update.FbVrachtwagen.fields.find((f: { fieldId: string }) => f.fieldId === 'Merk');
    merk.length = 10;
    const edited = join(dir, 'env-edited.json');
    await writeFile(edited, JSON.stringify(env));
    const { code, findings } = await checkFrom(edited);
    expect(findings).toEqual([
      expect.objectContaining({ kind: 'length-shrunk', severity: 'error', connector: 'FbVrachtwagen', field: 'Merk' }),
    ]);
    expect(code).toBe(1);
  });
});

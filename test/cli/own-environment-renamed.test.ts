/**
 * The path of issue 11 (see own-environment.test.ts) for a hand-written snapshot whose GetConnectors name their
 * columns otherwise than Profit's field codes, as user-made connectors do (`Mdw_Nr` for `EmId`, `Naam` for `Nm`):
 * test/fixtures/generate-env.json, with a GUID custom field, decimals, days, a code field and a two-field key. The
 * model reads columns and writes field codes; the emulator must map one to the other as Profit does.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OwnEnvironment, ROOT, startOwnEnvironment } from './own-environment-harness.js';

const FIXTURE = join(ROOT, 'test/fixtures/generate-env.json');
const GUID = 'U5C8A9E4B4F2A4D1B9E3F0A7C6D5E4F3A';

let env: OwnEnvironment;

beforeAll(async () => {
  env = await startOwnEnvironment(FIXTURE, 'renamed');
}, 120_000);

afterAll(() => env?.close());

describe('an environment whose GetConnectors rename their columns, emulated, generated and served', () => {
  it('lists by a code field in the order asked, each value the emulator’s own, one Profit call per page', async () => {
    const women = (await env.rowsOf('Profit_Medewerkers')).filter((r) => r.Geslacht === 'V');
    expect(women.length).toBeGreaterThan(2);
    const query = `query ($after: String) {
      medewerkers(where: { geslacht: { eq: "V" } }, orderBy: [{ field: mdwNr, direction: ASC }], first: 2, after: $after) {
        edges { node { mdwNr naam geboortedatum uurloon schoenmaatVrijVeld } }
        pageInfo { hasNextPage endCursor }
      }
    }`;
    const seen: Record<string, unknown>[] = [];
    let after: string | undefined;
    for (;;) {
      const { body, calls } = await env.run(query, after === undefined ? {} : { after });
      expect(body.errors).toBeUndefined();
      expect(calls).toEqual(['GET /connectors/Profit_Medewerkers 200']);
      seen.push(...body.data.medewerkers.edges.map((e: { node: Record<string, unknown> }) => e.node));
      if (!body.data.medewerkers.pageInfo.hasNextPage) break;
      after = body.data.medewerkers.pageInfo.endCursor;
    }
    expect(seen.map((n) => n.mdwNr)).toEqual(women.map((r) => String(r.Mdw_Nr)).sort());
    for (const node of seen) {
      const row = women.find((r) => String(r.Mdw_Nr) === node.mdwNr)!;
      expect(node.naam).toBe(row.Naam);
      expect(node.schoenmaatVrijVeld).toBe(row[GUID]);
      expect(node.geboortedatum).toBe(row.Geboortedatum === null ? null : String(row.Geboortedatum).slice(0, 10));
      expect(node.uurloon === null ? null : Number(node.uurloon)).toBe(row.Uurloon);
    }
  });

  it('looks up an enrolment by its two-field key and follows it to the employee', async () => {
    const enrolment = (await env.rowsOf('Cursus_Inschrijvingen'))[0]!;
    const employee = (await env.rowsOf('Profit_Medewerkers')).find((r) => r.Mdw_Nr === enrolment.Mdw_Nr)!;
    const { body, calls } = await env.run(
      `query ($cursus: ID!, $mdwNr: ID!) {
        cursusInschrijving(cursus: $cursus, mdwNr: $mdwNr) { aanmelddatum medewerker { naam } }
        _entities(representations: [{ __typename: "CursusInschrijving", cursus: $cursus, mdwNr: $mdwNr }]) {
          ... on CursusInschrijving { aanmelddatum }
        }
      }`,
      { cursus: String(enrolment.Cursus), mdwNr: String(enrolment.Mdw_Nr) },
    );
    expect(body.errors).toBeUndefined();
    const day = enrolment.Aanmelddatum === null ? null : String(enrolment.Aanmelddatum).slice(0, 10);
    expect(body.data.cursusInschrijving).toEqual({ aanmelddatum: day, medewerker: { naam: employee.Naam } });
    expect(body.data._entities).toEqual([{ aanmelddatum: day }]);
    expect(calls).toEqual(['GET /connectors/Cursus_Inschrijvingen 200', 'GET /connectors/Profit_Medewerkers 200']);
  });

  it('creates through KnEmployee by field codes and reads the new row back under its column names', async () => {
    const mutation = `mutation ($input: CreateMedewerkerInput!) {
      createMedewerker(input: $input) { mdwNr naam geslacht uurloon schoenmaatVrijVeld }
    }`;
    const employee = { mdwNr: 'X100', naam: 'De Vries', uurloon: '21.25', schoenmaatVrijVeld: '44' };
    const refused = await env.run(mutation, { input: { ...employee, geslacht: 'Q' } });
    expect(refused.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(refused.calls).toEqual([]);

    const created = await env.run(mutation, { input: { ...employee, geslacht: 'V' } });
    expect(created.body.errors).toBeUndefined();
    expect(created.body.data.createMedewerker).toEqual({ ...employee, geslacht: 'V' });
    expect(created.calls).toEqual(['POST /connectors/KnEmployee 201', 'GET /connectors/Profit_Medewerkers 200']);
    expect((await env.rowsOf('Profit_Medewerkers')).find((r) => r.Mdw_Nr === 'X100')).toMatchObject({
      Naam: 'De Vries',
      Geslacht: 'V',
      Uurloon: 21.25,
      [GUID]: '44',
    });
  });

  it('is compatible with the file it came from', async () => {
    const { code, findings } = await env.check(FIXTURE);
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(code).toBe(0);
  });
});

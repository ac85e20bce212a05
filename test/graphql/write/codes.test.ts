/**
 * Code values (nationality, legal form, leave reasons, dossier item types…) are accepted when Profit accepts them:
 * the write side checks them against the environment's own `GET /metainfo/update/{connector}` `values`, read once
 * per connector per credential and TTL (cached with the grant), before any UpdateConnector call. The emulator's
 * metainfo carries AFAS's full tables (derived from AFAS's OpenAPI files) and refuses an unknown code as Profit does.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { AFAS_CODE_TABLES } from '../../../src/emulator/company/update/afas-code-tables.js';
import type { LogEntry } from '../../../src/emulator/log.js';
import { PermissionStore } from '../../../src/graphql/auth/index.js';
import { createRequestContext } from '../../../src/graphql/index.js';
import { type CodeValue, type InputDecl, validateCodes } from '../../../src/graphql/write/index.js';
import {
  ProfitError,
  type UpdateConnectorField,
  type UpdateConnectorMetainfo,
  type UpdateConnectorObject,
} from '../../../src/profit/index.js';
import { type Service, startService } from '../../../src/server/index.js';
import { demoAuthorization, graphql } from '../../server/helpers.js';
import { type DemoUser, type Harness, startHarness } from '../helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ scale: 1 });
});
afterAll(() => h?.close());

/** Profit calls as `METHOD path`, without the `/ProfitRestServices` prefix. */
function calls(entries: readonly LogEntry[]): string[] {
  return entries.map((e) => `${e.method} ${decodeURIComponent(e.path.replace(/^\/ProfitRestServices/i, ''))}`);
}

const count = (entries: readonly LogEntry[], call: string) => calls(entries).filter((c) => c === call).length;

/** Runs an operation with its own grant cache, as a service with a fresh cache would. */
function runWith(store: PermissionStore, source: string, variables: Record<string, unknown>, user: DemoUser = 'admin') {
  return h.run(source, variables, { context: createRequestContext({ client: h.client(user), permissions: store }) });
}

const CREATE_PERSON = `mutation ($input: CreatePersonInput!) { createPerson(input: $input) { personId nationality } }`;
const UPDATE_PERSON = `mutation ($input: UpdatePersonInput!) { updatePerson(input: $input) { personId nationality } }`;
const CREATE_ORGANISATION = `mutation ($input: CreateOrganisationInput!) { createOrganisation(input: $input) { organisationId } }`;
const CREATE_EMPLOYEE = `mutation ($input: CreateEmployeeInput!) { createEmployee(input: $input) { employeeId } }`;
const CREATE_LEAVE = `mutation ($input: CreateLeaveInput!) { createLeave(input: $input) { leaveId } }`;

const personIdOf = (data: unknown) => (data as { createPerson: { personId: string } }).createPerson.personId;
const person = (nationality: string) => ({ firstName: 'Eleni', lastName: 'Papadopoulou', nationality });

describe('codes of the environment’s own tables', () => {
  it('accepts a nationality AFAS documents that the old 21-code list lacked (GR), reading metainfo/update once', async () => {
    const store = new PermissionStore();
    const { result, calls: made } = await runWith(store, CREATE_PERSON, { input: person('GR') });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ createPerson: { personId: expect.any(String), nationality: 'GR' } });
    expect(count(made, 'GET /metainfo/update/KnPerson')).toBe(1);
    expect(count(made, 'POST /connectors/KnPerson')).toBe(1);
    const stored = h.data.persons.find((p) => p.bcCo === personIdOf(result.data));
    expect(stored?.nationality).toBe('GR');
  });

  it('reads metainfo/update once per connector per TTL: the next writes of the credential use the cached table', async () => {
    let now = 1_000_000;
    const store = new PermissionStore({ ttlMs: 60_000, now: () => now });
    const first = await runWith(store, CREATE_PERSON, { input: person('SYR') });
    const second = await runWith(store, CREATE_PERSON, { input: person('CDN') });
    const personId = personIdOf(second.result.data);
    const third = await runWith(store, UPDATE_PERSON, { input: { personId, nationality: 'ROK' } });
    for (const run of [first, second, third]) expect(run.result.errors).toBeUndefined();
    expect([first, second, third].map((r) => count(r.calls, 'GET /metainfo/update/KnPerson'))).toEqual([1, 0, 0]);

    now += 60_000;
    const afterTtl = await runWith(store, UPDATE_PERSON, { input: { personId, nationality: 'IRL' } });
    expect(afterTtl.result.errors).toBeUndefined();
    expect(count(afterTtl.calls, 'GET /metainfo/update/KnPerson')).toBe(1);
  });

  it('keeps the table per credential: another user reads its own', async () => {
    const store = new PermissionStore();
    const employeeId = h.data.employees[0]?.employeeId;
    const leave = (reasonId: string) => ({
      input: { employeeId, leaveTypeId: 'BV', start: '2026-10-05', end: '2026-10-05', reasonId },
    });
    const admin = await runWith(store, CREATE_LEAVE, leave('TvT'), 'admin');
    const hr = await runWith(store, CREATE_LEAVE, leave('08'), 'hr');
    const hrAgain = await runWith(store, CREATE_LEAVE, leave('11'), 'hr');
    for (const run of [admin, hr, hrAgain]) expect(run.result.errors).toBeUndefined();
    expect([admin, hr, hrAgain].map((r) => count(r.calls, 'GET /metainfo/update/HrAbsenceID'))).toEqual([1, 1, 0]);
  });

  it('refuses a code the environment lacks as BAD_USER_INPUT with its path, value and a hint; nothing is POSTed', async () => {
    const store = new PermissionStore();
    const before = h.data.persons.length;
    const { result, calls: made } = await runWith(store, CREATE_PERSON, { input: person('XX') });
    expect(result.errors).toHaveLength(1);
    expect(result.errors?.[0]?.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      issues: [
        {
          path: ['input', 'nationality'],
          rule: 'one-of',
          value: 'XX',
          message: `input.nationality must be a code of this environment's table for PsNa, got "XX"`,
          hint: expect.stringMatching(
            /^PsNa \(Nationaliteit\) has 210 codes in this environment: 000, NL, .*KnPerson$/,
          ),
        },
      ],
    });
    expect(calls(made).filter((c) => !c.startsWith('GET /metainfo'))).toEqual([]);
    expect(h.data.persons).toHaveLength(before);
  });

  it('finds a sub-object’s table in its own object of the metainfo (an employee’s person: KnEmployee › KnPerson)', async () => {
    const store = new PermissionStore();
    const employer = h.data.organisations.find((o) => o.employerId)?.employerId;
    const input = (nationality: string) => ({
      input: {
        person: { lastName: 'Nieuw', nationality },
        contract: { startDate: '2026-11-01', employerId: employer },
      },
    });
    const refused = await runWith(store, CREATE_EMPLOYEE, input('QQQ'));
    expect(refused.result.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      issues: [{ path: ['input', 'person', 'nationality'], rule: 'one-of', value: 'QQQ' }],
    });
    expect(calls(refused.calls)).toEqual(['GET /metainfo', 'GET /metainfo/update/KnEmployee']);
    const accepted = await runWith(store, CREATE_EMPLOYEE, input('IS'));
    expect(accepted.result.errors).toBeUndefined();
    expect(count(accepted.calls, 'GET /metainfo/update/KnEmployee')).toBe(0);
    expect(count(accepted.calls, 'POST /connectors/KnEmployee')).toBe(1);
  });

  it('accepts every legal form of AFAS’s table, beyond the 13 the service listed (10 = rederij)', async () => {
    const store = new PermissionStore();
    const { result } = await runWith(store, CREATE_ORGANISATION, {
      input: { name: 'Rederij Zeezicht', legalForm: '10' },
    });
    expect(result.errors).toBeUndefined();
    const organisationId = (result.data as { createOrganisation: { organisationId: string } }).createOrganisation
      .organisationId;
    expect(h.data.organisations.find((o) => o.bcCo === organisationId)?.legalForm).toBe('10');
  });

  it('refuses an unknown leave reason before sending, where Profit alone refused it before', async () => {
    const store = new PermissionStore();
    const before = h.data.leaves.length;
    const employeeId = h.data.employees[0]?.employeeId;
    const { result, calls: made } = await runWith(store, CREATE_LEAVE, {
      input: { employeeId, leaveTypeId: 'BV', start: '2026-10-06', end: '2026-10-06', reasonId: 'ZZ' },
    });
    expect(result.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      issues: [{ path: ['input', 'reasonId'], rule: 'one-of', value: 'ZZ', hint: expect.stringContaining('TvT') }],
    });
    expect(calls(made)).toEqual(['GET /metainfo', 'GET /metainfo/update/HrAbsenceID']);
    expect(h.data.leaves).toHaveLength(before);
  });

  it('sends nothing when the table cannot be read, and reads it again on the next write', async () => {
    const store = new PermissionStore();
    await store.grants(h.client());
    h.emulator.faults.once({ kind: '503', path: 'metainfo/update/KnPerson' });
    const failed = await runWith(store, CREATE_PERSON, { input: person('GR') });
    expect(failed.result.errors?.[0]?.extensions?.code).toBe('PROFIT_UNAVAILABLE');
    expect(calls(failed.calls)).toEqual(['GET /metainfo/update/KnPerson']);
    const next = await runWith(store, CREATE_PERSON, { input: person('GR') });
    expect(next.result.errors).toBeUndefined();
    expect(count(next.calls, 'GET /metainfo/update/KnPerson')).toBe(1);
    expect(count(next.calls, 'POST /connectors/KnPerson')).toBe(1);
  });

  it('adds no metainfo call to a write without such a code', async () => {
    const store = new PermissionStore();
    const { result, calls: made } = await runWith(store, CREATE_PERSON, {
      input: { lastName: 'Zonder', nationality: null },
    });
    expect(result.errors).toBeUndefined();
    expect(count(made, 'GET /metainfo/update/KnPerson')).toBe(0);
  });
});

describe('validateCodes (pure)', () => {
  const field = (fieldId: string, ids: readonly string[] | null): UpdateConnectorField => ({
    fieldId,
    primaryKey: false,
    dataType: 'string',
    label: fieldId,
    mandatory: false,
    length: 20,
    decimals: 0,
    decimalFieldId: '',
    notzero: false,
    controlType: ids ? 5 : 1,
    values: ids ? ids.map((id) => ({ id, description: id })) : null,
  });
  const meta: UpdateConnectorMetainfo = {
    name: 'AfasEmployee',
    description: '',
    fields: [field('Kind', ['A', 'B'])],
    objects: [{ name: 'KnPerson', fields: [field('PsNa', ['NL', 'GR']), field('Free', null)], objects: [] }],
  };
  const code = (objects: string[], fieldId: string, value: string): CodeValue => ({
    path: ['input', ...objects, fieldId],
    objects,
    decl: { fieldId } as InputDecl,
    value,
  });

  it('looks a code up in the object it is sent in, and refuses one the table lacks', () => {
    const issues = validateCodes(
      [code([], 'Kind', 'B'), code(['KnPerson'], 'PsNa', 'GR'), code(['KnPerson'], 'PsNa', 'A')],
      meta,
      'KnEmployee',
    );
    expect(issues.map((i) => [i.path.join('.'), i.value])).toEqual([['input.KnPerson.PsNa', 'A']]);
    expect(issues[0]?.hint).toBe(
      'PsNa (PsNa) has 2 codes in this environment: NL, GR; all of them in GET /metainfo/update/KnEmployee',
    );
  });

  it('leaves a field without a table in this environment to Profit', () => {
    expect(validateCodes([code(['KnPerson'], 'Free', 'x'), code(['Other'], 'PsNa', 'x')], meta, 'KnEmployee')).toEqual(
      [],
    );
  });
});

describe('over HTTP, the service', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startService(loadConfig({ PORT: '0', LOG_LEVEL: 'silent' }));
  });
  afterAll(() => service?.close());

  it('accepts GR, refuses XX before any POST, and reads KnPerson’s metainfo/update once for both', async () => {
    const log = service.emulator!.log;
    const start = log.entries().at(-1)?.seq ?? 0;
    const authorization = demoAuthorization(service);
    const ok = await graphql(service, CREATE_PERSON, { authorization, variables: { input: person('GR') } });
    expect(ok.json.errors).toBeUndefined();
    expect(ok.json.data.createPerson.nationality).toBe('GR');
    const bad = await graphql(service, CREATE_PERSON, { authorization, variables: { input: person('XX') } });
    expect(bad.json.errors[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      issues: [{ path: ['input', 'nationality'], value: 'XX' }],
    });
    const made = log.entries().filter((e) => e.seq > start);
    expect(count(made, 'GET /metainfo/update/KnPerson')).toBe(1);
    expect(count(made, 'POST /connectors/KnPerson')).toBe(1);
  });
});

describe('the emulator', () => {
  const fieldsOf = (objects: readonly UpdateConnectorObject[], name: string) =>
    objects.find((o) => o.name === name)?.fields;

  it('carries AFAS’s full code tables in its metainfo, except the tables the environment configures itself', async () => {
    // Leave reasons are the demo environment's own table (src/emulator/company/names.ts), as in any environment.
    const own = new Set(['HrAbsence.ViLr', 'HrAbsenceID.ViLr']);
    const differences: string[] = [];
    let compared = 0;
    for (const [connector, objects] of Object.entries(AFAS_CODE_TABLES)) {
      const meta = await h.client().updateConnectorMetainfo(connector);
      const all: UpdateConnectorObject[] = [{ name: meta.name, fields: meta.fields, objects: meta.objects }];
      for (let i = 0; i < all.length; i++) all.push(...(all[i]?.objects ?? []));
      for (const [objectName, fields] of Object.entries(objects)) {
        const found = objectName === connector ? meta.fields : fieldsOf(all, objectName);
        for (const [fieldId, rows] of Object.entries(fields)) {
          const field = found?.find((f) => f.fieldId === fieldId);
          if (!field || own.has(`${connector}.${fieldId}`)) continue;
          compared++;
          const ids = field.values?.map((v) => v.id) ?? null;
          if (JSON.stringify(ids) !== JSON.stringify(rows.map(([id]) => id))) {
            differences.push(`${connector} ${objectName}.${fieldId}`);
          }
        }
      }
    }
    expect(differences).toEqual([]);
    expect(compared).toBeGreaterThanOrEqual(19);
  });

  it('refuses an unknown nationality as Profit does, and accepts any of AFAS’s 210', async () => {
    const client = h.client();
    const rejected = await client
      .insert('KnPerson', { fields: { MatchPer: '7', AutoNum: true, LaNm: 'Onbekend', PsNa: 'XX' } })
      .catch((e: unknown) => e);
    expect(rejected).toBeInstanceOf(ProfitError);
    // The connection asks for nl-nl (the default PROFIT_ACCEPT_LANGUAGE): Profit's Dutch text.
    expect((rejected as ProfitError).externalMessage).toBe("De ingevoerde waarde voor 'Nationaliteit' bestaat niet.");
    const meta = await client.updateConnectorMetainfo('KnPerson');
    expect(meta.fields.find((f) => f.fieldId === 'PsNa')?.values).toHaveLength(210);
    await expect(
      client.insert('KnPerson', { fields: { MatchPer: '7', AutoNum: true, LaNm: 'Andersson', PsNa: 'S' } }),
    ).resolves.toBeDefined();
  });
});

// The committed tables are derived from AFAS's OpenAPI files, which a clone of the project does not have: the check
// runs only where they are (scripts/derive-code-tables.mjs --check).
const OAS = '/work/shared/afas-docs/oas';
describe('the committed code tables', () => {
  it.skipIf(!existsSync(OAS))('are what AFAS’s OpenAPI files give (scripts/derive-code-tables.mjs --check)', () => {
    const out = execFileSync(process.execPath, ['scripts/derive-code-tables.mjs', '--check', '--oas', OAS], {
      encoding: 'utf8',
    });
    expect(out).toMatch(/is current/);
  });
});

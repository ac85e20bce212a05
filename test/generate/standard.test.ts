/**
 * AFAS's documented standard connectors as a model: the profile profiles/afas-standard.json (derived from AFAS's
 * OpenAPI files by scripts/derive-standard-profile.mjs) loads as a snapshot, the emulator serves it, and the model
 * generated from it (src/model/standard, `PROFIT_MODEL=standard`) answers lists, lookups and relations over HTTP
 * against that emulator. Regenerating from the profile gives the committed files byte for byte. Its own process
 * (vitest forks), so the standard model's classes do not meet the demo model's.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentials, type Emulator, startEmulator } from '../../src/emulator/index.js';
import type { LogEntry } from '../../src/emulator/log.js';
import { createProfileCompany, profileCompanyFactory, readSnapshotFile } from '../../src/emulator/profile/index.js';
import { runGenerate } from '../../src/generate/cli.js';
import { generateModel } from '../../src/generate/index.js';
import { loadModel } from '../../src/models.js';
import { readSnapshot } from '../../src/profit/snapshot.js';
import type { Service } from '../../src/server/index.js';
import { graphql, type Reply, startTestService } from '../server/helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');
const PROFILE = join(ROOT, 'profiles/afas-standard.json');
const MODEL = join(ROOT, 'src/model/standard');
const OAS = '/work/shared/afas-docs/oas';

let emulator: Emulator;
let service: Service;
let authorization: string;

beforeAll(async () => {
  const snapshot = await readSnapshotFile(PROFILE);
  emulator = await startEmulator({ createCompany: profileCompanyFactory(snapshot) });
  authorization = credentials(emulator.company)[0]!.users[0]!.authorization;
  await loadModel('standard');
  service = await startTestService({ PROFIT_BASE_URL: emulator.baseUrl, PROFIT_MODEL: 'standard' });
}, 120_000);

afterAll(async () => {
  await service?.close();
  await emulator?.close();
});

async function run(
  query: string,
  variables?: Record<string, unknown>,
): Promise<{ body: Reply['json']; calls: string[] }> {
  const before = emulator.log.entries().at(-1)?.seq ?? 0;
  const reply = await graphql(service, query, { authorization, ...(variables ? { variables } : {}) });
  const calls = emulator.log
    .entries()
    .filter((e: LogEntry) => e.seq > before && /\/connectors\//i.test(e.path))
    .map((e) => `${e.method} ${e.path.replace(/^\/ProfitRestServices/i, '').replace(/\?.*$/, '')} ${e.status}`);
  return { body: reply.json, calls };
}

describe('the standard profile', () => {
  it("loads as a snapshot: every GetConnector and UpdateConnector of AFAS's five OpenAPI files", async () => {
    const snapshot = await readSnapshot(PROFILE);
    expect(Object.keys(snapshot.get)).toHaveLength(42);
    expect(Object.keys(snapshot.update)).toHaveLength(52);
    expect(snapshot.metainfo.getConnectors.map((c) => c.id)).toEqual(Object.keys(snapshot.get));
    expect(snapshot.metainfo.updateConnectors.map((c) => c.id)).toEqual(Object.keys(snapshot.update));
  });

  it('carries facts, not prose: types, lengths, mandatory and key fields, code ids with their short labels', async () => {
    const absence = (await readSnapshot(PROFILE)).update.HrAbsenceID!;
    const field = (id: string) => absence.fields.find((f) => f.fieldId === id)!;
    expect(field('EmId')).toMatchObject({ dataType: 'string', length: 15, mandatory: true, primaryKey: true });
    expect(field('DaBe')).toMatchObject({ dataType: 'date', label: 'DaBe', mandatory: true });
    expect(field('DuRa')).toMatchObject({ dataType: 'int', mandatory: true });
    expect(field('LeDt')).toMatchObject({ dataType: 'boolean', mandatory: false });
    expect(field('ViLr').values?.slice(0, 2)).toEqual([
      { id: 'TvT', description: 'Tijd-voor-tijd' },
      { id: 'Vak', description: 'Vakantie' },
    ]);
    // Nested objects, as the body schema nests them.
    const person = (await readSnapshot(PROFILE)).update.KnPerson!;
    expect(person.objects.map((o) => o.name)).toContain('KnBasicAddressAdr');
  });

  it('is what the script derives from the OpenAPI files (where they are at hand)', () => {
    if (!existsSync(OAS)) return;
    const out = execFileSync('node', [join(ROOT, 'scripts/derive-standard-profile.mjs'), '--oas', OAS, '--check'], {
      encoding: 'utf8',
    });
    expect(out).toContain('is current');
  });

  it('is a company the emulator serves: 25 rows for each GetConnector', async () => {
    const company = createProfileCompany(await readSnapshotFile(PROFILE));
    expect(company.getConnectors.size).toBe(42);
    expect(company.getConnectors.get('Profit_Projects')!.rows(company.store)).toHaveLength(25);
  });
});

describe('the standard model, served against the profile emulator', () => {
  it('lists projects in one Profit call, and looks one up by its key in one more', async () => {
    const list = await run('{ projects(first: 3) { edges { node { projectId description checkedOut } } } }');
    expect(list.body.errors).toBeUndefined();
    const nodes = list.body.data.projects.edges.map((e: { node: unknown }) => e.node);
    expect(nodes).toHaveLength(3);
    expect(list.calls).toEqual(['GET /connectors/Profit_Projects 200']);

    const lookup = await run('query ($id: ID!) { project(projectId: $id) { projectId description checkedOut } }', {
      id: nodes[1].projectId,
    });
    expect(lookup.body.errors).toBeUndefined();
    expect(lookup.body.data.project).toEqual(nodes[1]);
    expect(lookup.calls).toEqual(['GET /connectors/Profit_Projects 200']);
  });

  it('looks up a country and a user by key, and follows a user group to its user', async () => {
    const countries = await run('{ countries(first: 1) { edges { node { coId co } } } }');
    const country = countries.body.data.countries.edges[0].node;
    const groups = await run('{ userGroups(first: 1) { edges { node { groupId userId } } } }');
    const group = groups.body.data.userGroups.edges[0].node;

    const { body, calls } = await run(
      `query ($co: ID!, $user: ID!) {
        country(coId: $co) { coId co }
        user(userId: $user) { userId }
      }`,
      { co: country.coId, user: group.userId },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.country).toEqual(country);
    expect(body.data.user).toEqual({ userId: group.userId });
    expect(calls.sort()).toEqual(['GET /connectors/ProfitCountries 200', 'GET /connectors/Profit_Users 200']);

    const related = await run('{ userGroups(first: 1) { edges { node { groupId user { userId } } } } }');
    expect(related.body.errors).toBeUndefined();
    expect(related.body.data.userGroups.edges[0].node).toEqual({
      groupId: group.groupId,
      user: { userId: group.userId },
    });
    expect(related.calls).toEqual(['GET /connectors/Profit_UserGroups 200', 'GET /connectors/Profit_Users 200']);
  });
});

describe('writing through a standard UpdateConnector', () => {
  it('changes a profile through KnProfile and reads the change back from ProfitProfiles', async () => {
    const listed = await run('{ profiles(first: 1) { edges { node { prId prEm } } } }');
    const profile = listed.body.data.profiles.edges[0].node;
    const changed = await run('mutation ($input: UpdateProfileInput!) { updateProfile(input: $input) { prId prEm } }', {
      input: { prId: String(profile.prId), prEm: 'profiel@example.nl' },
    });
    expect(changed.body.errors).toBeUndefined();
    expect(changed.body.data.updateProfile).toEqual({ prId: profile.prId, prEm: 'profiel@example.nl' });
    expect(changed.calls).toEqual(['PUT /connectors/KnProfile 201', 'GET /connectors/ProfitProfiles 200']);
  });

  it('refuses a value longer than the documented maxLength before any Profit call', async () => {
    const { body, calls } = await run(
      'mutation ($input: UpdateProfileInput!) { updateProfile(input: $input) { prId } }',
      { input: { prId: '1', prEm: 'x'.repeat(256) } },
    );
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(calls).toEqual([]);
  });
});

describe('regenerating the standard model', () => {
  it('with --connector picks only the connectors asked for', async () => {
    const files = generateModel(await readSnapshot(PROFILE), {
      name: 'mine',
      connectors: ['Profit_Projects', 'Profit_Users'],
    });
    expect([...files.keys()]).toEqual(['index.ts', 'profit-model.json', 'project.ts', 'user.ts']);
  });

  it('from the profile and the committed mapping gives the committed files byte for byte', async () => {
    // The command as a user runs it, in a copy of the project's layout (src/model/standard beside src/graphql).
    const root = await mkdtemp(join(tmpdir(), 'standard-'));
    try {
      const out = join(root, 'src/model/standard');
      await mkdir(out, { recursive: true });
      await cp(join(MODEL, 'profit-model.json'), join(out, 'profit-model.json'));
      await runGenerate({ from: PROFILE, out: 'src/model/standard', connectors: [] }, root);
      const committed = (await readdir(MODEL)).sort();
      expect((await readdir(out)).sort()).toEqual(committed);
      for (const file of committed) {
        expect(await readFile(join(out, file), 'utf8'), file).toBe(await readFile(join(MODEL, file), 'utf8'));
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

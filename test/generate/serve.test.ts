/**
 * End to end: a model generated from an environment's own metainfo (the demo emulator's `metainfo/get/{id}` and
 * `metainfo/update/{id}` for Profit_Employees and Profit_Leaves), loaded as `PROFIT_MODEL=generated`, served over
 * HTTP against that emulator: lists with where / orderBy / paging, lookups, relations, `_entities`, mutations and
 * field-level authorization, with no line written by hand. Its own process (vitest forks), so the generated
 * classes do not meet the demo model's.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoStore } from '../../src/emulator/company/index.js';
import { credentials, type Emulator, startEmulator } from '../../src/emulator/index.js';
import type { LogEntry } from '../../src/emulator/log.js';
import { generateModel, type ProfitSnapshot } from '../../src/generate/index.js';
import { loadModel } from '../../src/models.js';
import { authorizationHeader, ProfitConnection } from '../../src/profit/index.js';
import type { Service } from '../../src/server/index.js';
import { graphql, type Reply, startTestService } from '../server/helpers.js';

const ROOT = resolve(import.meta.dirname, '../..');
const CONNECTORS = ['Profit_Employees', 'Profit_Leaves'];

let emulator: Emulator;
let service: Service;
let dir: string;
const auth = new Map<string, string>();

async function snapshotOf(baseUrl: string): Promise<ProfitSnapshot> {
  const connection = new ProfitConnection({ baseUrl });
  try {
    const client = connection.client(authorizationHeader(auth.get('admin')!));
    const metainfo = await client.metainfo();
    const get: Record<string, ProfitSnapshot['get'][string]> = {};
    const update: Record<string, ProfitSnapshot['update'][string]> = {};
    for (const id of CONNECTORS) get[id] = await client.getConnectorMetainfo(id);
    for (const c of metainfo.updateConnectors) update[c.id] = await client.updateConnectorMetainfo(c.id);
    return { metainfo, get, update };
  } finally {
    await connection.close();
  }
}

beforeAll(async () => {
  emulator = await startEmulator({ company: { scale: 1 } });
  for (const app of credentials(emulator.company)) for (const u of app.users) auth.set(u.name, u.authorization);
  // Where the project's tsconfig covers it (its decorator options direct the transpiler); removed afterwards.
  dir = await mkdtemp(join(import.meta.dirname, '.models-'));
  const files = generateModel(await snapshotOf(emulator.baseUrl), {
    name: 'generated',
    connectors: CONNECTORS,
    coreImport: join(ROOT, 'src/graphql'),
    profitImport: join(ROOT, 'src/profit'),
  });
  await mkdir(join(dir, 'generated'));
  for (const [file, text] of files) await writeFile(join(dir, 'generated', file), text);
  // The service loads PROFIT_MODEL=generated; here from the temporary folder rather than src/model.
  await loadModel('generated', pathToFileURL(`${dir}/`));
  service = await startTestService({ PROFIT_BASE_URL: emulator.baseUrl, PROFIT_MODEL: 'generated' });
}, 120_000);

afterAll(async () => {
  await service?.close();
  await emulator?.close();
  await rm(dir, { recursive: true, force: true });
});

const data = () => (emulator.company.store as DemoStore).data;

async function run(
  query: string,
  variables?: Record<string, unknown>,
  user = 'admin',
): Promise<{ body: Reply['json']; calls: string[] }> {
  const before = emulator.log.entries().at(-1)?.seq ?? 0;
  const reply = await graphql(service, query, { authorization: auth.get(user)!, ...(variables ? { variables } : {}) });
  const calls = emulator.log
    .entries()
    .filter((e: LogEntry) => e.seq > before && /\/connectors\//i.test(e.path))
    .map((e) => `${e.method} ${e.path.replace(/^\/ProfitRestServices/i, '')} ${e.status}`);
  return { body: reply.json, calls };
}

describe('a generated model, served', () => {
  it('is the schema: its types with the inferred keys, and none of the demo model', async () => {
    const { body } = await run('{ _service { sdl } }');
    const sdl = body.data._service.sdl as string;
    expect(sdl).toMatch(/type Employee\s+@key\(fields: "employeeId"\)/);
    expect(sdl).toMatch(/type Leave\s+@key\(fields: "leaveId employeeId"\)/);
    expect(sdl).toContain('createLeave(input: CreateLeaveInput!): Leave @requiresScopes');
    expect(sdl).not.toContain('type Person');
  });

  it('lists with where, orderBy and paging in one Profit call per page', async () => {
    const ids = data()
      .employees.map((e) => e.employeeId)
      .slice(0, 5);
    const query = `query ($ids: [ID!], $after: String) {
      employees(where: { employeeId: { in: $ids } }, orderBy: [{ field: employeeId, direction: DESC }], first: 3, after: $after) {
        edges { node { employeeId dateInService hoursPerWeek } }
        pageInfo { hasNextPage endCursor }
      }
    }`;
    const first = await run(query, { ids });
    expect(first.body.errors).toBeUndefined();
    const page1 = first.body.data.employees;
    const page2 = (await run(query, { ids, after: page1.pageInfo.endCursor })).body.data.employees;
    const seen = [...page1.edges, ...page2.edges].map((e: { node: { employeeId: string } }) => e.node.employeeId);
    expect(seen).toEqual([...ids].sort().reverse());
    expect(page1.pageInfo.hasNextPage).toBe(true);
    expect(page2.pageInfo.hasNextPage).toBe(false);
    const record = data().employees.find((e) => e.employeeId === seen[0])!;
    // A day as a day (no time, no zone), a decimal as the exact number Profit holds.
    expect(page1.edges[0].node).toEqual({
      employeeId: record.employeeId,
      dateInService: record.dateInService.slice(0, 10),
      hoursPerWeek: expect.any(String),
    });
    expect(Number(page1.edges[0].node.hoursPerWeek)).toBe(Number(record.hoursPerWeek));
    expect(first.calls).toEqual(['GET /connectors/Profit_Employees 200']);
  });

  it('looks up by key, follows relations both ways, and resolves _entities', async () => {
    const leave = data().leaves[0]!;
    const { body, calls } = await run(
      `query ($id: ID!, $em: ID!) {
        leave(leaveId: $id, employeeId: $em) { hours employee { employeeId leaves(first: 50) { edges { node { leaveId } } } } }
        _entities(representations: [{ __typename: "Leave", leaveId: $id, employeeId: $em }]) { ... on Leave { hours } }
      }`,
      { id: String(leave.id), em: leave.employeeId },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data.leave.hours).toBe(leave.hours);
    expect(body.data.leave.employee.employeeId).toBe(leave.employeeId);
    const own = data()
      .leaves.filter((l) => l.employeeId === leave.employeeId)
      .map((l) => String(l.id));
    expect(
      body.data.leave.employee.leaves.edges.map((e: { node: { leaveId: string } }) => e.node.leaveId).sort(),
    ).toEqual(own.sort());
    expect(body.data._entities).toEqual([{ hours: leave.hours }]);
    // The lookup and _entities share one loader call; then the employee, then the employee's leaves.
    expect(calls).toEqual([
      'GET /connectors/Profit_Leaves 200',
      'GET /connectors/Profit_Employees 200',
      'GET /connectors/Profit_Leaves 200',
    ]);
  });

  it('creates, changes and deletes through the UpdateConnector it found (HrAbsenceID)', async () => {
    const employeeId = data().employees[0]!.employeeId;
    const created = await run(
      `mutation ($input: CreateLeaveInput!) { createLeave(input: $input) { leaveId employeeId leaveCode hours } }`,
      { input: { employeeId, leaveCode: 'V', startDate: '2026-07-06', endDate: '2026-07-10' } },
    );
    expect(created.body.errors).toBeUndefined();
    const leave = data().leaves.at(-1)!;
    expect(created.body.data.createLeave).toEqual({
      leaveId: String(leave.id),
      employeeId,
      leaveCode: 'V',
      hours: leave.hours,
    });
    expect(created.calls).toEqual(['POST /connectors/HrAbsenceID 201', 'GET /connectors/Profit_Leaves 200']);

    const changed = await run(`mutation ($input: UpdateLeaveInput!) { updateLeave(input: $input) { hours } }`, {
      input: { leaveId: String(leave.id), employeeId, hours: 3 },
    });
    expect(changed.body.errors).toBeUndefined();
    expect(changed.body.data.updateLeave).toEqual({ hours: 3 });
    expect(changed.calls).toEqual(['PUT /connectors/HrAbsenceID 201', 'GET /connectors/Profit_Leaves 200']);

    const deleted = await run(
      `mutation ($id: ID!, $em: ID!) { deleteLeave(leaveId: $id, employeeId: $em) { leaveId } }`,
      {
        id: String(leave.id),
        em: employeeId,
      },
    );
    expect(deleted.body.errors).toBeUndefined();
    expect(deleted.calls).toEqual([
      `DELETE /connectors/HrAbsenceID/HrAbsenceID/@Id,@EmId/${leave.id},${encodeURIComponent(employeeId)} 200`,
    ]);
    expect(data().leaves.some((l) => l.id === leave.id)).toBe(false);
  });

  it("withholds what the caller's app connector withholds, field by field, as for the demo model", async () => {
    const { body } = await run('{ employees(first: 1) { edges { node { employeeId salary } } } }', undefined, 'hr');
    expect(body.data.employees.edges[0].node).toEqual({ employeeId: expect.any(String), salary: null });
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0].extensions).toMatchObject({
      code: 'FORBIDDEN',
      reason: 'field-not-granted',
      connector: 'Profit_Employees',
      field: 'Salary',
    });
  });
});

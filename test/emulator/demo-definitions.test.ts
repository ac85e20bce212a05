/**
 * The demo's GetConnectors are a profile's metainfo (src/emulator/company/get/metainfo.json) plus hand-made rows:
 * the data is what a snapshot of the demo records, the profile emulator can serve it, and a definition whose
 * fields and value functions differ is refused at load.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGetConnectors, DEMO_GET_METAINFO } from '../../src/emulator/company/get/index.js';
import { defineRows } from '../../src/emulator/company/get/rows.js';
import { createCompany } from '../../src/emulator/company/index.js';
import { credentials, type Emulator, startEmulator } from '../../src/emulator/index.js';
import { createProfileCompany } from '../../src/emulator/profile/company.js';
import { parseSnapshot } from '../../src/emulator/profile/snapshot-shape.js';
import { authorizationHeader, ProfitConnection, takeSnapshot } from '../../src/profit/index.js';

const field = (id: string, dataType = 'string') => ({
  id,
  fieldId: id,
  dataType,
  label: id,
  length: 255,
  controlType: 1,
  decimals: 0,
  decimalsFieldId: '',
});

const connector = (...fields: ReturnType<typeof field>[]) => ({ X: { name: 'X', description: 'X', fields } });

describe('loading the demo definitions', () => {
  it('binds every connector of metainfo.json, in its order, to row values for exactly its fields', () => {
    const defs = createGetConnectors();
    expect(defs.map((d) => d.id)).toEqual(Object.keys(DEMO_GET_METAINFO));
    for (const def of defs) expect(def.fields).toEqual(DEMO_GET_METAINFO[def.id]?.fields);
  });

  it('refuses a field without a value function', () => {
    const rows = { X: defineRows(() => [1], { A: (n) => n }) };
    expect(() => createGetConnectors(connector(field('A'), field('B')), rows)).toThrow('X: no value for field(s) B');
  });

  it('refuses a value function for a field the metainfo does not have', () => {
    const rows = { X: defineRows(() => [1], { A: (n) => n, B: (n) => n }) };
    expect(() => createGetConnectors(connector(field('A')), rows)).toThrow('X: value(s) for unknown field(s) B');
  });

  it('refuses metainfo without row values, and row values without metainfo', () => {
    expect(() => createGetConnectors(connector(field('A')), {})).toThrow('X: metainfo without row values');
    const orphan = { Y: defineRows(() => [1], { A: (n) => n }) };
    expect(() => createGetConnectors({}, orphan)).toThrow('row values without metainfo: Y');
  });

  it('refuses a field listed twice', () => {
    const rows = { X: defineRows(() => [1], { A: (n) => n }) };
    expect(() => createGetConnectors(connector(field('A'), field('A')), rows)).toThrow('X: field(s) listed twice: A');
  });

  it('refuses a data type the emulator cannot render', () => {
    const rows = { X: defineRows(() => [1], { A: (n) => n }) };
    expect(() => createGetConnectors(connector(field('A', 'money')), rows)).toThrow('X.A: unknown dataType money');
  });
});

describe('the demo metainfo as a profile', () => {
  let emu: Emulator;
  let connection: ProfitConnection;
  beforeAll(async () => {
    emu = await startEmulator();
    connection = new ProfitConnection({ baseUrl: emu.baseUrl, retry: { baseDelayMs: 0, maxDelayMs: 0 } });
  });
  afterAll(async () => {
    await connection?.close();
    await emu?.close();
  });

  it('is exactly the get part of a snapshot taken of the demo, and the profile emulator serves its fields', async () => {
    const admin = credentials(emu.company)
      .flatMap((app) => app.users)
      .find((u) => u.name === 'admin');
    const recording = await takeSnapshot(connection.client(authorizationHeader(admin?.authorization ?? '')));
    const snapshot = parseSnapshot(JSON.parse(recording.text));
    expect(snapshot.get).toEqual(DEMO_GET_METAINFO);

    const profile = createProfileCompany({ ...snapshot, get: DEMO_GET_METAINFO });
    const demo = createCompany();
    for (const [id, def] of demo.getConnectors) expect(profile.getConnectors.get(id)?.fields, id).toEqual(def.fields);
  });
});

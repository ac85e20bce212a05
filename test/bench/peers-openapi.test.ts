import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateOpenApi } from '../../bench/peers/openapi.js';
import type { Emulator } from '../../src/emulator/server.js';
import { ADMIN, PORTAL, startFixtureEmulator } from '../emulator/helpers.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startFixtureEmulator({ port: 0 });
});
afterAll(() => emulator.close());

// biome-ignore lint/suspicious/noExplicitAny: the generated description is plain JSON
type Json = any;
const rowsOf = (spec: Json, connector: string) =>
  spec.paths[`/connectors/${connector}`].get.responses[200].content['application/json'].schema.properties.rows.items
    .properties;

it("describes every GetConnector the credential reads (in metainfo's order), with Profit's query parameters, from one metainfo call per connector", async () => {
  emulator.log.clear();
  const spec: Json = await generateOpenApi(emulator.baseUrl, ADMIN);
  expect(spec.servers).toEqual([{ url: emulator.baseUrl }]);
  expect(Object.keys(spec.paths)).toEqual(['/connectors/Fx_Codes', '/connectors/Fx_People']);
  expect(spec.paths['/connectors/Fx_People'].get.parameters.map((p: Json) => p.name)).toEqual([
    'skip',
    'take',
    'filterfieldids',
    'filtervalues',
    'operatortypes',
    'orderbyfieldids',
  ]);
  expect(emulator.log.entries().map((e) => e.path.replace(/^.*ProfitRestServices/, ''))).toEqual([
    '/metainfo',
    '/metainfo/get/Fx_Codes',
    '/metainfo/get/Fx_People',
  ]);
});

it("types each row field from metainfo's dataType, every one nullable", async () => {
  const people = rowsOf(await generateOpenApi(emulator.baseUrl, ADMIN), 'Fx_People');
  expect(Object.fromEntries(Object.entries(people).map(([k, v]: [string, Json]) => [k, v.type]))).toEqual({
    Id: 'integer',
    Name: 'string',
    Amount: 'number',
    Active: 'boolean',
    Born: 'string',
    Changed: 'string',
    Memo: 'string',
    Secret: 'string',
  });
  expect(Object.values(people).every((v: Json) => v.nullable === true)).toBe(true);
});

it('leaves out what the credential may not read', async () => {
  const spec: Json = await generateOpenApi(emulator.baseUrl, PORTAL);
  expect(Object.keys(spec.paths)).toEqual(['/connectors/Fx_People']);
  expect(rowsOf(spec, 'Fx_People')).not.toHaveProperty('Secret');
});

/**
 * `check --xsd [ID=]FILE`: the served model's writes against UpdateConnector XSDs (read back into the update
 * metainfo's shape, src/profit/xml/xsd-shape.ts). The demo model agrees with the XSDs generated from the demo's own
 * metainfo; an XSD whose field is shorter, or lacks a field the model writes, yields that finding; the command says
 * so with its exit code, offline.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../src/model/index.js';
import '../../src/model/write/index.js';
import { compareWithXsds, describeModel } from '../../src/check/index.js';
import { createCompany } from '../../src/emulator/company/index.js';
import { generateUpdateXsd } from '../../src/emulator/index.js';
import type { UpdateConnectorMetainfo } from '../../src/profit/results.js';
import { parseUpdateXsd, type UpdateXsd } from '../../src/profit/xml/index.js';
import { runCli } from '../support/cli.js';

const company = createCompany({});
let dir: string;

/** The demo's metainfo of `id`, edited by `edit`. */
function metainfoOf(id: string, edit: (m: UpdateConnectorMetainfo) => UpdateConnectorMetainfo = (m) => m) {
  const def = company.updateConnectors.get(id);
  if (def === undefined) throw new Error(`no demo UpdateConnector ${id}`);
  return edit({ name: id, description: def.description, fields: def.fields, objects: def.objects });
}

const xsdOf = (id: string, edit?: (m: UpdateConnectorMetainfo) => UpdateConnectorMetainfo): UpdateXsd => ({
  connector: id,
  metainfo: parseUpdateXsd(generateUpdateXsd(metainfoOf(id, edit))),
});

const shorterFirstName = (m: UpdateConnectorMetainfo) => ({
  ...m,
  fields: m.fields.map((f) => (f.fieldId === 'FiNm' ? { ...f, length: 10 } : f)),
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'check-xsd-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('compareWithXsds', () => {
  it('finds the demo model compatible with the XSDs of every UpdateConnector it writes', () => {
    const model = describeModel();
    const xsds = model.writes.map((w) => xsdOf(w.connector));
    expect(xsds.length).toBeGreaterThanOrEqual(6);
    expect(compareWithXsds(model, xsds)).toEqual([]);
  });

  it('finds a field the XSD makes shorter, and one it lacks, comparing only the connectors given', () => {
    const lacking = (m: UpdateConnectorMetainfo) => ({ ...m, fields: m.fields.filter((f) => f.fieldId !== 'Ds') });
    const findings = compareWithXsds(describeModel(), [
      xsdOf('KnPerson', shorterFirstName),
      xsdOf('KnSubject', lacking),
    ]);
    expect(findings.map((f) => [f.connector, f.kind, f.field]).sort()).toEqual([
      ['KnPerson', 'length-shrunk', 'FiNm'],
      ['KnSubject', 'field-missing', 'Ds'],
    ]);
  });
});

describe('check --xsd', () => {
  it('exits 0 for a compatible XSD and 1 for one that shortens a field the model writes', async () => {
    const good = join(dir, 'KnPerson.xsd');
    await writeFile(good, generateUpdateXsd(metainfoOf('KnPerson')));
    const bad = join(dir, 'KnPerson-short.xsd');
    await writeFile(bad, generateUpdateXsd(metainfoOf('KnPerson', shorterFirstName)));
    const ok = await runCli(['check', '--xsd', good]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`check: the model is compatible with the environment (${good})`);
    const drifted = await runCli(['check', '--xsd', `KnPerson=${bad}`, '--json']);
    expect(drifted.code).toBe(1);
    expect(JSON.parse(drifted.stdout)).toEqual([expect.objectContaining({ kind: 'length-shrunk', field: 'FiNm' })]);
  }, 120_000);
});

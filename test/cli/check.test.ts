/**
 * `profit-subgraph check`: the served model against an environment's metainfo. The demo model agrees with the
 * demo emulator; each kind of drift after a Profit upgrade, made by editing the emulator's own snapshot, yields
 * exactly its finding. The command runs as a child process (`src/cli.ts` from the sources) for its exit codes,
 * and the service's start logs the same findings for its credential.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../src/model/index.js';
import '../../src/model/write/index.js';
import { compareModel, describeModel, type Finding } from '../../src/check/index.js';
import { credentials, type Emulator, startEmulator } from '../../src/emulator/index.js';
import {
  authorizationHeader,
  ProfitConnection,
  type ProfitSnapshot,
  parseSnapshot,
  takeSnapshot,
} from '../../src/profit/index.js';
import type { Logger } from '../../src/server/log.js';
import { startTestService } from '../server/helpers.js';
import { runCli } from '../support/cli.js';

let emulator: Emulator;
let dir: string;
/** The demo emulator's snapshot as the admin records it, as plain JSON to edit. */
let recorded: string;

function authorizationOf(user: string): string {
  const found = credentials(emulator.company)
    .flatMap((app) => app.users)
    .find((u) => u.name === user);
  if (!found) throw new Error(`no demo user ${user}`);
  return found.authorization;
}

/** The classic token (its XML) behind a demo user's header, as PROFIT_TOKEN takes it. */
function tokenOf(user: string): string {
  return Buffer.from(authorizationOf(user).replace(/^AfasToken /, ''), 'base64').toString('utf8');
}

async function snapshotText(user: string): Promise<string> {
  const connection = new ProfitConnection({ baseUrl: emulator.baseUrl, maxConcurrent: 4 });
  try {
    return (await takeSnapshot(connection.client(authorizationHeader(authorizationOf(user))))).text;
  } finally {
    await connection.close();
  }
}

beforeAll(async () => {
  emulator = await startEmulator();
  dir = await mkdtemp(join(tmpdir(), 'check-test-'));
  recorded = await snapshotText('admin');
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

// biome-ignore lint/suspicious/noExplicitAny: the snapshot's JSON, edited as Profit's answers would change
type Json = any;

/** The recorded snapshot after `edit`, as an upgraded environment would answer. */
function drifted(edit: (json: Json) => void): ProfitSnapshot {
  const json = JSON.parse(recorded);
  edit(json);
  return parseSnapshot(JSON.stringify(json), 'the edited snapshot');
}

function fieldOf(fields: Json[], id: string): Json {
  const found = fields.find((f) => (f.id ?? f.fieldId) === id);
  if (!found) throw new Error(`no field ${id}`);
  return found;
}

/** The findings, as [kind, severity, connector, field]. */
function summary(findings: readonly Finding[]): (string | undefined)[][] {
  return findings.map((f) => [f.kind, f.severity, f.connector, f.field]);
}

const check = (snapshot: ProfitSnapshot) => compareModel(describeModel(), snapshot);

describe('comparing the model with a snapshot', () => {
  it('finds nothing between the demo model and the demo emulator', () => {
    expect(check(parseSnapshot(recorded))).toEqual([]);
  });

  it('reports a GetConnector field Profit no longer has', () => {
    const snapshot = drifted((j) => {
      j.get.Profit_Persons.fields = j.get.Profit_Persons.fields.filter((f: Json) => f.id !== 'FirstName');
    });
    expect(summary(check(snapshot))).toEqual([['field-missing', 'error', 'Profit_Persons', 'FirstName']]);
  });

  it('suggests the new name of a field whose label carries the old one', () => {
    const snapshot = drifted((j) => {
      Object.assign(fieldOf(j.get.Profit_Persons.fields, 'FirstName'), { id: 'Voornaam', label: 'First name' });
    });
    const [finding, ...rest] = check(snapshot);
    expect(rest).toEqual([]);
    expect(finding?.kind).toBe('field-renamed?');
    expect(finding?.message).toContain('Voornaam');
  });

  it("reports a field read as another type than Profit's", () => {
    const snapshot = drifted((j) => {
      fieldOf(j.get.Profit_Employees.fields, 'EmployeeId').dataType = 'int';
    });
    expect(summary(check(snapshot))).toEqual([['type-changed', 'error', 'Profit_Employees', 'EmployeeId']]);
  });

  it('reports an input longer than Profit now takes', () => {
    const snapshot = drifted((j) => {
      fieldOf(j.update.KnPerson.fields, 'FiNm').length = 30;
    });
    const findings = check(snapshot);
    expect(summary(findings)).toEqual([['length-shrunk', 'error', 'KnPerson', 'FiNm']]);
    expect(findings[0]?.message).toContain('accepts 50 characters; Profit now takes at most 30');
  });

  it('reports a new mandatory UpdateConnector field the input does not send', () => {
    const snapshot = drifted((j) => {
      j.update.PtProject.fields.push({
        ...fieldOf(j.update.PtProject.fields, 'Ds'),
        fieldId: 'U0A1B2C3D4E5F',
        label: 'Cost centre',
        mandatory: true,
      });
    });
    expect(summary(check(snapshot))).toEqual([['mandatory-added', 'error', 'PtProject', 'U0A1B2C3D4E5F']]);
  });

  it("reports an enum value missing from Profit's code table as an error", () => {
    const snapshot = drifted((j) => {
      const priority = fieldOf(j.update.KnSubject.fields, 'ViPr');
      priority.values = priority.values.filter((v: Json) => v.id !== 'L');
    });
    const findings = check(snapshot);
    expect(summary(findings)).toEqual([['code-missing', 'error', 'KnSubject', 'ViPr']]);
    expect(findings[0]?.message).toContain('"L"');
  });

  it('reports a code Profit added that the enum lacks as a warning only', () => {
    const snapshot = drifted((j) => {
      fieldOf(j.update.KnSubject.fields, 'ViPr').values.push({ id: 'X', description: 'Urgent' });
    });
    expect(summary(check(snapshot))).toEqual([['code-missing', 'warning', 'KnSubject', 'ViPr']]);
  });

  it('reports a sub-object the UpdateConnector no longer has', () => {
    const snapshot = drifted((j) => {
      j.update.KnEmployee.objects = j.update.KnEmployee.objects.filter((o: Json) => o.name !== 'AfasBankInfo');
    });
    const findings = check(snapshot);
    expect(summary(findings)).toEqual([['field-missing', 'error', 'KnEmployee', 'AfasBankInfo']]);
    expect(findings[0]?.path).toBe('EmployeeWrite.bankAccounts');
  });

  it('warns, without failing, about a granted connector a snapshot left out (--allow-missing)', () => {
    const snapshot = drifted((j) => {
      delete j.get.Profit_Leaves;
    });
    expect(summary(check(snapshot))).toEqual([['connector-missing', 'warning', 'Profit_Leaves', undefined]]);
  });

  it('reports a connector metainfo no longer lists (removed or not granted)', () => {
    const snapshot = drifted((j) => {
      j.metainfo.getConnectors = j.metainfo.getConnectors.filter((c: Json) => c.id !== 'Profit_Projects');
      delete j.get.Profit_Projects;
      j.metainfo.updateConnectors = j.metainfo.updateConnectors.filter((c: Json) => c.id !== 'HrAbsenceID');
      delete j.update.HrAbsenceID;
    });
    expect(summary(check(snapshot))).toEqual([
      ['connector-missing', 'error', 'Profit_Projects', undefined],
      ['connector-missing', 'error', 'HrAbsenceID', undefined],
    ]);
  });
});

async function fileOf(name: string, snapshot: string): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, snapshot);
  return file;
}

const shrunk = () => {
  const json = JSON.parse(recorded);
  fieldOf(json.update.KnPerson.fields, 'FiNm').length = 30;
  return JSON.stringify(json);
};

// Each test starts the CLI from the sources in a child process (transpiled at load): slow on a busy machine.
describe('the check command', { timeout: 120_000 }, () => {
  it('exits 0 with one line when the model is compatible with the snapshot', async () => {
    const run = await runCli(['check', '--from', await fileOf('demo.json', recorded)]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^check: the model is compatible with the environment/);
  });

  it('exits 1 with a report grouped by connector when it is not', async () => {
    const run = await runCli(['check', '--from', await fileOf('shrunk.json', shrunk())]);
    expect(run.code).toBe(1);
    expect(run.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^check: incompatible: 1 error, 0 warnings/),
      'UpdateConnector KnPerson',
      expect.stringMatching(/^ {2}error +length-shrunk +KnPerson KnPerson\.FiNm \(PersonWrite\.firstName\) accepts 50/),
    ]);
  });

  it('prints the findings as a JSON array with --json', async () => {
    const run = await runCli(['check', '--from', await fileOf('shrunk.json', shrunk()), '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual([
      {
        kind: 'length-shrunk',
        severity: 'error',
        connector: 'KnPerson',
        direction: 'update',
        field: 'FiNm',
        path: 'PersonWrite.firstName',
        message: expect.stringContaining('Profit now takes at most 30'),
      },
    ]);
  });

  it('exits 2 for a usage mistake and 1 for a snapshot it cannot read, one line each', async () => {
    const usage = await runCli(['check', '--frm', 'x.json']);
    expect(usage.code).toBe(2);
    expect(usage.stderr.trim().split('\n')).toHaveLength(1);
    const unreadable = await runCli(['check', '--from', join(dir, 'absent.json')]);
    expect(unreadable.code).toBe(1);
    expect(unreadable.stderr.trim()).toMatch(/^check: .*absent\.json: cannot read the snapshot \(ENOENT\)$/);
  });

  it('checks a live environment with the usual settings, reading only the connectors the model uses', async () => {
    emulator.log.clear();
    const run = await runCli(['check', '--json'], {
      PROFIT_BASE_URL: emulator.baseUrl,
      PROFIT_TOKEN: tokenOf('admin'),
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([]);
    const model = describeModel();
    const gets = new Set(model.reads.map((r) => r.connector));
    const updates = new Set(model.writes.map((w) => w.connector));
    const calls = emulator.log.entries().filter((e) => /\/metainfo/i.test(e.path));
    // `/metainfo` once, then each connector the model uses once (the admin is granted more).
    expect(calls).toHaveLength(1 + gets.size + updates.size);
  });

  it("reports the connectors a credential's grant lacks", async () => {
    const run = await runCli(['check', '--json'], {
      PROFIT_BASE_URL: emulator.baseUrl,
      PROFIT_TOKEN: tokenOf('portal'),
    });
    const findings = JSON.parse(run.stdout) as Finding[];
    const expected = compareModel(describeModel(), parseSnapshot(await snapshotText('portal')));
    expect(expected.length).toBeGreaterThan(0);
    expect(findings).toEqual(expected);
    expect(run.code).toBe(1);
    expect(run.stdout + run.stderr).not.toContain(tokenOf('portal'));
  });
});

describe('at the service start', () => {
  it("logs each incompatibility with the service credential's environment once, never the credential", async () => {
    const warnings: string[] = [];
    const logger: Logger = { debug() {}, info() {}, warn: (m: string) => void warnings.push(m), error() {} };
    const token = tokenOf('portal');
    const service = await startTestService(
      { PROFIT_BASE_URL: emulator.baseUrl, PROFIT_TOKEN: token },
      { startupCheck: true, logger },
    );
    try {
      const findings = (await service.modelCheck) ?? [];
      expect(findings.length).toBeGreaterThan(0);
      expect(warnings).toEqual(findings.map((f) => `model check: ${f.severity} ${f.kind}: ${f.message}`));
      expect(warnings.join('\n')).not.toContain(token);
    } finally {
      await service.close();
    }
  });

  it('does not run in pass-through mode, where no credential is known at start', async () => {
    const service = await startTestService({ PROFIT_BASE_URL: emulator.baseUrl }, { startupCheck: true });
    try {
      expect(await service.modelCheck).toBeUndefined();
    } finally {
      await service.close();
    }
  });
});

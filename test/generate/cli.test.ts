/**
 * The `generate` command as a user runs it (a child process over the TypeScript sources): from a snapshot file or
 * from the live environment the service credential reaches, into a model folder, saying what it inferred.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentials, type Emulator, startEmulator } from '../../src/emulator/index.js';

const ROOT = resolve(import.meta.dirname, '../..');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      ['--import', './test/support/typescript.mjs', 'src/cli.ts', 'generate', ...args],
      // Only what the command needs: no settings of the developer's shell leak in.
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } },
      (error, stdout, stderr) => done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let emulator: Emulator;
let out: string;
beforeAll(async () => {
  emulator = await startEmulator({ company: { scale: 1 } });
  out = await mkdtemp(join(tmpdir(), 'generate-cli-'));
});
afterAll(async () => {
  await emulator?.close();
  await rm(out, { recursive: true, force: true });
});

describe('profit-subgraph generate', { timeout: 60_000 }, () => {
  it('reads the live metainfo with the service token and writes the model folder, listing what it inferred', async () => {
    const admin = credentials(emulator.company)
      .flatMap((a) => a.users)
      .find((u) => u.name === 'admin')!;
    const token = Buffer.from(admin.authorization.split(' ')[1]!, 'base64').toString('utf8');
    const folder = join(out, 'live');
    const run = await cli(['--from', 'live', '--out', folder, '--connector', 'Profit_Leaves'], {
      PROFIT_BASE_URL: emulator.baseUrl,
      PROFIT_TOKEN: token,
    });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('inferred: HrAbsenceID writes Profit_Leaves');
    expect(run.stdout).toContain('inferred: the key of Profit_Leaves is LeaveId, EmployeeId');
    expect(run.stdout).toContain(`review the inferred choices in ${join(folder, 'profit-model.json')}`);
    expect((await readdir(folder)).sort()).toEqual(['index.ts', 'leave.ts', 'profit-model.json']);
    expect(await readFile(join(folder, 'leave.ts'), 'utf8')).toContain(
      "@Entity({ connector: 'Profit_Leaves', key: ['leaveId', 'employeeId'], description: 'Verlofboekingen' })",
    );
    // The token stays out of what the command prints and writes.
    expect(run.stdout).not.toContain(token.slice(-20));

    const again = await cli(['--from', 'live', '--out', folder], {
      PROFIT_BASE_URL: emulator.baseUrl,
      PROFIT_TOKEN: token,
    });
    expect(again.stdout).toContain(`${folder}: unchanged`);
    // Two child processes that transpile the sources on start: slow on a busy machine, not a measure of anything.
  }, 120_000);

  it('answers a missing option with one line and exit code 1', async () => {
    const run = await cli(['--from', 'test/fixtures/generate-env.json']);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      'configuration: usage: profit-subgraph generate --from <env.json|live> --out src/model/<name> [--connector ID]… [--name NAME] [--xsd [ID=]FILE]…',
    ]);
  });

  it('refuses a model name PROFIT_MODEL could not choose', async () => {
    const run = await cli(['--from', 'test/fixtures/generate-env.json', '--out', join(out, 'demo')]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      "configuration: the model name 'demo' (--name, else the --out folder) must be a plain name other than demo and write",
    );
  });

  it('answers a connector the snapshot lacks with one line naming it', async () => {
    const run = await cli([
      '--from',
      'test/fixtures/generate-env.json',
      '--out',
      join(out, 'x'),
      '--connector',
      'Nope',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe('configuration: GetConnector Nope is not in the snapshot');
  });
});

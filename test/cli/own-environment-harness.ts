/**
 * The path of issue 11 for a snapshot file, in-process: the file emulated (`emulator --profile`), a model generated
 * from it (`generate --from`, into a temporary folder the project's tsconfig covers), loaded as `PROFIT_MODEL` and
 * served over HTTP against that emulator; `rowsOf` reads the emulator's own rows with its admin credential, `run`
 * asks the service as that admin and returns the Profit calls the request caused (the emulator's request log).
 * One per test file: vitest runs each file in its own process, so two generated models never meet.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'vitest';
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
import type { Service } from '../../src/server/index.js';
import { graphql, http, type Reply, startTestService } from '../server/helpers.js';

export const ROOT = resolve(import.meta.dirname, '../..');

export type Row = Record<string, unknown>;

export interface OwnEnvironment {
  readonly emulator: Emulator;
  readonly service: Service;
  /** The temporary folder holding the model (and anything else a test writes); removed by `close`. */
  readonly dir: string;
  /** The files `generate` wrote, by name. */
  readonly written: readonly string[];
  rowsOf(connector: string): Promise<Row[]>;
  run(query: string, variables?: Record<string, unknown>): Promise<{ body: Reply['json']; calls: string[] }>;
  /** `check --from file --json` for the served model: exit code and findings. */
  check(file: string): Promise<{ code: number; findings: Record<string, unknown>[] }>;
  close(): Promise<void>;
}

export async function startOwnEnvironment(fixture: string, model: string): Promise<OwnEnvironment> {
  const emulator = await startEmulator({
    createCompany: profileCompanyFactory(await readSnapshotFile(fixture)),
    company: { seed: 7 },
  });
  const admin = credentials(emulator.company)[0]!.users[0]!.authorization;
  const dir = await mkdtemp(join(import.meta.dirname, '.models-'));
  const { written } = await runGenerate({ from: fixture, out: relative(ROOT, join(dir, model)), connectors: [] }, ROOT);
  await loadModel(model, pathToFileURL(`${dir}/`));
  const service = await startTestService({ PROFIT_BASE_URL: emulator.baseUrl, PROFIT_MODEL: model });
  return {
    emulator,
    service,
    dir,
    written: written.map((f) => f.split('/').at(-1)!).sort(),
    async rowsOf(connector) {
      const reply = await http(`${emulator.baseUrl}/connectors/${connector}?skip=-1&take=-1`, {
        headers: { authorization: admin },
      });
      expect(reply.status, reply.text).toBe(200);
      return reply.json.rows as Row[];
    },
    async run(query, variables) {
      const before = emulator.log.entries().at(-1)?.seq ?? 0;
      const reply = await graphql(service, query, { authorization: admin, ...(variables ? { variables } : {}) });
      const calls = emulator.log
        .entries()
        .filter((e: LogEntry) => e.seq > before && /\/connectors\//i.test(e.path))
        .map((e) => `${e.method} ${e.path.replace(/^\/ProfitRestServices/i, '')} ${e.status}`);
      return { body: reply.json, calls };
    },
    async check(file) {
      let stdout = '';
      const code = await runCheckCommand(['--from', file, '--json'], {
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: () => true },
        env: { PROFIT_MODEL: model },
      });
      return { code, findings: JSON.parse(stdout) };
    },
    async close() {
      await service.close();
      await emulator.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

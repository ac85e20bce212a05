/**
 * `npm start` builds only when a source is newer than the last build (scripts/build-if-stale.mjs), run in a scratch
 * project whose `build` script counts its runs: the count is exact, whatever the machine's speed.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../../scripts/build-if-stale.mjs', import.meta.url));

let project: string;
const builds = async () => (await readFile(join(project, 'builds.txt'), 'utf8').catch(() => '')).length;
const run = () => promisify(execFile)(process.execPath, [SCRIPT], { cwd: project, env: { PATH: process.env.PATH } });
/** Marks `file` as changed now: after the last build this test made started. */
const touch = (file: string) => utimes(join(project, file), new Date(), new Date());

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'build-if-stale-'));
  // The build appends one character per run and makes dist/, as tsc does.
  const build =
    "node -e \"require('fs').mkdirSync('dist',{recursive:true});require('fs').appendFileSync('builds.txt','x')\"";
  await writeFile(join(project, 'package.json'), JSON.stringify({ name: 'scratch', scripts: { build } }));
  await mkdir(join(project, 'src', 'server'), { recursive: true });
  await writeFile(join(project, 'src', 'server', 'index.ts'), 'export {};\n');
  await writeFile(join(project, 'src', 'cli.ts'), 'export {};\n');
});
afterAll(() => rm(project, { recursive: true, force: true }));

describe('building before a start', { timeout: 60_000 }, () => {
  it('builds the first time, then not again while nothing changed', async () => {
    await run();
    expect(await builds()).toBe(1);
    await run();
    await run();
    expect(await builds()).toBe(1);
  });

  it('builds again after a source changed, once', async () => {
    await touch('src/server/index.ts');
    await run();
    await run();
    expect(await builds()).toBe(2);
  });

  it('builds again after a source was deleted (its folder changed)', async () => {
    await rm(join(project, 'src', 'cli.ts'));
    await run();
    expect(await builds()).toBe(3);
  });

  it('builds again when dist was removed', async () => {
    await rm(join(project, 'dist'), { recursive: true });
    await run();
    expect(await builds()).toBe(4);
  });
});

#!/usr/bin/env node
/**
 * Builds (`npm run build`) only when something the build reads is newer than the last build, so `npm start` on an
 * unchanged tree starts at once instead of spending ~25 s in tsc. `npm ci` builds once through `prepare`.
 *
 * "Newer" is by modification time: of every file and folder under src/ and bench/ (a deleted file changes its
 * folder's time), the tsconfig files and the lock file, against dist/.build-stamp, which is given the time the last
 * successful build started (a file saved during a build is older than nothing it produced). A checkout or a copy
 * that touches files only makes a build happen; it never skips one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const STAMP = 'dist/.build-stamp';
const INPUTS = ['src', 'bench', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

/** The newest modification time under `path` (0 when absent), skipping installed packages. */
function newest(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let time = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry !== 'node_modules') time = Math.max(time, newest(join(path, entry)));
  }
  return time;
}

const built = newest(STAMP);
if (built > 0 && Math.max(...INPUTS.map(newest)) <= built) process.exit(0);

// `npm ci --omit=dev` runs `prepare` too, without TypeScript: such an install only runs a build made elsewhere.
if (process.env.npm_lifecycle_event === 'prepare' && !existsSync('node_modules/typescript')) {
  console.error('prepare: TypeScript is not installed (npm ci --omit=dev?): not building');
  process.exit(0);
}

const started = new Date();
const build = spawnSync('npm', ['run', '--silent', 'build'], { stdio: 'inherit', shell: process.platform === 'win32' });
if (build.status !== 0) process.exit(build.status ?? 1);
writeFileSync(STAMP, `built ${started.toISOString()}\n`);
utimesSync(STAMP, started, started);

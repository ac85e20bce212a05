/**
 * vitest globalSetup: every service a test starts writes its log lines, at every level, also into a file of a
 * temporary folder (log-capture.setup.ts, src/server/log.ts `captureLogs`). When the run ends, every line is
 * searched for credentials (log-capture.ts), and the run fails if one is found.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { findLeaks } from './log-capture.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The folder the services' log lines are captured in. */
    logCaptureDir: string;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'profit-subgraph-logs-'));
  project.provide('logCaptureDir', dir);
  return () => {
    try {
      const files = readdirSync(dir);
      const leaks = files.flatMap((file) =>
        findLeaks(readFileSync(join(dir, file), 'utf8')).map((leak) => ({ ...leak, file })),
      );
      if (leaks.length > 0) {
        const shown = leaks.slice(0, 5).map((l) => `  ${l.what} in ${join(dir, l.file)}, line ${l.line}`);
        throw new Error(`A service logged a credential (${leaks.length} line(s) in ${dir}):\n${shown.join('\n')}`);
      }
      rmSync(dir, { recursive: true, force: true });
    } catch (error) {
      // The folder stays when a leak was found, for a look at the whole lines.
      process.exitCode = 1;
      throw error;
    }
  };
}

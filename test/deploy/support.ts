/** Reading the deployment files: the repository root, YAML documents, and running the committed scripts. */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const read = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

// biome-ignore lint/suspicious/noExplicitAny: manifests are checked field by field against what each test expects
export type Yaml = any;

/** Every document of a YAML file, as plain objects. */
export function documents(file: string): Yaml[] {
  return parseAllDocuments(read(file)).flatMap((d) => (Array.isArray(d) ? [] : [d.toJS()]));
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node …argv` in the repository root, as CI does. */
export function runNode(argv: readonly string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

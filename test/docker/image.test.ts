/**
 * The container, checked without docker (CI has no daemon; `.ci/run` lints the Dockerfile): the image's own
 * HEALTHCHECK command run against a real service, what the final stage is made of, the runtime dependencies the
 * sources need, and the compose files' settings against the declared variables.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VARIABLES } from '../../src/config/index.js';
import type { Service } from '../../src/server/index.js';
import { SERVE_NODE_FLAGS } from '../../src/server/runtime-flags.js';
import { startTestService } from '../server/helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
const DOCKERFILE = read('Dockerfile');

/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
const instructions = DOCKERFILE.replace(/\\\n\s*/g, '')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));

/** The instructions of the last stage: the image that ships. */
const finalStage = instructions.slice(instructions.findLastIndex((line) => line.startsWith('FROM ')));

/** Runs the HEALTHCHECK's exec-form command as docker would inside the container, with `env`. */
function runHealthcheck(env: Record<string, string>): Promise<number | null> {
  const line = finalStage.find((l) => l.startsWith('HEALTHCHECK '));
  const argv = JSON.parse(/\bCMD (\[.*\])$/.exec(line ?? '')?.[1] ?? 'null') as string[] | null;
  if (argv === null || argv[0] !== 'node') throw new Error(`no exec-form node HEALTHCHECK: ${line}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, argv.slice(1), { env: { PATH: process.env.PATH ?? '', ...env } });
    child.on('error', reject);
    child.on('close', resolve);
  });
}

describe('the image HEALTHCHECK', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(() => service?.close());

  it('passes against a service answering /health on PORT', async () => {
    expect(await runHealthcheck({ PORT: new URL(service.url).port })).toBe(0);
  });

  it('fails when nothing answers on PORT', async () => {
    const stopped = await startTestService();
    const port = new URL(stopped.url).port;
    await stopped.close();
    expect(await runHealthcheck({ PORT: port })).toBe(1);
  });
});

describe('the Dockerfile', () => {
  it('ships a non-root image that stops on SIGTERM, with OCI labels', () => {
    expect(finalStage).toContain('USER node');
    expect(finalStage).toContain('STOPSIGNAL SIGTERM');
    const labels = finalStage.filter((l) => l.startsWith('LABEL ')).join(' ');
    for (const key of ['title', 'description', 'version', 'revision', 'created', 'base.name']) {
      expect(labels).toContain(`org.opencontainers.image.${key}=`);
    }
    // Exec form: node is PID 1 and receives the signal itself (a shell would not pass it on).
    expect(finalStage.at(-1)).toBe(
      `CMD ${JSON.stringify(['node', ...SERVE_NODE_FLAGS, 'dist/src/cli.js', 'serve']).replaceAll(',', ', ')}`,
    );
  });

  it('starts node with the V8 flags the service ships with, as npm start and the Kubernetes manifest do', () => {
    expect(SERVE_NODE_FLAGS.length).toBeGreaterThan(0);
    const start = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start;
    expect(start).toContain(`node ${SERVE_NODE_FLAGS.join(' ')} dist/src/cli.js serve`);
    // `npm run bench` runs the service in its own process: with the same flags, or its figures are of another heap.
    const bench = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.bench;
    expect(bench).toContain(`node --expose-gc ${SERVE_NODE_FLAGS.join(' ')} dist/bench/run.js`);
    const manifest = read('deploy/kubernetes/deployment.yaml');
    expect(manifest).toContain(
      `args: ${JSON.stringify(['node', ...SERVE_NODE_FLAGS, 'dist/src/cli.js', 'serve']).replaceAll(',', ', ')}`,
    );
  });

  it('ships V8 flags this Node accepts (a misspelled one stops node before the service starts)', async () => {
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(process.execPath, [...SERVE_NODE_FLAGS, '-e', '0'], { stdio: 'ignore' });
      child.on('error', reject);
      child.on('close', resolve);
    });
    expect(code).toBe(0);
  });

  it('copies node_modules only from the stage that installed production dependencies', () => {
    const copies = finalStage.filter((l) => l.includes('node_modules'));
    expect(copies).toEqual(['COPY --from=dependencies /app/node_modules ./node_modules']);
    const stage = instructions.slice(instructions.indexOf(instructions.find((l) => / AS dependencies$/.test(l)) ?? ''));
    expect(stage.find((l) => l.startsWith('RUN npm ci'))).toMatch(/--omit=dev/);
  });
});

describe('the production dependencies', () => {
  const pkg = JSON.parse(read('package.json')) as {
    dependencies: Record<string, string>;
    devDependencies: Record<string, string>;
  };

  function sources(dir: string): string[] {
    return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
    );
  }

  it('hold every package the service imports (development commands load GraphQL Code Generator apart)', () => {
    const missing = new Set<string>();
    for (const file of sources('src')) {
      // schema-artifacts.ts runs only for schema:print / schema:check, in a checkout.
      if (file.endsWith('schema-artifacts.ts')) continue;
      const text = read(file).replace(/^import type .*$/gm, '');
      for (const m of text.matchAll(/(?:from |import\()'([^.'$][^']*)'/g)) {
        const specifier = m[1] ?? '';
        if (specifier.startsWith('node:')) continue;
        const name = specifier
          .split('/')
          .slice(0, specifier.startsWith('@') ? 2 : 1)
          .join('/');
        if (!(name in pkg.dependencies)) missing.add(`${name} (${file})`);
      }
    }
    expect([...missing]).toEqual([]);
  });

  it('leave the test-only packages to devDependencies', () => {
    for (const name of ['@apollo/gateway', '@apollo/composition', 'vitest', 'typescript']) {
      expect(pkg.dependencies, name).not.toHaveProperty(name);
      expect(pkg.devDependencies, name).toHaveProperty(name);
    }
  });
});

describe('the compose files and .env.example', () => {
  it('set only declared variables, and .env.example gives no secret a value', () => {
    for (const file of ['compose.yaml', 'compose.profit.yaml', '.env.example']) {
      const text = read(file);
      const names = [...text.matchAll(/^\s*#?\s*([A-Z][A-Z0-9_]+)\s*[:=]/gm)].map((m) => m[1] ?? '');
      // compose.profit.yaml takes every setting from .env.
      if (file !== 'compose.profit.yaml') expect(names.length, file).toBeGreaterThan(0);
      expect(
        names.filter((n) => !(n in VARIABLES)),
        file,
      ).toEqual([]);
    }
    for (const [name, variable] of Object.entries(VARIABLES)) {
      if ('secret' in variable) expect(read('.env.example')).not.toMatch(new RegExp(`^${name}=.+`, 'm'));
    }
    expect(read('compose.profit.yaml')).toMatch(/env_file:\s*\n\s*- \.env\n/);
  });
});

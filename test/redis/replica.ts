/**
 * One replica for the Redis tests: `profit-subgraph serve` (the built CLI, dist/src/cli.js) in a process of its own,
 * on a free port, with only the given settings (and PATH). Its JSON log lines are collected; `kill()` is SIGKILL.
 * The built CLI, not the sources through the test loader: three processes transpiling ~20k lines each at start take
 * minutes on a loaded machine.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { killChild } from './redis-server.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Replica {
  readonly graphqlUrl: string;
  readonly child: ChildProcess;
  /** The service's JSON log lines so far. */
  readonly logs: Record<string, unknown>[];
  /** Sends a query; true when it answered 200 with data and no errors. */
  graphql(query: string, authorization: string): Promise<boolean>;
  /** `/metrics` as `name{labels}` → value. */
  metrics(): Promise<Map<string, number>>;
  kill(): Promise<void>;
}

/** `npm run build` when the sources are newer than dist/ (scripts/build-if-stale.mjs); once per test file. */
export function buildIfStale(): void {
  const run = spawnSync(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: ROOT, stdio: 'inherit' });
  if (run.status !== 0) throw new Error(`the build failed (${run.status})`);
}

export async function startReplica(env: Record<string, string>): Promise<Replica> {
  const child = spawn(process.execPath, ['dist/src/cli.js', 'serve'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', PLAYGROUND: 'false', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const logs: Record<string, unknown>[] = [];
  let buffer = '';
  const graphqlUrl = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        if (line.startsWith('{')) logs.push(JSON.parse(line) as Record<string, unknown>);
        const url = /GraphQL at (\S+)/.exec(line)?.[1];
        if (url) resolve(url);
      }
    });
    child.once('exit', (code) => reject(new Error(`the replica exited (${code}) before it listened`)));
  });
  const base = new URL(graphqlUrl).origin;
  return {
    graphqlUrl,
    child,
    logs,
    async graphql(query, authorization) {
      try {
        const res = await request(graphqlUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization },
          body: JSON.stringify({ query }),
        });
        const body = (await res.body.json()) as { data?: unknown; errors?: unknown };
        return res.statusCode === 200 && body.data != null && body.errors === undefined;
      } catch {
        return false;
      }
    },
    async metrics() {
      const res = await request(`${base}/metrics`);
      const text = await res.body.text();
      const values = new Map<string, number>();
      for (const line of text.split('\n')) {
        if (line.startsWith('#') || line === '') continue;
        const i = line.lastIndexOf(' ');
        values.set(line.slice(0, i), Number(line.slice(i + 1)));
      }
      return values;
    },
    kill: () => killChild(child),
  };
}

/**
 * A throwaway `redis-server` per test file: a free port, no persistence, stopped (SIGKILL) with the tests. Absent
 * binary → `REDIS_SERVER` is undefined and the Redis tests skip with a message (CI installs it: see .ci/run).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

export const REDIS_SERVER = (process.env.PATH ?? '/usr/bin')
  .split(delimiter)
  .map((dir) => join(dir, 'redis-server'))
  .find((p) => existsSync(p));

if (!REDIS_SERVER)
  console.warn('redis-server is not installed: the Redis tests are skipped (apt-get install redis-server)');

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Kills the server at once (as a crash would). */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
}

export async function startRedisServer(): Promise<RedisServer> {
  const port = await freePort();
  let child = await spawnServer(port);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill: async () => {
      await killChild(child);
    },
    restart: async () => {
      child = await spawnServer(port);
    },
  };
}

export function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

function spawnServer(port: number): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'];
  const child = spawn(REDIS_SERVER as string, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      if (out.includes('Ready to accept connections')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`redis-server exited (${code}): ${out}`)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

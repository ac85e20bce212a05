/**
 * The service under load (bench/load-server.ts) as a child process, for the load benches: started with the emulator's
 * latency, the demo company's scale and extra service settings; asked for memory and Profit call counts over IPC.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface Stats {
  rssMiB: number;
  heapMiB: number;
  profitCalls: number;
  /** Profit calls the emulator refused for their credential (401: no app connector in its log), so far. */
  refusedCalls: number;
  /** The most Profit calls in flight at once since the previous sample (the emulator's log). */
  maxInFlight: number;
  /** The service's accepted sockets now. */
  connections: number;
}

export interface Child {
  graphqlUrl: string;
  authorization: string;
  stats(gc?: boolean): Promise<Stats>;
  stop(): Promise<void>;
}

export async function startChild(options: {
  latencyMs: number;
  scale: number;
  /** Service settings (environment variables) on top of the bench's own. */
  config?: Record<string, string>;
}): Promise<Child> {
  const script = fileURLToPath(new URL('./load-server.js', import.meta.url));
  const child = fork(script, [], {
    execArgv: ['--expose-gc'],
    env: {
      ...process.env,
      EMULATOR_SCALE: String(options.scale),
      LOAD_PROFIT_LATENCY_MS: String(options.latencyMs),
      LOAD_CONFIG: JSON.stringify(options.config ?? {}),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<{ graphqlUrl: string; authorization: string }>((resolve, reject) => {
    child.once('message', (m: { type: string; graphqlUrl: string; authorization: string }) => resolve(m));
    child.once('exit', (code) => reject(new Error(`the service exited (${code}) before it was ready`)));
  });
  return {
    ...ready,
    stats(gc = false) {
      return new Promise((resolve) => {
        child.once('message', (m: Stats) => resolve(m));
        child.send({ type: 'stats', gc });
      });
    },
    async stop() {
      child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

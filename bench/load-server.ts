/**
 * The process `npm run load` measures: the service on its embedded emulator (as `npm start` runs it), started by
 * bench/load.ts as a child so the load generator does not share its event loop or its memory. It talks to the
 * parent over IPC:
 *
 * - sends `{ type: 'ready', graphqlUrl, authorization }` once listening;
 * - answers `{ type: 'stats', gc }` with `{ type: 'stats', rssMiB, heapMiB, profitCalls, refusedCalls, maxInFlight,
 *   connections }`: memory (after a full GC when asked and `--expose-gc` is on), the Profit requests the emulator
 *   has received so far and those it refused for their credential (its log is emptied at each answer: the numbers
 *   carry on), the most in flight at once since the last answer, and the service's open sockets;
 * - stops on `{ type: 'stop' }` (or when the parent goes away).
 */
import 'reflect-metadata';
import { loadConfig } from '../src/config/index.js';
import { credentials } from '../src/emulator/index.js';
import { startService } from '../src/server/index.js';

type Message = { type: 'stats'; gc?: boolean } | { type: 'stop' };

async function main(): Promise<void> {
  const send = process.send?.bind(process);
  if (!send) throw new Error('bench/load-server runs as a child of bench/load.ts (IPC)');
  const latencyMs = Number(process.env.LOAD_PROFIT_LATENCY_MS ?? 5);
  const config = loadConfig({
    PORT: '0',
    LOG_LEVEL: 'error',
    EMULATOR_SCALE: process.env.EMULATOR_SCALE ?? '5',
    // Measure the service, not the Playground or introspection.
    PLAYGROUND: 'false',
    // The scenario's own settings (bench/load-child.ts).
    ...(JSON.parse(process.env.LOAD_CONFIG ?? '{}') as Record<string, string>),
  });
  const service = await startService(config);
  const emulator = service.emulator;
  if (!emulator) throw new Error('the load bench needs the embedded emulator');
  // Profit's own latency, stood in for: every call waits this long in the emulator before it is handled.
  emulator.faults.set({ latency: { fixedMs: latencyMs } });
  const admin = credentials(emulator.company)
    .find((app) => app.appConnector === 'admin')
    ?.users.find((u) => u.name === 'admin');
  if (!admin) throw new Error('the demo company has no admin user');

  // The emulator keeps its last 10 000 requests; emptied at each sample, so that bounded log does not show as
  // the service's memory growing. Sequence numbers keep counting across a clear.
  let profitCalls = 0;
  let refusedCalls = 0;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await service.close();
    process.exit(0);
  };
  process.on('disconnect', () => void stop());
  process.on('message', async (m: Message) => {
    if (m.type === 'stop') {
      void stop();
      return;
    }
    const entries = emulator.log.entries();
    profitCalls = entries.at(-1)?.seq ?? profitCalls;
    refusedCalls += entries.filter((e) => e.status === 401).length;
    const maxInFlight = emulator.log.maxInFlight();
    emulator.log.clear();
    if (m.gc) (globalThis as { gc?: () => void }).gc?.();
    const usage = process.memoryUsage();
    send({
      type: 'stats',
      rssMiB: usage.rss / 2 ** 20,
      heapMiB: usage.heapUsed / 2 ** 20,
      profitCalls,
      refusedCalls,
      maxInFlight,
      // (A service from before MAX_CONNECTIONS has no count: -1, so the bench still runs against it.)
      connections: typeof service.connections === 'function' ? await service.connections() : -1,
    });
  });
  send({ type: 'ready', graphqlUrl: service.graphqlUrl, authorization: admin.authorization, latencyMs });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

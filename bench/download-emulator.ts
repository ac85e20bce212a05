/**
 * The Profit emulator as a child process of bench/download.ts, so the file it stores and the JSON answers it
 * builds are not counted in the measured process's memory. Sends `{ type: 'ready', baseUrl, authorization }`
 * over IPC once listening; stops when the parent goes away.
 */
import { credentials, startEmulator } from '../src/emulator/index.js';

async function main(): Promise<void> {
  const send = process.send?.bind(process);
  if (!send) throw new Error('bench/download-emulator runs as a child of bench/download.ts (IPC)');
  const emulator = await startEmulator();
  const admin = credentials(emulator.company)
    .flatMap((app) => app.users)
    .find((u) => u.name === 'admin');
  if (!admin) throw new Error('the demo company has no admin user');
  process.on('disconnect', () => {
    void emulator.close().then(() => process.exit(0));
  });
  send({ type: 'ready', baseUrl: emulator.baseUrl, authorization: admin.authorization });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

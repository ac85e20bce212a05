/**
 * Stopping without refusing anyone: on SIGTERM `/ready` answers 503 at once, the service still serves new requests
 * for SHUTDOWN_DELAY_MS (while a load balancer takes it out of rotation), then closes its listener once the running
 * requests are done.
 */
import { Agent, request } from 'undici';
import { describe, expect, it } from 'vitest';
import { startEmulator } from '../../src/emulator/index.js';
import { runCli } from '../support/cli.js';
import { adminOAuthSettings, demoAuthorization, graphql, http, startTestService } from './helpers.js';

/**
 * The status of a GET on a connection of its own (a dispatcher per request): the shared pool's sockets belong to the
 * earlier services of this file, one of which may have had the CLI's port number.
 */
async function statusOf(url: string): Promise<number> {
  const dispatcher = new Agent({ pipelining: 0 });
  try {
    const response = await request(url, { dispatcher, reset: true });
    await response.body.dump();
    return response.statusCode;
  } finally {
    await dispatcher.close();
  }
}

describe('the pre-stop grace (SHUTDOWN_DELAY_MS)', () => {
  it('answers /ready with 503 and still serves GraphQL during the delay, then refuses connections', async () => {
    // Long enough for the two requests below on a busy machine; nothing here measures it.
    const service = await startTestService({ SHUTDOWN_DELAY_MS: '3000' });
    const authorization = demoAuthorization(service);
    const closed = service.close();

    const ready = await http(`${service.url}/ready`);
    expect(ready.status).toBe(503);
    expect(ready.json).toMatchObject({ status: 'shutting-down' });
    const answer = await graphql(service, '{ __typename }', { authorization });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ data: { __typename: 'Query' } });

    await closed;
    await expect(http(`${service.url}/health`)).rejects.toThrow();
  });

  it('answers /ready at once while shutting down, without calling Profit (service mode)', async () => {
    const emulator = await startEmulator({});
    try {
      const service = await startTestService({ ...adminOAuthSettings(emulator), SHUTDOWN_DELAY_MS: '3000' });
      emulator.log.clear();
      const closed = service.close();
      const ready = await http(`${service.url}/ready`);
      expect(ready.status).toBe(503);
      expect(ready.json).toMatchObject({ status: 'shutting-down', profit: { checked: false } });
      await closed;
      expect(emulator.log.entries()).toHaveLength(0);
    } finally {
      await emulator.close();
    }
  });

  it('closes the listener at once with SHUTDOWN_DELAY_MS=0 (the default outside production)', async () => {
    const service = await startTestService();
    await service.close();
    await expect(http(`${service.url}/health`)).rejects.toThrow();
  });

  it('does the same when the CLI gets SIGTERM, and exits 0', { timeout: 60_000 }, async () => {
    let url: string | undefined;
    let duringGrace: Promise<{ ready: number; health: number } | { error: string }> | undefined;
    const run = await runCli(
      ['serve'],
      // A grace long enough for a loaded machine to poll through it (the run waits for it, nothing measures it).
      { PORT: '0', LOG_LEVEL: 'silent', SHUTDOWN_DELAY_MS: '8000' },
      {
        onStdout: (stdout, child) => {
          if (url !== undefined || !stdout.includes('Press Ctrl-C')) return;
          url = /GraphQL at (http:\/\/\S+)\/graphql/.exec(stdout)?.[1];
          child.kill('SIGTERM');
          duringGrace = (async () => {
            // The signal is handled asynchronously: /ready turns 503 once the CLI has read it.
            let ready = await statusOf(`${url}/ready`);
            while (ready === 200) {
              await new Promise((resolve) => setTimeout(resolve, 20));
              ready = await statusOf(`${url}/ready`);
            }
            return { ready, health: await statusOf(`${url}/health`) };
          })().catch((error: unknown) => ({ error: String(error) })); // settled here, asserted below
        },
      },
    );
    expect(url).toBeDefined();
    expect(await duringGrace).toEqual({ ready: 503, health: 200 });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'SIGTERM: shutting down (/ready answers 503 for 8000 ms, then finishing running requests',
    );
  });
});

import { expect, it } from 'vitest';
import { runEmulatorCli } from '../../src/emulator/cli.js';
import { runCli } from '../support/cli.js';
import { createFixtureCompany } from './fixture-company.js';
import { ADMIN, call } from './helpers.js';

it('prints the base URL and, per app connector user, a working Authorization header and OAuth client', async () => {
  const lines: string[] = [];
  const emu = await runEmulatorCli({
    port: 0,
    print: (l) => lines.push(l),
    handleSignals: false,
    createCompany: createFixtureCompany,
  });
  try {
    const out = lines.join('\n');
    expect(out).toContain(`base URL:  ${emu.baseUrl}`);
    expect(out).toContain(`Authorization: ${ADMIN}`);
    expect(out).toContain('client_id=fx-portal-client client_secret=fx-portal-secret');
    expect((await call(emu, 'GET', '/ProfitVersion', { auth: ADMIN })).status).toBe(200);
  } finally {
    await emu.close();
  }
});

it('refuses an EMULATOR_PORT that is not a port number', async () => {
  process.env.EMULATOR_PORT = 'http';
  try {
    await expect(runEmulatorCli({ handleSignals: false, createCompany: createFixtureCompany })).rejects.toThrow(
      "EMULATOR_PORT must be a port number (0–65535), got 'http'",
    );
  } finally {
    delete process.env.EMULATOR_PORT;
  }
});

it('answers a bad EMULATOR_PORT or EMULATOR_HOST from the command line with one line naming it, no stack trace', async () => {
  for (const [env, name] of [
    [{ EMULATOR_PORT: 'http' }, 'EMULATOR_PORT'],
    [{ EMULATOR_PORT: '0', EMULATOR_HOST: '203.0.113.9' }, 'EMULATOR_HOST'],
  ] as const) {
    const run = await runCli(['emulator'], env);
    expect(run.code).toBe(1);
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^configuration: ${name} `));
  }
}, 120_000);

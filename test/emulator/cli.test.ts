import { expect, it } from 'vitest';
import { runEmulatorCli } from '../../src/emulator/cli.js';
import { credentials } from '../../src/emulator/server.js';
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

it('grows the demo company by EMULATOR_SCALE, as the embedded emulator does, and --scale wins over it', async () => {
  const employees = async (options: Parameters<typeof runEmulatorCli>[0]) => {
    const emu = await runEmulatorCli({ port: 0, print: () => {}, handleSignals: false, ...options });
    try {
      const admin = credentials(emu.company)
        .flatMap((app) => app.users)
        .find((u) => u.name === 'admin');
      const reply = await call(emu, 'GET', '/connectors/Profit_Employees?take=10000', { auth: admin?.authorization });
      return reply.json.rows.length as number;
    } finally {
      await emu.close();
    }
  };
  process.env.EMULATOR_SCALE = '2';
  try {
    expect(await employees({})).toBe(80);
    expect(await employees({ company: { scale: 3 } })).toBe(120);
  } finally {
    delete process.env.EMULATOR_SCALE;
  }
  expect(await employees({})).toBe(40);
});

it('refuses an EMULATOR_SCALE that is not a whole number from 1 to 1000, naming it', async () => {
  for (const bad of ['big', '0', '1001', '2.5']) {
    process.env.EMULATOR_SCALE = bad;
    try {
      await expect(runEmulatorCli({ port: 0, handleSignals: false, print: () => {} })).rejects.toThrow(
        `EMULATOR_SCALE must be a whole number from 1 to 1000, got '${bad}'`,
      );
    } finally {
      delete process.env.EMULATOR_SCALE;
    }
  }
});

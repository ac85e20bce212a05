/**
 * The CLI's help and its answer to a mistyped command line, from the CLI itself as a child process (`src/cli.ts`
 * from the sources): exit code 0 and the help on stdout; 2 and exactly one line on stderr for a usage mistake,
 * before anything starts.
 */
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.js';
import { variableList } from '../../src/config/index.js';
import { type CliRun, runCli } from '../support/cli.js';

/** The one line a usage mistake must be: exit code 2, nothing on stdout, no stack frame. */
function expectUsageLine(run: CliRun): string {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(run.stderr).not.toMatch(/\bat .+:\d+:\d+/);
  return lines[0] ?? '';
}

// Each case starts a child process that transpiles the sources: slow on a busy machine, not a measure of anything.
describe('profit-subgraph --help', { timeout: 60_000 }, () => {
  it('lists every command, the same for --help, -h and help, and exits 0', async () => {
    const runs = await Promise.all([runCli(['--help']), runCli(['-h']), runCli(['help'])]);
    for (const run of runs) {
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(runs[0]?.stdout);
    }
    for (const command of COMMANDS) expect(runs[0]?.stdout).toMatch(new RegExp(`^  ${command.name} `, 'm'));
    expect(runs[0]?.stdout).toContain('2 a usage mistake');
  });

  it('lists a command’s options and every environment variable the registry says it reads', async () => {
    const [serve, snapshot, viaHelp] = await Promise.all([
      runCli(['serve', '--help']),
      runCli(['snapshot', '-h']),
      runCli(['help', 'snapshot']),
    ]);
    expect(serve.code).toBe(0);
    for (const v of variableList().filter((v) => (v.commands as readonly string[]).includes('serve'))) {
      expect(serve.stdout).toMatch(new RegExp(`^  ${v.name} `, 'm'));
    }
    expect(serve.stdout).toContain('SHUTDOWN_DELAY_MS');
    // It printed its help and did not start a service.
    expect(serve.stdout).not.toContain('GraphQL at');

    expect(snapshot.code).toBe(0);
    expect(snapshot.stdout).toBe(viaHelp.stdout);
    expect(snapshot.stdout).toMatch(/^usage: profit-subgraph snapshot --out FILE \[--allow-missing\]$/m);
    expect(snapshot.stdout).toMatch(/^ {2}-o, --out FILE +the file to write/m);
    expect(snapshot.stdout).toMatch(/^ {2}PROFIT_TOKEN /m);
    expect(snapshot.stdout).not.toMatch(/^ {2}PORT /m);
  });
});

describe('a mistyped command line', { timeout: 60_000 }, () => {
  it('refuses an option a command does not take, in one line with where the help is, without starting it', async () => {
    const [serve, emulator] = await Promise.all([
      runCli(['serve', '--port', '5000'], { PORT: '0' }),
      runCli(['emulator', '--sede', '3'], { EMULATOR_PORT: '0' }),
    ]);
    expect(expectUsageLine(serve)).toBe("serve: Unknown option '--port' (see profit-subgraph serve --help)");
    expect(expectUsageLine(emulator)).toBe("emulator: Unknown option '--sede' (see profit-subgraph emulator --help)");
  });

  it('refuses an option without its value, an unknown command and an option before any command, each with exit code 2', async () => {
    const [noValue, command, option] = await Promise.all([
      runCli(['generate', '--out']),
      runCli(['serv']),
      runCli(['--port', '5000']),
    ]);
    expect(expectUsageLine(noValue)).toBe(
      "generate: Option '--out <value>' argument missing (see profit-subgraph generate --help)",
    );
    expect(expectUsageLine(command)).toMatch(/^unknown command 'serv'; use one of: serve, emulator, /);
    expect(expectUsageLine(option)).toBe("unknown option '--port': a command comes first (see profit-subgraph --help)");
  });
});

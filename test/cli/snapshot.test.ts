/**
 * `profit-subgraph snapshot`: an environment's shape in one file. Recorded against the emulator over HTTP; the
 * command itself runs as a child process (`src/cli.ts` from the sources) for its exit codes and output lines.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { credentials, type Emulator, startEmulator } from '../../src/emulator/index.js';
import {
  authorizationHeader,
  type ProfitClient,
  ProfitConnection,
  ProfitError,
  parseSnapshot,
  readSnapshot,
  SnapshotError,
  type SnapshotProgress,
  takeSnapshot,
  writeSnapshot,
} from '../../src/profit/index.js';
import { runSnapshotCommand } from '../../src/snapshot-command.js';
import { runCli } from '../support/cli.js';

let emulator: Emulator;
let dir: string;
const connections: ProfitConnection[] = [];

beforeAll(async () => {
  emulator = await startEmulator();
  dir = await mkdtemp(join(tmpdir(), 'snapshot-test-'));
});
afterAll(async () => {
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => emulator.log.clear());
afterEach(async () => {
  await Promise.all(connections.splice(0).map((c) => c.close()));
  emulator.faults.clear();
});

/** The demo user's `Authorization` value. */
function authorizationOf(user: string): string {
  const found = credentials(emulator.company)
    .flatMap((app) => app.users)
    .find((u) => u.name === user);
  if (!found) throw new Error(`no demo user ${user}`);
  return found.authorization;
}

/** The classic token (its XML) behind a demo user's `AfasToken <base64>` header, as PROFIT_TOKEN takes it. */
function tokenOf(user: string): string {
  return Buffer.from(authorizationOf(user).replace(/^AfasToken /, ''), 'base64').toString('utf8');
}

function clientFor(user: string, maxConcurrent = 4, baseUrl = emulator.baseUrl): ProfitClient {
  const connection = new ProfitConnection({ baseUrl, maxConcurrent, retry: { baseDelayMs: 0, maxDelayMs: 0 } });
  connections.push(connection);
  return connection.client(authorizationHeader(authorizationOf(user)));
}

/** Profit's own answer to a metainfo path, as text. */
async function answer(path: string, user = 'admin'): Promise<string> {
  const res = await request(`${emulator.baseUrl}${path}`, { headers: { authorization: authorizationOf(user) } });
  expect(res.statusCode).toBe(200);
  return res.body.text();
}

/** The emulator's log entries for metainfo calls, as `GET /metainfo/...` below the base URL. */
function metainfoCalls(): string[] {
  return emulator.log
    .entries()
    .filter((e) => /\/metainfo/i.test(e.path))
    .map((e) => `${e.method} ${e.path.slice(e.path.toLowerCase().indexOf('/metainfo'))}`);
}

/** A stream stand-in for `runSnapshotCommand`: collects what is written. */
function collector(): { write(text: string): boolean; text(): string } {
  let text = '';
  return {
    write: (t: string) => {
      text += t;
      return true;
    },
    text: () => text,
  };
}

describe('recording', () => {
  it("embeds each of Profit's metainfo answers byte for byte, for every granted connector", async () => {
    const recording = await takeSnapshot(clientFor('admin'));
    const metainfo = await answer('/metainfo');
    expect(recording.text).toContain(`"metainfo": ${metainfo},\n`);
    const listed = JSON.parse(metainfo) as { getConnectors: { id: string }[]; updateConnectors: { id: string }[] };
    expect(listed.getConnectors.length).toBeGreaterThan(0);
    expect(listed.updateConnectors.length).toBeGreaterThan(0);
    for (const { id } of listed.getConnectors) {
      expect(recording.text).toContain(`\n    ${JSON.stringify(id)}: ${await answer(`/metainfo/get/${id}`)}`);
    }
    for (const { id } of listed.updateConnectors) {
      expect(recording.text).toContain(`\n    ${JSON.stringify(id)}: ${await answer(`/metainfo/update/${id}`)}`);
    }
    expect(Object.keys(recording.snapshot.get)).toEqual(listed.getConnectors.map((c) => c.id));
    expect(Object.keys(recording.snapshot.update)).toEqual(listed.updateConnectors.map((c) => c.id));
    expect(recording.missing).toEqual([]);
  });

  it('calls /metainfo once and each granted connector once, never more than the cap at a time', async () => {
    const recording = await takeSnapshot(clientFor('admin', 2));
    const gets = Object.keys(recording.snapshot.get);
    const updates = Object.keys(recording.snapshot.update);
    expect(metainfoCalls()[0]).toBe('GET /metainfo');
    expect(metainfoCalls().sort()).toEqual(
      [
        'GET /metainfo',
        ...gets.map((id) => `GET /metainfo/get/${id}`),
        ...updates.map((id) => `GET /metainfo/update/${id}`),
      ].sort(),
    );
    expect(emulator.log.entries()).toHaveLength(1 + gets.length + updates.length);
    expect(emulator.log.maxInFlight()).toBeLessThanOrEqual(2);
  });

  it("records only what the credential's app connector grants", async () => {
    const recording = await takeSnapshot(clientFor('portal'));
    const listed = JSON.parse(await answer('/metainfo', 'portal')) as {
      getConnectors: { id: string }[];
      updateConnectors: { id: string }[];
    };
    const admin = JSON.parse(await answer('/metainfo')) as { getConnectors: { id: string }[] };
    expect(listed.getConnectors.length).toBeLessThan(admin.getConnectors.length);
    expect(Object.keys(recording.snapshot.get)).toEqual(listed.getConnectors.map((c) => c.id));
    expect(Object.keys(recording.snapshot.update)).toEqual(listed.updateConnectors.map((c) => c.id));
  });

  it('reports progress per connector, from 0 to all of them', async () => {
    const seen: SnapshotProgress[] = [];
    const recording = await takeSnapshot(clientFor('admin'), { onProgress: (p) => seen.push(p) });
    const total = Object.keys(recording.snapshot.get).length + Object.keys(recording.snapshot.update).length;
    expect(seen.map((p) => p.done)).toEqual(Array.from({ length: total + 1 }, (_, i) => i));
    expect(seen.every((p) => p.total === total)).toBe(true);
  });

  it('loads as the values the client itself returns for the same answers', async () => {
    const client = clientFor('admin');
    const recording = await takeSnapshot(client);
    await writeSnapshot(join(dir, 'loaded.json'), recording);
    const loaded = await readSnapshot(join(dir, 'loaded.json'));
    expect(loaded).toEqual(recording.snapshot);
    expect(loaded.metainfo).toEqual(await client.metainfo());
    expect(loaded.get.Profit_Persons).toEqual(await client.getConnectorMetainfo('Profit_Persons'));
    expect(loaded.update.KnPerson).toEqual(await client.updateConnectorMetainfo('KnPerson'));
  });
});

describe('a connector whose metainfo Profit refuses', () => {
  let front: Server;
  let frontBase: string;

  // unconfirmed: the emulator never refuses a granted connector's metainfo, so a front answers 404 for one and
  // passes everything else to the emulator unchanged.
  beforeAll(async () => {
    front = createServer((req, res) => {
      if (/\/metainfo\/get\/Profit_Persons$/i.test(req.url ?? '')) {
        res.writeHead(404).end();
        return;
      }
      emulator.handle(req, res);
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    frontBase = `http://127.0.0.1:${(front.address() as AddressInfo).port}/ProfitRestServices`;
  });
  afterAll(() => new Promise<void>((resolve) => front.close(() => resolve())));

  it('fails the snapshot, naming it, unless missing connectors are allowed', async () => {
    const client = clientFor('admin', 4, frontBase);
    const error = await takeSnapshot(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SnapshotError);
    expect((error as Error).message).toBe(
      'Profit refused the metainfo of 1 granted connector: get Profit_Persons (404)',
    );
    expect((error as SnapshotError).missing).toEqual([expect.objectContaining({ kind: 'get', id: 'Profit_Persons' })]);
  });

  it('is left out of the file and listed when missing connectors are allowed', async () => {
    const recording = await takeSnapshot(clientFor('admin', 4, frontBase), { allowMissing: true });
    expect(recording.missing).toEqual([expect.objectContaining({ kind: 'get', id: 'Profit_Persons', status: 404 })]);
    expect(recording.snapshot.get).not.toHaveProperty('Profit_Persons');
    expect(recording.snapshot.get).toHaveProperty('Profit_Employees');
  });

  it('makes the command warn and exit 1 without a file, or write the rest with --allow-missing', async () => {
    const env = { PROFIT_BASE_URL: frontBase, PROFIT_TOKEN: tokenOf('admin') };
    const out = join(dir, 'missing.json');
    const refused = { stdout: collector(), stderr: collector() };
    expect(await runSnapshotCommand(['--out', out], { ...refused, env })).toBe(1);
    const warning = 'warning: Profit refused the metainfo of get connector Profit_Persons (404)\n';
    expect(refused.stderr.text()).toContain(warning);
    expect(refused.stderr.text()).toContain(
      'snapshot: Profit refused the metainfo of 1 granted connector: get Profit_Persons (404); --allow-missing writes the file without it\n',
    );
    expect(await readdir(dir)).not.toContain('missing.json');

    const allowed = { stdout: collector(), stderr: collector() };
    expect(await runSnapshotCommand(['--out', out, '--allow-missing'], { ...allowed, env })).toBe(0);
    expect(allowed.stderr.text()).toContain(warning);
    expect(allowed.stdout.text()).toMatch(/ \(1 left out: see the warnings\)\n$/);
    expect((await readSnapshot(out)).get).not.toHaveProperty('Profit_Persons');
  });
});

describe('the snapshot command', () => {
  it('writes the file with the usual Profit settings, never the credential, within PROFIT_MAX_CONCURRENT', async () => {
    const out = join(dir, 'env.json');
    const token = tokenOf('admin');
    const run = await runCli(['snapshot', '--out', out], {
      PROFIT_BASE_URL: emulator.baseUrl,
      PROFIT_TOKEN: token,
      PROFIT_MAX_CONCURRENT: '2',
    });
    expect(run.stderr.trim().split('\n').at(-1)).toMatch(/^(\d+)\/\1 connectors$/);
    expect(run.code).toBe(0);
    const text = await readFile(out, 'utf8');
    const snapshot = parseSnapshot(text);
    const total = Object.keys(snapshot.get).length + Object.keys(snapshot.update).length;
    expect(run.stdout).toBe(
      `wrote ${out}: ${Object.keys(snapshot.get).length} GetConnectors, ${Object.keys(snapshot.update).length} UpdateConnectors\n`,
    );
    expect(run.stderr).toContain(`${total}/${total} connectors\n`);
    expect(emulator.log.entries()).toHaveLength(1 + total);
    expect(emulator.log.maxInFlight()).toBeLessThanOrEqual(2);
    const tokenData = /<data>([0-9a-f]+)<\/data>/i.exec(token)?.[1] as string;
    for (const secret of [token, tokenData, authorizationOf('admin').replace(/^AfasToken /, '')]) {
      expect(text).not.toContain(secret);
    }
    expect(await readdir(dir)).not.toContainEqual(expect.stringMatching(/\.tmp$/));
  }, 120_000);

  it('says in one line that Profit refused the credential, exits 1 and writes no file', async () => {
    const out = join(dir, 'refused.json');
    const run = await runCli(['snapshot', '--out', out], {
      PROFIT_BASE_URL: emulator.baseUrl,
      PROFIT_TOKEN: 'ab'.repeat(32),
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('snapshot: Profit refused the credential (PROFIT_TOKEN, 401)\n');
    expect(await readdir(dir)).not.toContain('refused.json');
    expect(await readdir(dir)).not.toContainEqual(expect.stringMatching(/\.tmp$/));
  }, 120_000);

  it('leaves an existing file untouched when a call fails midway', async () => {
    const out = join(dir, 'kept.json');
    await writeFile(out, 'the previous snapshot');
    emulator.faults.once({ kind: '500', path: 'metainfo/update/KnPerson$', count: 10 });
    const stdout = collector();
    const stderr = collector();
    const code = await runSnapshotCommand(['--out', out], {
      stdout,
      stderr,
      env: { PROFIT_BASE_URL: emulator.baseUrl, PROFIT_TOKEN: tokenOf('admin') },
    });
    expect(code).toBe(1);
    expect(
      stderr
        .text()
        .split('\n')
        .filter((l) => l.startsWith('snapshot: ')),
    ).toHaveLength(1);
    expect(stderr.text()).toMatch(/snapshot: .*\/metainfo\/update\/KnPerson/);
    expect(stdout.text()).toBe('');
    expect(await readFile(out, 'utf8')).toBe('the previous snapshot');
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('signs in with the PROFIT_OAUTH_CLIENT_* pair once, and keeps the secret out of the file', async () => {
    const client = credentials(emulator.company).find((a) => a.appConnector === 'hr')?.oauthClients[0];
    if (!client) throw new Error('the demo hr app connector has no OAuth client');
    const out = join(dir, 'oauth.json');
    const io = { stdout: collector(), stderr: collector() };
    const env = {
      PROFIT_BASE_URL: emulator.baseUrl,
      PROFIT_OAUTH_CLIENT_ID: client.clientId,
      PROFIT_OAUTH_CLIENT_SECRET: client.clientSecret,
    };
    expect(await runSnapshotCommand(['--out', out], { ...io, env })).toBe(0);
    const text = await readFile(out, 'utf8');
    const snapshot = parseSnapshot(text);
    expect(snapshot.metainfo.info.appName).toBe(
      credentials(emulator.company).find((a) => a.appConnector === 'hr')?.appName,
    );
    const total = Object.keys(snapshot.get).length + Object.keys(snapshot.update).length;
    expect(emulator.log.tokenIssuances()).toBe(1);
    expect(emulator.log.entries()).toHaveLength(1 + 1 + total);
    expect(text).not.toContain(client.clientSecret);
  });

  it('records the embedded demo emulator as its admin when no Profit settings are given, and says so', async () => {
    const out = join(dir, 'demo.json');
    const stdout = collector();
    const stderr = collector();
    const code = await runSnapshotCommand(['--out', out], { stdout, stderr, env: {} });
    expect(code).toBe(0);
    expect(stderr.text()).toContain(
      'snapshot: no PROFIT_ENVIRONMENT or PROFIT_BASE_URL: recording the embedded demo emulator\n',
    );
    const demo = await readSnapshot(out);
    expect(demo.metainfo.info.appName).toBe(JSON.parse(await answer('/metainfo')).info.appName);
  });

  it('prints its usage for --help, calling nothing', async () => {
    const io = { stdout: collector(), stderr: collector() };
    expect(await runSnapshotCommand(['--help'], { ...io, env: {} })).toBe(0);
    expect(io.stdout.text()).toMatch(/^usage: profit-subgraph snapshot --out FILE \[--allow-missing\]\n/);
    expect(io.stderr.text()).toBe('');
  });

  it('refuses Profit settings without a credential, and a missing --out, in one line', async () => {
    const stderr = collector();
    const io = { stdout: collector(), stderr };
    expect(
      await runSnapshotCommand(['--out', join(dir, 'x.json')], { ...io, env: { PROFIT_BASE_URL: emulator.baseUrl } }),
    ).toBe(1);
    expect(await runSnapshotCommand([], { ...io, env: {} })).toBe(2);
    expect(stderr.text()).toBe(
      'snapshot: configuration: snapshot needs a credential: set PROFIT_TOKEN or PROFIT_OAUTH_CLIENT_ID and PROFIT_OAUTH_CLIENT_SECRET\n' +
        'snapshot: --out FILE is required (see snapshot --help)\n',
    );
    expect(emulator.log.entries()).toEqual([]);
  });

  it('refuses a file it cannot write before calling Profit', async () => {
    const io = { stdout: collector(), stderr: collector() };
    const out = join(dir, 'no-such-folder', 'env.json');
    const env = { PROFIT_BASE_URL: emulator.baseUrl, PROFIT_TOKEN: tokenOf('admin') };
    expect(await runSnapshotCommand(['--out', out], { ...io, env })).toBe(1);
    expect(io.stderr.text()).toBe(`snapshot: ${out}: its folder does not exist or cannot be written\n`);
    expect(emulator.log.entries()).toEqual([]);
  });
});

describe('reading a snapshot', () => {
  const metainfo = {
    updateConnectors: [{ id: 'KnPerson', description: 'Persoon' }],
    getConnectors: [{ id: 'Profit_Users', description: 'Gebruikers' }],
    info: { envid: 'O12345AA', appName: 'Hand', group: 'G', tokenExpiry: '0' },
  };
  const field = { id: 'UserId', fieldId: 'F1', dataType: 'string', label: 'Gebruiker', length: 20 };

  async function readText(text: string): Promise<unknown> {
    const file = join(dir, 'hand.json');
    await writeFile(file, text);
    return readSnapshot(file).catch((e: unknown) => e);
  }

  it('accepts a file written by hand in the same shape', async () => {
    const loaded = await readText(
      JSON.stringify({
        metainfo,
        get: { Profit_Users: { name: 'Profit_Users', description: 'Gebruikers', fields: [field] } },
        update: { KnPerson: { name: 'KnPerson', fields: [] } },
      }),
    );
    expect(loaded).toMatchObject({
      get: { Profit_Users: { fields: [field] } },
      update: { KnPerson: { name: 'KnPerson', description: '', objects: [] } },
    });
  });

  it.each([
    ['not JSON', '{"metainfo":', /hand\.json: not valid JSON/],
    ['an unknown key', JSON.stringify({ metainfo, get: {}, update: {}, rows: [] }), /unknown key "rows"/],
    ['no metainfo', JSON.stringify({ get: {}, update: {} }), /"metainfo" must be the answer of GET \/metainfo/],
    ['no get section', JSON.stringify({ metainfo, update: {} }), /"get" must be an object/],
    [
      'a connector that metainfo does not list',
      JSON.stringify({ metainfo, get: { Profit_Other: { name: 'x', fields: [] } }, update: {} }),
      /"get" has "Profit_Other", which "metainfo" does not list among its getConnectors/,
    ],
    [
      'an answer without fields',
      JSON.stringify({ metainfo, get: {}, update: { KnPerson: { name: 'KnPerson' } } }),
      /"update"."KnPerson" must be the answer of GET \/metainfo\/update\/\{id\}/,
    ],
  ])('refuses %s with a SnapshotError naming the file', async (_, text, message) => {
    const error = await readText(text);
    expect(error).toBeInstanceOf(SnapshotError);
    expect((error as Error).message).toMatch(message);
  });

  it('says which file it cannot read', async () => {
    await expect(readSnapshot(join(dir, 'absent.json'))).rejects.toThrow(
      /absent\.json: cannot read the snapshot \(ENOENT\)/,
    );
  });

  it('keeps numbers exactly as written', async () => {
    const loaded = (await readText(
      `{"metainfo": ${JSON.stringify(metainfo)}, "get": {"Profit_Users": {"name": "Profit_Users", "fields": [{"id": "A", "length": 12345678901234567890}]}}, "update": {}}`,
    )) as { get: Record<string, { fields: { length: unknown }[] }> };
    expect(String(loaded.get.Profit_Users?.fields[0]?.length)).toBe('12345678901234567890');
  });
});

it('refuses to record from a connection that is not Profit (the ProfitError passes through)', async () => {
  const error = await takeSnapshot(clientFor('admin', 1, `${emulator.url}/nothing-here`)).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ProfitError);
});

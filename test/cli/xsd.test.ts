/**
 * `profit-subgraph xsd <UpdateConnector>` and `profit-subgraph validate <file.xml>`: offline from a snapshot of the
 * demo emulator, and live on the embedded demo emulator; exit codes 0 (printed / valid), 1 (invalid: one line per
 * violation, `path: message`) and 2 (usage). The commands run as child processes (src/cli.ts from the sources).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { liveXsd } from '../../src/cli/xsd-command.js';
import { credentials, startEmulator } from '../../src/emulator/index.js';
import { authorizationHeader, ProfitConnection, takeSnapshot, toUpdateBody } from '../../src/profit/index.js';
import { toUpdateXml } from '../../src/profit/xml/index.js';
import { runCli } from '../support/cli.js';

let dir: string;
let snapshot: string;
let valid: string;
let invalid: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xsd-cli-'));
  const emulator = await startEmulator({ port: 0 });
  const connection = new ProfitConnection({ baseUrl: emulator.baseUrl });
  try {
    const admin = credentials(emulator.company).find((app) => app.appConnector === 'admin')?.users[0];
    const client = connection.client(authorizationHeader(admin?.authorization ?? ''));
    const recording = await takeSnapshot(client, { only: { get: [], update: ['KnSubject', 'KnPerson'] } });
    snapshot = join(dir, 'env.json');
    await writeFile(snapshot, recording.text);
  } finally {
    await connection.close();
    await emulator.close();
  }
  valid = join(dir, 'valid.xml');
  const body = toUpdateBody('KnSubject', { keys: { SbId: 5 }, fields: { StId: 2, Ds: 'Onderwerp' } });
  await writeFile(valid, toUpdateXml(body, { action: 'update', declaration: true }));
  invalid = join(dir, 'invalid.xml');
  await writeFile(
    invalid,
    [
      '<KnPerson>',
      '  <Element><Fields Action="insert"><ViGe>Q</ViGe></Fields></Element>',
      '  <Element><Fields Action="upsert"><Nope>1</Nope></Fields></Element>',
      '</KnPerson>',
    ].join('\n'),
  );
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('xsd', { timeout: 120_000 }, () => {
  it('prints the XSD generated from a snapshot’s update metainfo, offline, and says so on stderr', async () => {
    const run = await runCli(['xsd', 'KnSubject', '--from', snapshot]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('<xsd:element name="KnSubject">');
    expect(run.stdout).toContain('<xsd:attribute name="Action" use="required" type="AFASRowAction"/>');
    expect(run.stderr).toBe(`xsd: from the XSD generated from the update metainfo of KnSubject in ${snapshot}\n`);
  });

  it('prints the live XSD of the embedded demo emulator, saying where it came from', async () => {
    const run = await runCli(['xsd', 'KnPerson']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('<xsd:element name="KnPerson">');
    expect(run.stderr).toContain("xsd: from Profit's XSD of KnPerson (GetXmlSchema over SOAP)\n");
  });

  it('falls back to the XSD generated from the live update metainfo where SOAP does not serve GetXmlSchema', async () => {
    const emulator = await startEmulator({ port: 0 });
    const nowhere = `${new URL(emulator.baseUrl).origin}/no-soap-here`;
    const connection = new ProfitConnection({ baseUrl: emulator.baseUrl, soapBaseUrl: nowhere });
    try {
      const admin = credentials(emulator.company).find((app) => app.appConnector === 'admin')?.users[0];
      const xsd = await liveXsd(
        connection.client(authorizationHeader(admin?.authorization ?? '')),
        'KnSubject',
        undefined,
      );
      expect(xsd.source).toBe(
        'the XSD generated from the live update metainfo of KnSubject (GetXmlSchema is not served here)',
      );
      expect(xsd.text).toContain('<xsd:element name="KnSubject">');
    } finally {
      await connection.close();
      await emulator.close();
    }
  });

  it('exits 1 naming the connectors a snapshot has when it lacks the one asked for', async () => {
    const run = await runCli(['xsd', 'KnNope', '--from', snapshot]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('has no UpdateConnector KnNope (it has: KnPerson, KnSubject');
  });
});

describe('validate', { timeout: 120_000 }, () => {
  it('exits 0 for a valid body', async () => {
    const run = await runCli(['validate', valid, '--from', snapshot]);
    expect(run).toMatchObject({ code: 0, stdout: `${valid}: valid\n` });
  });

  it('exits 1 with one line per violation, path: message', async () => {
    const run = await runCli(['validate', invalid, '--from', snapshot]);
    expect(run.code).toBe(1);
    expect(run.stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^\/KnPerson\/Element\[1\]\/Fields\/ViGe: \[facet 'enumeration'\] The value 'Q'/),
      expect.stringMatching(/^\/KnPerson\/Element\[2\]\/Fields\/@Action: .*'upsert'/),
      expect.stringMatching(/^\/KnPerson\/Element\[2\]\/Fields\/Nope: This element is not expected/),
    ]);
  });

  it('exits 2 for a usage mistake: no file, two files, an unknown option', async () => {
    for (const args of [['validate'], ['validate', valid, invalid], ['validate', valid, '--strict']]) {
      const run = await runCli(args);
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});

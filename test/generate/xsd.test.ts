/**
 * `generate --xsd [ID=]FILE`: an UpdateConnector's shape taken from its XSD instead of its update metainfo. The XSD
 * of the fixture's KnEmployee (generated from its metainfo in Profit's layout) gives the same model as the metainfo.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateUpdateXsd } from '../../src/emulator/index.js';
import { parseGenerateArgs, runGenerate } from '../../src/generate/cli.js';
import type { ProfitSnapshot } from '../../src/generate/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURE = join(ROOT, 'test/fixtures/generate-env.json');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'generate-xsd-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function filesOf(folder: string, written: readonly string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const file of written) out[file.slice(file.lastIndexOf('/') + 1)] = await readFile(join(ROOT, file), 'utf8');
  expect(written.every((f) => resolve(ROOT, f).startsWith(folder))).toBe(true);
  return out;
}

describe('generate --xsd', () => {
  it('writes the same model from an UpdateConnector’s XSD as from its update metainfo', async () => {
    const env = JSON.parse(await readFile(FIXTURE, 'utf8')) as ProfitSnapshot;
    const xsd = join(dir, 'KnEmployee.xsd');
    await writeFile(xsd, generateUpdateXsd(env.update.KnEmployee as ProfitSnapshot['update'][string]));
    const without = join(dir, 'env-without-knemployee.json');
    const { KnEmployee: _dropped, ...update } = env.update;
    await writeFile(without, JSON.stringify({ ...env, update }));

    const fromMetainfo = join(dir, 'from-metainfo');
    const expected = await runGenerate(
      parseGenerateArgs(['--from', FIXTURE, '--out', fromMetainfo, '--name', 'fixture']),
      ROOT,
    );
    const fromXsd = join(dir, 'from-xsd');
    const actual = await runGenerate(
      parseGenerateArgs(['--from', without, '--out', fromXsd, '--name', 'fixture', '--xsd', `KnEmployee=${xsd}`]),
      ROOT,
    );
    expect(await filesOf(fromXsd, actual.written)).toEqual(await filesOf(fromMetainfo, expected.written));
    // Without it, KnEmployee's writes are not generated: the XSD is what gave them.
    const neither = join(dir, 'neither');
    const bare = await runGenerate(parseGenerateArgs(['--from', without, '--out', neither, '--name', 'fixture']), ROOT);
    expect(await filesOf(neither, bare.written)).not.toEqual(await filesOf(fromMetainfo, expected.written));
  });

  it('refuses an --xsd file that is not an XSD, naming it', async () => {
    const bad = join(dir, 'bad.xsd');
    await writeFile(bad, '<KnEmployee/>');
    const args = parseGenerateArgs(['--from', FIXTURE, '--out', join(dir, 'bad'), '--name', 'bad', '--xsd', bad]);
    await expect(runGenerate(args, ROOT)).rejects.toThrow(`--xsd ${bad}: not an XSD`);
  });
});

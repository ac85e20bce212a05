/**
 * `generate`: a model folder from a metainfo snapshot (test/fixtures/generate-env.json: odd ids, Dutch names, a
 * GUID-like custom field, decimals, days and moments, code tables, a two-field key, an UpdateConnector that writes
 * nothing read, a sub-object). Pure generation, then the written files as a user gets them: formatted as Biome
 * formats them, compiling, and unchanged by a re-run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGenerateArgs, runGenerate } from '../../src/generate/cli.js';
import {
  generateModel,
  MAPPING_FILE,
  type ModelMapping,
  type ProfitSnapshot,
  planModel,
} from '../../src/generate/index.js';
import { typeNameFor } from '../../src/generate/names.js';

const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURE = 'test/fixtures/generate-env.json';
let snapshot: ProfitSnapshot;
let out: string;

beforeAll(async () => {
  snapshot = JSON.parse(await readFile(join(ROOT, FIXTURE), 'utf8')) as ProfitSnapshot;
  out = await mkdtemp(join(tmpdir(), 'generate-'));
});
afterAll(() => rm(out, { recursive: true, force: true }));

const generate = (mapping?: Partial<ModelMapping>) =>
  generateModel(snapshot, { name: 'fixture', ...(mapping ? { mapping } : {}) });
const mappingOf = (files: Map<string, string>) => JSON.parse(files.get(MAPPING_FILE)!) as ModelMapping;

describe('names and types', () => {
  it('writes one entity file per GetConnector, an index and the mapping file', () => {
    expect([...generate().keys()]).toEqual([
      'cursus-inschrijving.ts',
      'index.ts',
      'medewerker.ts',
      MAPPING_FILE,
      'verlof-saldo.ts',
    ]);
  });

  it('names a type in the singular from the connector id, and fields in camelCase from their ids', () => {
    const file = generate().get('medewerker.ts')!;
    expect(file).toContain("@Entity({ connector: 'Profit_Medewerkers', key: ['mdwNr'], description: 'Medewerkers' })");
    expect(file).toContain('export class Medewerker {');
    expect(file).toContain(
      "@Bound('In_dienst_sinds', 'date', { description: 'Datum in dienst' })\n  inDienstSinds!: string | null;",
    );
    expect(generate().get('cursus-inschrijving.ts')).toContain('export class CursusInschrijving {');
  });

  it('names a Dutch plural in the singular, a doubled consonant undone', () => {
    expect(['Cust_Ritten', 'Cursussen', 'Inschrijvingen', 'Profit_Employees'].map((id) => typeNameFor(id, ''))).toEqual(
      ['CustRit', 'Cursus', 'Inschrijving', 'Employee'],
    );
  });

  it('keeps the prefix of a connector named as another but for it, rather than numbering the name', () => {
    const field = { ...snapshot.get.Profit_Medewerkers!.fields[0]!, id: 'SubjectId', fieldId: 'SubjectId' };
    const env = {
      ...snapshot,
      get: {
        ProfitSubjects: { name: 'ProfitSubjects', description: '', fields: [field] },
        Profit_Subjects: { name: 'Profit_Subjects', description: '', fields: [field] },
      },
      update: {},
    } as unknown as ProfitSnapshot;
    const types = mappingOf(generateModel(env, { name: 'fixture' })).types;
    expect([types.ProfitSubjects!.name, types.Profit_Subjects!.name]).toEqual(['Subject', 'ProfitSubject']);
  });

  it('names the list query in the English plural where adding an s would not do (countries, addresses)', () => {
    const field = { ...snapshot.get.Profit_Medewerkers!.fields[0]!, id: 'CoId', fieldId: 'CoId' };
    const env = {
      ...snapshot,
      get: {
        ProfitCountries: { name: 'ProfitCountries', description: '', fields: [field] },
        Profit_Address: { name: 'Profit_Address', description: '', fields: [field] },
      },
      update: {},
    } as unknown as ProfitSnapshot;
    const files = generateModel(env, { name: 'fixture' });
    expect(files.get('country.ts')).toContain(
      "@Entity({ connector: 'ProfitCountries', key: ['coId'], queries: { list: 'countries' } })",
    );
    expect(files.get('address.ts')).toContain("queries: { list: 'addresses' }");
    expect(generate().get('medewerker.ts')).not.toContain('queries');
  });

  it('names a custom field (a GUID-like id) by its label', () => {
    expect(generate().get('medewerker.ts')).toContain(
      "@Bound('U5C8A9E4B4F2A4D1B9E3F0A7C6D5E4F3A', 'string', { description: 'Schoenmaat (vrij veld)' })\n  schoenmaatVrijVeld!: string | null;",
    );
  });

  it('binds decimals exactly, birth and service dates as days and a modification stamp as a moment', () => {
    const file = generate().get('medewerker.ts')!;
    expect(file).toContain(
      "@Bound('Uurloon', 'decimal', { description: 'Uurloon (€)' })\n  uurloon!: ProfitDecimal | number | null;",
    );
    expect(file).toContain("@Bound('Geboortedatum', 'date')\n  geboortedatum!: string | null;");
    expect(file).toContain(
      "@Bound('Gewijzigd_op', 'datetime', { description: 'Gewijzigd op' })\n  gewijzigdOp!: Date | null;",
    );
    expect(mappingOf(generate()).types.Profit_Medewerkers!.fields.Gewijzigd_op).toEqual({
      name: 'gewijzigdOp',
      type: 'datetime',
    });
  });
});

describe('what metainfo does not say', () => {
  it("takes a GetConnector's key from the UpdateConnector that writes it: two fields for a course enrolment", () => {
    const file = generate().get('cursus-inschrijving.ts')!;
    expect(file).toContain("key: ['cursus', 'mdwNr']");
    expect(planModel(snapshot).notes).toContain(
      "inferred: the key of Cursus_Inschrijvingen is Cursus, Mdw_Nr (KnCursusDeelname's primary key)",
    );
  });

  it("relates a field to the connector whose key field has the field's id, both ways", () => {
    expect(generate().get('cursus-inschrijving.ts')).toContain(
      "@Relation(() => Medewerker, { on: { mdwNr: 'mdwNr' } })\n  medewerker?: Medewerker | null;",
    );
    expect(generate().get('medewerker.ts')).toContain(
      "@Relation(() => CursusInschrijving, { on: { mdwNr: 'mdwNr' }, list: true })\n  cursusInschrijvings?: Connection<CursusInschrijving> | null;",
    );
  });

  it('relates a field to a connector whose key its writer confirms, not to one whose key is only a guess', () => {
    // Verlof_saldo has no writer: its key Mdw_Nr is a guess (its first field), and a leave balance is no enrolment's.
    expect(planModel(snapshot).notes).toContain('inferred: the key of Verlof_saldo is Mdw_Nr');
    expect(mappingOf(generate()).relations.map((r) => `${r.from}.${r.field} → ${r.to}`)).toEqual([
      'Cursus_Inschrijvingen.Mdw_Nr → Profit_Medewerkers',
    ]);
    expect(generate().get('cursus-inschrijving.ts')).not.toContain('VerlofSaldo');
  });

  it('declares the UpdateConnector that writes a type in its file: key, mandatory fields, lengths, decimals, codes', () => {
    const file = generate().get('medewerker.ts')!;
    expect(file).toContain(
      "@Writes({\n  connector: 'KnEmployee',\n  entity: () => Medewerker,\n  key: { mdwNr: 'EmId' },\n  operations: ['create', 'update', 'delete'],\n})\nexport class MedewerkerWrite {",
    );
    expect(file).toContain(
      "@Input('Nm', 'string', { length: 80, mandatory: true, description: 'Naam' })\n  naam?: string | null;",
    );
    expect(file).toContain("@Input('ViGe', 'string', { length: 20, oneOf: ['M', 'V', 'O'], description: 'Geslacht' })");
    expect(file).toContain(
      "@Input('U001', 'decimal', { decimals: 2, description: 'Uurloon (€)' })\n  uurloon?: unknown;",
    );
    expect(generate().get('cursus-inschrijving.ts')).toContain(
      "@Input('EmId', 'string', { length: 15, key: true, mandatory: true, description: 'Medewerker' })",
    );
  });

  it('says what it inferred and what it left out', () => {
    const { notes } = planModel(snapshot);
    expect(notes).toContain(
      'inferred: KnEmployee writes Profit_Medewerkers (7 shared field codes, its key among them)',
    );
    expect(notes).toContain("inferred: Profit_Medewerkers.Geboortedatum ('Geboortedatum') is a day");
    expect(notes).toContain("left out: KnEmployee's sub-objects (AfasContract); declare them with @Nested");
    expect(mappingOf(generate()).writes.KnLosseTabel).toEqual({ entity: null, fields: {} });
  });
});

describe('the mapping file', () => {
  it('overrides names, keys, a day-or-moment choice and relations, and the next run keeps them', () => {
    const mapping = mappingOf(generate());
    mapping.types.Verlof_saldo!.name = 'LeaveBalance';
    mapping.types.Verlof_saldo!.key = ['Mdw_Nr', 'Verlofsoort', 'Jaar'];
    mapping.types.Profit_Medewerkers!.fields.Geboortedatum = { name: 'birthDate', type: 'date' };
    mapping.writes.KnEmployee!.fields.DaBi!.name = 'birthDate';
    mapping.types.Profit_Medewerkers!.fields.In_dienst_sinds!.type = 'datetime';
    mapping.relations = mapping.relations.filter((r) => r.to !== 'Verlof_saldo');
    const files = generate(mapping);
    expect(files.has('leave-balance.ts')).toBe(true);
    expect(files.get('leave-balance.ts')).toContain("key: ['mdwNr', 'verlofsoort', 'jaar']");
    expect(files.get('medewerker.ts')).toContain("@Bound('Geboortedatum', 'date')\n  birthDate!: string | null;");
    expect(files.get('medewerker.ts')).toContain(
      "@Input('DaBi', 'date', { description: 'Geboortedatum' })\n  birthDate?:",
    );
    expect(files.get('medewerker.ts')).toContain(
      "@Bound('In_dienst_sinds', 'datetime', { description: 'Datum in dienst' })",
    );
    expect(files.get('cursus-inschrijving.ts')).not.toContain('LeaveBalance');
    expect(generate(mappingOf(files))).toEqual(files);
  });

  it('gives byte-identical files when the generator runs again over its own output', async () => {
    const args = parseGenerateArgs(['--from', join(ROOT, FIXTURE), '--out', out, '--name', 'fixture']);
    const first = await runGenerate(args, ROOT);
    expect(first.written).toHaveLength(5);
    const before = new Map(
      await Promise.all(first.written.map(async (f) => [f, await readFile(join(ROOT, f), 'utf8')] as const)),
    );
    const second = await runGenerate(args, ROOT);
    expect(second.written).toEqual([]);
    for (const [file, text] of before) expect(await readFile(join(ROOT, file), 'utf8')).toBe(text);
  });

  it('reads --from with the snapshot format’s own checks: a connector metainfo does not list is refused, naming it', async () => {
    const file = join(out, 'env-unlisted.json');
    const env = JSON.parse(await readFile(join(ROOT, FIXTURE), 'utf8'));
    env.get.Nergens_Genoemd = env.get.Verlof_saldo;
    await writeFile(file, JSON.stringify(env));
    const args = parseGenerateArgs(['--from', file, '--out', join(out, 'unlisted'), '--name', 'unlisted']);
    await expect(runGenerate(args, ROOT)).rejects.toThrow(
      `--from ${file}: "get" has "Nergens_Genoemd", which "metainfo" does not list among its getConnectors`,
    );
  });

  it('refuses an edit that would not compile, naming the entry', () => {
    const mapping = mappingOf(generate());
    mapping.types.Profit_Medewerkers!.fields.Geboortedatum!.type = 'day' as never;
    expect(() => generate(mapping)).toThrow(
      'profit-model.json: types.Profit_Medewerkers.fields.Geboortedatum.type must be one of string, int, decimal, boolean, date, datetime, blob, got "day"',
    );
    const renamed = mappingOf(generate());
    renamed.types.Verlof_saldo!.name = 'PageInfo';
    expect(() => generate(renamed)).toThrow(
      'profit-model.json: types.Verlof_saldo.name must be an identifier the core does not use, got "PageInfo"',
    );
  });

  it('generates only the connectors asked for, and those again when run without --connector', () => {
    const files = generateModel(snapshot, { name: 'fixture', connectors: ['Profit_Medewerkers'] });
    expect([...files.keys()]).toEqual(['index.ts', 'medewerker.ts', MAPPING_FILE]);
    expect(files.get('medewerker.ts')).not.toContain('@Relation');
    expect(mappingOf(files).connectors).toEqual(['Profit_Medewerkers']);
    expect(generate(mappingOf(files))).toEqual(files);
  });
});

describe('the generated files', () => {
  it('are formatted and linted as Biome wants them, long labels and names included', () => {
    const long = structuredClone(snapshot) as { -readonly [K in keyof ProfitSnapshot]: ProfitSnapshot[K] };
    const label =
      'Een bijzonder lange omschrijving van dit veld, die niet op één regel past, zoals Profit dat soms doet';
    (long.get.Profit_Medewerkers!.fields[1] as { label: string }).label = label;
    (long.update.KnEmployee!.fields[1] as { label: string }).label = label;
    (long.get.Profit_Medewerkers as { description: string }).description = `${label} (it's long)`;
    const relation = {
      from: 'Cursus_Inschrijvingen',
      field: 'Mdw_Nr',
      to: 'Profit_Medewerkers',
      toField: 'Mdw_Nr',
      name: 'medewerkerMetEenHeelLangeNaamDieNietOpDeRegelPast',
      reverse: 'inschrijvingenMetEenHeelLangeNaamDieNietOpDeRegelPastEnNogWatLanger',
    };
    const variants = [...generate(), ...generateModel(long, { name: 'fixture', mapping: { relations: [relation] } })];
    for (const [file, text] of variants) {
      const fixed = execFileSync(
        join(ROOT, 'node_modules/.bin/biome'),
        ['check', '--write', `--stdin-file-path=src/model/fixture/${file}`],
        {
          cwd: ROOT,
          input: text,
          encoding: 'utf8',
        },
      );
      expect(fixed, file).toBe(text);
    }
  });

  it('order their exports as Biome does when one file name begins another (user before user-group)', () => {
    const field = (id: string) => ({ ...snapshot.get.Profit_Medewerkers!.fields[0]!, id, fieldId: id, label: id });
    const env = {
      metainfo: snapshot.metainfo,
      get: {
        Profit_UserGroups: { name: 'Profit_UserGroups', description: '', fields: [field('GroupId')] },
        Profit_Users: { name: 'Profit_Users', description: '', fields: [field('UserId')] },
      },
      update: {},
    } as unknown as ProfitSnapshot;
    const index = generateModel(env, { name: 'fixture' }).get('index.ts')!;
    expect(index.indexOf("from './user.js'")).toBeLessThan(index.indexOf("from './user-group.js'"));
    const fixed = execFileSync(
      join(ROOT, 'node_modules/.bin/biome'),
      ['check', '--write', '--stdin-file-path=src/model/fixture/index.ts'],
      { cwd: ROOT, input: index, encoding: 'utf8' },
    );
    expect(fixed).toBe(index);
  });

  it('compile under the project tsconfig', () => {
    const files = generateModel(snapshot, {
      name: 'fixture',
      coreImport: join(ROOT, 'src/graphql'),
      profitImport: join(ROOT, 'src/profit'),
    });
    const dir = join(ROOT, 'test/generate');
    const sources = new Map(
      [...files].filter(([f]) => f.endsWith('.ts')).map(([f, t]) => [join(dir, `.fixture-${f}`), t]),
    );
    // The files import each other as `./x.js`: resolve those to the in-memory sources.
    const rename = (text: string) => text.replace(/from '\.\/([a-z-]+)\.js'/g, "from './.fixture-$1.js'");
    const config = ts.getParsedCommandLineOfConfigFile(
      join(ROOT, 'tsconfig.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: () => {},
      },
    )!;
    const host = ts.createCompilerHost(config.options);
    const readFileOriginal = host.readFile.bind(host);
    host.readFile = (f) => (sources.has(f) ? rename(sources.get(f)!) : readFileOriginal(f));
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (f) => sources.has(f) || fileExists(f);
    const program = ts.createProgram([...sources.keys()], { ...config.options, noEmit: true }, host);
    const diagnostics = ts
      .getPreEmitDiagnostics(program)
      .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
    expect(diagnostics).toEqual([]);
    // A whole-program typecheck of the model and the core it imports.
  }, 180_000);
});

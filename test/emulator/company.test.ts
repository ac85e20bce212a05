/**
 * The demo company on its own (no HTTP): deterministic generation, scale, referential integrity, valid BSNs and
 * files, and the UpdateConnectors fed with bodies modelled on AFAS's own examples, parsed and validated by the
 * emulator's generic UpdateConnector layer exactly as an HTTP call would be.
 */
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { isValidBsn } from '../../src/emulator/company/bsn.js';
import { pngSize } from '../../src/emulator/company/files/png.js';
import { dutchIban, isValidIban } from '../../src/emulator/company/iban.js';
import { createCompany, type DemoStore } from '../../src/emulator/company/index.js';
import { EMPLOYEE_LIST_REPORT } from '../../src/emulator/company/reports.js';
import {
  type Company,
  Decimal,
  ProfitRejection,
  type Row,
  type UpdateMethod,
} from '../../src/emulator/company/types.js';
import { parseBody, parseUpdateBody } from '../../src/emulator/update-connector.js';

const PNG_PIXEL = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

function rows(company: Company, id: string): readonly Row[] {
  const def = company.getConnectors.get(id);
  if (!def) throw new Error(`no GetConnector ${id}`);
  return def.rows(company.store);
}

/** Runs a body through parsing, generic validation, `check` and `apply`, rolling back on failure as the server does. */
function update(company: Company, id: string, body: unknown, method: UpdateMethod = 'POST', subObject?: string) {
  const def = company.updateConnectors.get(id);
  if (!def) throw new Error(`no UpdateConnector ${id}`);
  const elements = parseUpdateBody(parseBody(JSON.stringify(body)), def.name, def, method, subObject);
  def.check?.(method, elements, company.store);
  const snapshot = company.store.snapshot();
  try {
    return def.apply(method, elements, company.store, subObject);
  } catch (e) {
    company.store.restore(snapshot);
    throw e;
  }
}

function remove(company: Company, id: string, object: string, keys: Record<string, string>): void {
  const def = company.updateConnectors.get(id);
  const snapshot = company.store.snapshot();
  try {
    def?.remove?.(object, keys, company.store);
  } catch (e) {
    company.store.restore(snapshot);
    throw e;
  }
}

const everything = (company: Company) =>
  JSON.stringify([...company.getConnectors.keys()].map((id) => rows(company, id)));

describe('generation', () => {
  it('builds the same company from the same seed, and a different one from another seed', () => {
    const a = createCompany();
    const b = createCompany();
    const c = createCompany({ seed: 7 });
    expect(everything(a)).toBe(everything(b));
    expect(everything(a)).not.toBe(everything(c));
    expect(a.appConnectors.flatMap((app) => app.users.map((u) => u.tokenData))).toEqual(
      b.appConnectors.flatMap((app) => app.users.map((u) => u.tokenData)),
    );
    for (const app of a.appConnectors) for (const u of app.users) expect(u.tokenData).toMatch(/^[0-9A-F]{64}$/);
  });

  it('has the size of a small demo at scale 1', () => {
    const company = createCompany();
    expect(rows(company, 'Profit_Organisations')).toHaveLength(8);
    expect(rows(company, 'Profit_Organisations').filter((r) => r.IsEmployer)).toHaveLength(2);
    expect(rows(company, 'Profit_Persons')).toHaveLength(60);
    expect(rows(company, 'Profit_Employees')).toHaveLength(40);
    expect(rows(company, 'Profit_Projects')).toHaveLength(12);
    expect(rows(company, 'ProfitSubjects')).toHaveLength(80);
    expect(rows(company, 'Profit_Leaves')).toHaveLength(120);
    expect(rows(company, 'Profit_Subject_Attachments').length).toBeGreaterThanOrEqual(60);
  });

  it('generates thousands of employees and tens of thousands of dossier items at scale 100', () => {
    const company = createCompany({ scale: 100 });
    expect(rows(company, 'Profit_Employees')).toHaveLength(4000);
    expect(rows(company, 'ProfitSubjects').length).toBeGreaterThan(20_000);
  });

  it('keeps the keys AFAS documentation examples use', () => {
    const company = createCompany();
    const codes = rows(company, 'Profit_OrgPer').map((r) => r.BcCo);
    expect(codes).toEqual(expect.arrayContaining(['1000372', '1000744', '1000780', '1000781', '1000021', '1000551']));
    const employees = rows(company, 'Profit_Employees').map((r) => r.EmployeeId);
    expect(employees).toEqual(expect.arrayContaining(['ALLARDJ', 'CASPERK', 'BEATRIJSB', '5000430', '4125040']));
    expect(rows(company, 'Profit_Leaves').map((r) => r.LeaveId)).toContain(1724);
    expect(rows(company, 'ProfitSubjects').map((r) => r.SbId)).toContain(54286);
    expect(rows(company, 'Profit_Projects').map((r) => r.ProjectId)).toContain('910004');
  });
});

describe('data', () => {
  const company = createCompany();

  it('keeps every relation intact', () => {
    const persons = new Set(rows(company, 'Profit_Persons').map((r) => r.BcCo));
    const orgPer = new Set(rows(company, 'Profit_OrgPer').map((r) => r.BcCo));
    const employers = new Set(rows(company, 'Profit_Organisations').map((r) => r.EmployerId));
    const employees = new Set(rows(company, 'Profit_Employees').map((r) => r.EmployeeId));
    const subjects = new Set(rows(company, 'ProfitSubjects').map((r) => r.SbId));
    for (const e of rows(company, 'Profit_Employees')) {
      expect(persons.has(e.PersonId)).toBe(true);
      expect(employers.has(e.EmployerId)).toBe(true);
    }
    for (const p of rows(company, 'Profit_Projects')) if (p.BcCo !== null) expect(orgPer.has(p.BcCo)).toBe(true);
    for (const s of rows(company, 'ProfitSubjects')) if (s.BcCd !== null) expect(orgPer.has(s.BcCd)).toBe(true);
    for (const l of rows(company, 'Profit_Leaves')) expect(employees.has(l.EmployeeId)).toBe(true);
    for (const b of rows(company, 'Profit_LeaveBalance')) expect(employees.has(b.EmployeeId)).toBe(true);
    for (const a of rows(company, 'Profit_Subject_Attachments')) {
      expect(subjects.has(a.subject_id)).toBe(true);
      const file = company.store.subjectFile(String(a.subject_id), String(a.file_id));
      expect(file?.data.length).toBeGreaterThan(0);
      expect(company.store.file(String(a.file_id), String(a.file_name))?.data).toBe(file?.data);
    }
    expect(orgPer.size).toBe(rows(company, 'Profit_OrgPer').length);
  });

  it('gives every person with a BSN one that passes the 11-test, and no BSN twice', () => {
    const bsns = rows(company, 'Profit_Persons')
      .map((r) => r.BSN)
      .filter((b): b is string => typeof b === 'string');
    expect(bsns.length).toBeGreaterThan(40);
    for (const bsn of bsns) expect(isValidBsn(bsn), bsn).toBe(true);
    expect(new Set(bsns).size).toBe(bsns.length);
    expect(isValidBsn('111222333')).toBe(true);
    expect(isValidBsn('123456789')).toBe(false);
  });

  it('gives employees IBANs with correct check digits (ISO 13616 mod 97)', () => {
    const ibans = rows(company, 'Profit_Employees')
      .map((r) => r.Iban)
      .filter((b): b is string => typeof b === 'string');
    expect(ibans.length).toBeGreaterThan(30);
    for (const iban of ibans) expect(isValidIban(iban), iban).toBe(true);
    expect(dutchIban('ABNA', '0417164300')).toBe('NL91ABNA0417164300');
    expect(isValidIban('NL91 ABNA 0417 1643 00')).toBe(true);
    expect(isValidIban('NL91ABNA0417164301')).toBe(false);
    expect(isValidIban('GB82WEST12345698765432')).toBe(true);
  });

  it('holds the values that trip filters: separators, quotes, apostrophes, non-ASCII, nulls and DST wall times', () => {
    const text = everything(company);
    for (const needle of [
      "'s-Hertogenbosch",
      'Jansen, Smit',
      'De Vries; Noord',
      '\\"Gouden\\"',
      'Müller',
      'Çelik',
      'Zoë',
    ]) {
      expect(text).toContain(needle);
    }
    expect(text).toMatch(/2024-03-31T02:\d\d:\d\d/);
    expect(text).toMatch(/2024-10-27T02:\d\d:\d\d/);
    expect(rows(company, 'Profit_Persons').some((r) => r.Prefix === null)).toBe(true);
    for (const id of company.getConnectors.keys()) {
      for (const row of rows(company, id)) {
        for (const value of Object.values(row)) {
          if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT/.test(value))
            expect(value).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
        }
      }
    }
  });

  it('keeps decimals exact, including one a double cannot hold', () => {
    const revenues = rows(company, 'Profit_Organisations').map((r) => r.Revenue);
    expect(revenues.map(String)).toContain('12345678901234.56');
    const employee = rows(company, 'Profit_Employees')[0];
    expect(employee?.Salary).toEqual(new Decimal('4123.45'));
    expect(String(employee?.HourlyRate)).toMatch(/^\d+\.\d{4}$/);
    const meta = company.getConnectors.get('Profit_Employees')?.fields.find((f) => f.id === 'HourlyRate');
    expect(meta).toMatchObject({ dataType: 'decimal', decimals: 4 });
  });
});

describe('files', () => {
  const company = createCompany();
  const attachments = rows(company, 'Profit_Subject_Attachments');

  it('serves real PDFs with a cross-reference table that points at their objects', () => {
    const row = attachments.find((a) => String(a.file_name).endsWith('.pdf'));
    const file = company.store.subjectFile(String(row?.subject_id), String(row?.file_id));
    expect(file?.mimeType).toBe('application/pdf');
    const pdf = file?.data.toString('latin1') ?? '';
    expectValidPdf(pdf);
  });

  it('serves real PNGs whose IHDR, CRCs and image data agree, in several colours', () => {
    const pngs = attachments.filter((a) => String(a.file_name).endsWith('.png'));
    const files = pngs.map((a) => company.store.subjectFile(String(a.subject_id), String(a.file_id)));
    expect(new Set(files.map((f) => f?.data.toString('base64'))).size).toBeGreaterThan(3);
    for (const f of files) {
      expect(f?.mimeType).toBe('image/png');
      expectValidPng(f?.data ?? Buffer.alloc(0));
    }
  });

  it('answers the ImageConnector in three sizes: original, thumbnail ≤ 64 px and medium ≤ 1000 px', () => {
    const imageId = rows(company, 'Profit_Persons').find((p) => p.ImageId !== null)?.ImageId as string;
    const [original, thumbnail, medium] = ([0, 1, 2] as const).map((f) => company.store.image(imageId, f)?.data);
    expect(pngSize(original ?? Buffer.alloc(0))).toEqual({ width: 1600, height: 1200 });
    const thumb = pngSize(thumbnail ?? Buffer.alloc(0));
    expect(Math.max(thumb?.width ?? 99, thumb?.height ?? 99)).toBeLessThanOrEqual(64);
    const mid = pngSize(medium ?? Buffer.alloc(0));
    expect(Math.max(mid?.width ?? 9999, mid?.height ?? 9999)).toBeLessThanOrEqual(1000);
    expect(original?.length).toBeLessThan(100_000);
    expect(company.store.image('NOSUCHIMAGE', 0)).toBeUndefined();
  });

  it('renders the employee list report as a PDF of the rows it is given', () => {
    const report = company.reports.get(EMPLOYEE_LIST_REPORT);
    const source = rows(company, report?.source ?? '');
    const file = report?.render([...source, ...source]);
    expect(file?.mimeType).toBe('application/pdf');
    const pdf = file?.data.toString('latin1') ?? '';
    expectValidPdf(pdf);
    expect(pdf).toContain('/Count 2');
    expect(pdf).toContain(String(source[0]?.EmployeeId));
  });

  it('answers nothing for unknown or mismatched file ids and names', () => {
    const a = attachments[0];
    expect(company.store.subjectFile('1', String(a?.file_id))).toBeUndefined();
    expect(company.store.file(String(a?.file_id), 'other.pdf')).toBeUndefined();
  });
});

function expectValidPdf(pdf: string): void {
  expect(pdf.startsWith('%PDF-1.')).toBe(true);
  expect(pdf.trimEnd().endsWith('%%EOF')).toBe(true);
  const startxref = Number(/startxref\n(\d+)\n%%EOF/.exec(pdf)?.[1]);
  expect(pdf.slice(startxref, startxref + 4)).toBe('xref');
  const [, first, count] = /xref\n(\d+) (\d+)\n/.exec(pdf.slice(startxref)) ?? [];
  expect(Number(first)).toBe(0);
  const entries = pdf
    .slice(startxref)
    .split('\n')
    .slice(2, 2 + Number(count));
  entries.slice(1).forEach((entry, i) => {
    const offset = Number(entry.slice(0, 10));
    expect(pdf.startsWith(`${i + 1} 0 obj\n`, offset)).toBe(true);
  });
}

function expectValidPng(png: Buffer): void {
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  let offset = 8;
  const idat: Buffer[] = [];
  let size: { width: number; height: number } | undefined;
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') size = { width: data.readUInt32BE(0), height: data.readUInt32BE(4) };
    if (type === 'IDAT') idat.push(data);
    offset += 12 + length;
  }
  expect(size).toEqual(pngSize(png));
  expect(inflateSync(Buffer.concat(idat)).length).toBe(((size?.width ?? 0) + 1) * (size?.height ?? 0));
}

describe('KnPerson', () => {
  it('inserts a person that then appears in Profit_Persons and Profit_OrgPer, with the next number', () => {
    const company = createCompany();
    const before = rows(company, 'Profit_Persons').length;
    const results = update(company, 'KnPerson', {
      KnPerson: {
        Element: {
          Fields: {
            PadAdr: '1',
            AutoNum: '1',
            MatchPer: '6',
            SeNm: 'ZOEKNAAM',
            CaNm: 'Jan',
            FiNm: 'Jan',
            In: 'J.A.',
            Is: 'van',
            LaNm: 'Jansen',
            SpNm: '0',
            ViGe: 'M',
            PsNa: 'NL',
            DaBi: '1967-04-07',
            CoBi: 'NL',
            RsBi: 'Utrecht',
            ViCs: 'GH',
            DaMa: '2002-02-02',
            SoSe: '111222333',
          },
          Objects: {
            KnBasicAddressAdr: {
              Element: {
                Fields: {
                  PbAd: '0',
                  Ad: 'Raadhuislaan',
                  HmNr: '105',
                  ZpCd: '3833LC',
                  CoId: 'NL',
                  Rs: 'Leusden',
                  AdAd: 'A-1',
                  ResZip: '0',
                },
              },
            },
          },
        },
      },
    });
    expect(results.BcCo).toBe('1000782');
    const person = rows(company, 'Profit_Persons').find((r) => r.BcCo === results.BcCo);
    expect(person).toMatchObject({
      FirstName: 'Jan',
      Prefix: 'van',
      LastName: 'Jansen',
      BSN: '111222333',
      City: 'Leusden',
    });
    expect(person?.DateBirth).toBe('1967-04-07T00:00:00');
    expect(rows(company, 'Profit_Persons')).toHaveLength(before + 1);
    expect(rows(company, 'Profit_OrgPer').find((r) => r.BcCo === results.BcCo)?.Name).toBe('Jan van Jansen');
    // MatchPer 6 finds the same person again: the second call updates instead of adding.
    const again = update(company, 'KnPerson', {
      KnPerson: {
        Element: {
          Fields: {
            MatchPer: '6',
            In: 'J.A.',
            Is: 'van',
            LaNm: 'Jansen',
            ViGe: 'M',
            DaBi: '1967-04-07',
            EmAd: 'jan@example.nl',
          },
        },
      },
    });
    expect(again.BcCo).toBe(results.BcCo);
    expect(rows(company, 'Profit_Persons')).toHaveLength(before + 1);
  });

  it('accepts the documented person with portal access (MatchPer 7: always new)', () => {
    const company = createCompany();
    const body = {
      KnPerson: {
        Element: {
          Fields: {
            AutoNum: true,
            MatchPer: '7',
            CaNm: 'Florencio',
            FiNm: 'Ashton',
            In: 'J',
            LaNm: 'Zieme',
            ViGe: 'V',
            DaBi: '1990-12-12',
            AddToPortal: true,
            EmailPortal: 'marta@example.net',
          },
          Objects: [{ KnContactAutRole: { Element: { Fields: { AutRoleDs: 'Sollicitant' } } } }],
        },
      },
    };
    const first = update(company, 'KnPerson', body);
    const second = update(company, 'KnPerson', body);
    expect(first.BcCo).not.toBe(second.BcCo);
  });

  it('rejects a BSN that fails the 11-test, and leaves the store as it was', () => {
    const company = createCompany();
    const before = everything(company);
    expect(() =>
      update(company, 'KnPerson', {
        KnPerson: { Element: { Fields: { MatchPer: '7', LaNm: 'Fout', SoSe: '123456789' } } },
      }),
    ).toThrow(ProfitRejection);
    expect(everything(company)).toBe(before);
  });

  it('rejects an address without a country', () => {
    const company = createCompany();
    expect(() =>
      update(company, 'KnPerson', {
        KnPerson: {
          Element: {
            Fields: { MatchPer: '0', BcCo: '1000780' },
            Objects: { KnBasicAddressAdr: { Element: { Fields: { Ad: 'Kerkstraat', HmNr: 1 } } } },
          },
        },
      }),
    ).toThrow(/mandatory|Land/);
  });

  it('updates by BcCo (PUT), including the custom field, and adds an address through the sub-object URL', () => {
    const company = createCompany();
    update(
      company,
      'KnPerson',
      {
        KnPerson: {
          Element: {
            Fields: {
              MatchPer: '0',
              BcCo: '1000780',
              EmAd: 'nieuw@example.org',
              UC2DE284248374B083C966F9B4EEEE9E2: '333',
            },
          },
        },
      },
      'PUT',
    );
    update(
      company,
      'KnPerson',
      {
        KnPerson: {
          Element: {
            Fields: { MatchPer: '0', BcCo: '1000780' },
            Objects: {
              KnBasicAddressAdr: {
                Element: {
                  Fields: {
                    PbAd: '0',
                    Ad: 'Stationsstraat',
                    HmNr: '105',
                    ZpCd: '3833LC',
                    CoId: 'NL',
                    Rs: 'Leusden',
                    ResZip: '0',
                  },
                },
              },
            },
          },
        },
      },
      'POST',
      'KnBasicAddressAdr',
    );
    const person = rows(company, 'Profit_Persons').find((r) => r.BcCo === '1000780');
    expect(person).toMatchObject({
      MailWork: 'nieuw@example.org',
      MembershipNumber: '333',
      Street: 'Stationsstraat',
      HouseNumber: 105,
    });
    expect(() =>
      update(company, 'KnPerson', { KnPerson: { Element: { Fields: { MatchPer: '0', BcCo: '999' } } } }, 'PUT'),
    ).toThrow(ProfitRejection);
  });

  // oas/organisaties-en-personen.json: AFAS's KnPerson creates send MatchPer 7 (or 6 with the fields it compares).
  it('refuses a new person with MatchPer 0 and no BcCo, and adds one with MatchPer 7 as AFAS’s create examples do', () => {
    const company = createCompany();
    const before = rows(company, 'Profit_Persons').length;
    expect(() =>
      update(company, 'KnPerson', {
        KnPerson: { Element: { Fields: { AutoNum: '1', MatchPer: '0', LaNm: 'Zonder nummer' } } },
      }),
    ).toThrow(/MatchPer 0.*BcCo/);
    expect(rows(company, 'Profit_Persons')).toHaveLength(before);
    const results = update(company, 'KnPerson', {
      KnPerson: { Element: { Fields: { AutoNum: '1', MatchPer: '7', LaNm: 'Zonder nummer' } } },
    });
    expect(rows(company, 'Profit_Persons').filter((r) => r.BcCo === results.BcCo)).toHaveLength(1);
  });

  it('rolls back a write through snapshot and restore', () => {
    const company = createCompany();
    const snapshot = company.store.snapshot();
    update(company, 'KnPerson', { KnPerson: { Element: { Fields: { MatchPer: '7', LaNm: 'Tijdelijk' } } } });
    expect(rows(company, 'Profit_Persons').some((r) => r.LastName === 'Tijdelijk')).toBe(true);
    company.store.restore(snapshot);
    expect(rows(company, 'Profit_Persons').some((r) => r.LastName === 'Tijdelijk')).toBe(false);
    expect(everything(company)).toBe(everything(createCompany()));
  });
});

describe('bank accounts', () => {
  it('makes the IBAN of a person’s KnBankAccount the salary account of that person’s employee', () => {
    const company = createCompany();
    const before = rows(company, 'Profit_Employees').find((r) => r.Iban !== null)!;
    const iban = dutchIban('INGB', '0001234567');
    update(
      company,
      'KnPerson',
      {
        KnPerson: {
          Element: {
            Fields: { MatchPer: '0', BcCo: before.PersonId },
            Objects: { KnBankAccount: { Element: { Fields: { CoId: 'NL', IbCk: true, Iban: iban } } } },
          },
        },
      },
      'PUT',
    );
    expect(rows(company, 'Profit_Employees').find((r) => r.EmployeeId === before.EmployeeId)?.Iban).toBe(iban);
  });
});

describe('KnOrganisation and KnEmployee', () => {
  it('refuses a new organisation with MatchOga 0 and no BcCo, and adds one with MatchOga 6 (always new)', () => {
    const company = createCompany();
    const before = rows(company, 'Profit_Organisations').length;
    expect(() =>
      update(company, 'KnOrganisation', {
        KnOrganisation: { Element: { Fields: { AutoNum: true, MatchOga: '0', Nm: 'Zonder nummer BV' } } },
      }),
    ).toThrow(/MatchOga 0.*BcCo/);
    expect(rows(company, 'Profit_Organisations')).toHaveLength(before);
    const results = update(company, 'KnOrganisation', {
      KnOrganisation: { Element: { Fields: { AutoNum: true, MatchOga: '6', Nm: 'Zonder nummer BV' } } },
    });
    expect(rows(company, 'Profit_Organisations').find((r) => r.BcCo === results.BcCo)?.Name).toBe('Zonder nummer BV');
  });

  it('adds an organisation under a given number and changes its name', () => {
    const company = createCompany();
    const results = update(company, 'KnOrganisation', {
      KnOrganisation: {
        Element: {
          Fields: { PadAdr: '1', AutoNum: '0', MatchOga: '0', BcCo: '1000812', SeNm: 'ZOEKNAAM', Nm: 'Jansen' },
          Objects: {
            KnBankAccount: {
              Element: { Fields: { CoId: 'NL', IbCk: 'false', BaAc: '849835607', AcGa: 'false', AcCk: 'false' } },
            },
            KnBasicAddressAdr: {
              Element: {
                Fields: {
                  PbAd: '0',
                  Ad: 'Teststraat',
                  HmNr: '105',
                  ZpCd: '3833LC',
                  CoId: 'NL',
                  Rs: 'Leusden',
                  ResZip: '0',
                },
              },
            },
          },
        },
      },
    });
    expect(results.BcCo).toBe('1000812');
    update(
      company,
      'KnOrganisation',
      { KnOrganisation: { Element: { Fields: { MatchOga: '0', BcCo: '1000812', Nm: "Jansen & Zn.; 't Gooi" } } } },
      'PUT',
    );
    expect(rows(company, 'Profit_Organisations').find((r) => r.BcCo === '1000812')?.Name).toBe("Jansen & Zn.; 't Gooi");
  });

  it('hires an employee with a new person, contract, function, schedule and salary', () => {
    const company = createCompany();
    const results = update(company, 'KnEmployee', {
      AfasEmployee: {
        Element: {
          '@EmId': 'NIEUWM',
          Objects: [
            {
              KnPerson: {
                Element: { Fields: { MatchPer: '7', FiNm: 'Nieuw', LaNm: 'Medewerker', SoSe: '111222333' } },
              },
            },
            { AfasContract: { Element: { '@DaBe': '2026-08-01', Fields: { CmId: '1', ApCo: 'O' } } } },
            { AfasOrgunitFunction: { Element: { '@DaBe': '2026-08-01', Fields: { DpId: 'ICT', FuId: 'DEV' } } } },
            { AfasTimeTable: { Element: { '@DaBg': '2026-08-01', Fields: { StPa: true, HrWk: 32 } } } },
            { AfasSalary: { Element: { '@DaBe': '2026-08-01', Fields: { SaPe: 'V', EmSa: 3900.5 } } } },
          ],
        },
      },
    });
    expect(results).toEqual({ EmId: 'NIEUWM' });
    const employee = rows(company, 'Profit_Employees').find((r) => r.EmployeeId === 'NIEUWM');
    expect(employee).toMatchObject({
      Name: 'Nieuw Medewerker',
      EmployerId: '1',
      Function: 'Software developer',
      DateInService: '2026-08-01T00:00:00',
    });
    expect(String(employee?.Salary)).toBe('3900.50');
    expect(() =>
      update(company, 'KnEmployee', {
        AfasEmployee: {
          Element: {
            '@EmId': 'X',
            Objects: [{ AfasContract: { Element: { '@DaBe': '2026-08-01', Fields: { CmId: '9' } } } }],
          },
        },
      }),
    ).toThrow(ProfitRejection);
  });
});

describe('KnSubject', () => {
  it('adds a note for a person, an organisation item with an attachment and an employee item with free fields', () => {
    const company = createCompany();
    const note = update(company, 'KnSubject', {
      KnSubject: {
        Element: {
          Fields: {
            StId: '4',
            Ds: 'Subject connected to a person created by user ALLARDJ',
            Da: '2023-01-01T10:00:00',
            UsId: 'ALLARDJ',
          },
          Objects: { KnSubjectLink: { Element: { Fields: { ToBC: '1', BcId: '1000744' } } } },
        },
      },
    });
    expect(rows(company, 'ProfitSubjects').find((r) => String(r.SbId) === note.SbId)).toMatchObject({
      SbTy: 4,
      BcCd: '1000744',
      DaSe: '2023-01-01T10:00:00',
    });

    const withFile = update(company, 'KnSubject', {
      KnSubject: {
        Element: {
          Fields: { StId: '2', Ds: 'Toevoegen van een bijlage voor een organisatie' },
          Objects: {
            KnSubjectLink: { Element: { Fields: { SfTp: '3', SfId: '1000021' } } },
            KnSubjectAttachment: { Element: { Fields: { FileName: 'example.png', FileStream: PNG_PIXEL } } },
          },
        },
      },
    });
    const attachment = rows(company, 'Profit_Subject_Attachments').find((r) => String(r.subject_id) === withFile.SbId);
    expect(attachment?.file_name).toBe('example.png');
    const file = company.store.subjectFile(withFile.SbId ?? '', String(attachment?.file_id));
    expect(file).toMatchObject({ fileName: 'example.png', mimeType: 'image/png' });
    expect(file?.data.toString('base64')).toBe(PNG_PIXEL);

    update(company, 'KnSubject', {
      KnSubject: {
        Element: {
          Fields: { StId: 96, Ds: 'Toevoeging virtuele boete', Da: '2024-03-19T11:54:07' },
          Objects: [
            { KnSubjectLink: { Element: { Fields: { DoCRM: true, SfTp: 2, SfId: '5000430' } } } },
            {
              KnS51: {
                Element: {
                  Fields: { U112E249248E7AF8B68A64BA5DF850577: '2024-03-01', U307682E043316A0DCFF663B12C496196: '7' },
                },
              },
            },
          ],
        },
      },
    });
    update(company, 'KnSubject', {
      KnSubject: {
        Element: { Fields: { StId: '4', Ds: 'Galactic assistance needed ASAP!', SbTx: 'No link at all.' } },
      },
    });
  });

  it('adds an attachment to an existing item through the sub-object URL, changes it by PUT and deletes it', () => {
    const company = createCompany();
    const before = rows(company, 'Profit_Subject_Attachments').filter((r) => r.subject_id === 54286).length;
    const results = update(
      company,
      'KnSubject',
      {
        KnSubject: {
          Element: {
            '@SbId': 54286,
            Objects: [
              { KnSubjectAttachment: { Element: { Fields: { FileName: 'example.png', FileStream: PNG_PIXEL } } } },
            ],
          },
        },
      },
      'POST',
      'KnSubjectAttachment',
    );
    expect(results).toEqual({ SbId: '54286' });
    expect(rows(company, 'Profit_Subject_Attachments').filter((r) => r.subject_id === 54286)).toHaveLength(before + 1);
    update(company, 'KnSubject', { KnSubject: { Element: { '@SbId': '54286', Fields: { FvF1: '111' } } } }, 'PUT');
    expect(rows(company, 'ProfitSubjects').find((r) => r.SbId === 54286)?.FeV1).toBe(111);
    remove(company, 'KnSubject', 'KnSubject', { SbId: '54286' });
    expect(rows(company, 'ProfitSubjects').some((r) => r.SbId === 54286)).toBe(false);
    expect(() => remove(company, 'KnSubject', 'KnSubject', { SbId: '54286' })).toThrow(ProfitRejection);
  });

  it('rejects links to records that do not exist and unknown dossier item types', () => {
    const company = createCompany();
    expect(() =>
      update(company, 'KnSubject', {
        KnSubject: {
          Element: {
            Fields: { StId: '4', Ds: 'x' },
            Objects: { KnSubjectLink: { Element: { Fields: { ToBC: '1', BcId: '99' } } } },
          },
        },
      }),
    ).toThrow(ProfitRejection);
    expect(() => update(company, 'KnSubject', { KnSubject: { Element: { Fields: { StId: '77', Ds: 'x' } } } })).toThrow(
      ProfitRejection,
    );
  });
});

describe('leave', () => {
  it('books, changes and deletes leave with HrAbsenceID, reflected in Profit_Leaves and Profit_LeaveBalance', () => {
    const company = createCompany();
    const taken = () =>
      rows(company, 'Profit_LeaveBalance').find((r) => r.EmployeeId === 'FRITSC' && r.Year === 2026)?.Taken;
    const takenBefore = Number(taken());
    const results = update(company, 'HrAbsenceID', {
      HrAbsenceID: {
        Element: {
          Fields: {
            EmId: 'Fritsc',
            ViAt: 'V',
            DaBe: '2026-12-14T00:00:00',
            DaEn: '2026-12-15T00:00:00',
            EnSe: '1',
            Re: 'Leave created with api request',
            LeDt: false,
          },
        },
      },
    });
    expect(results.EmId).toBe('FRITSC');
    const leave = rows(company, 'Profit_Leaves').find((r) => String(r.LeaveId) === results.Id);
    expect(leave).toMatchObject({ EmployeeId: 'FRITSC', Hours: 16, LeaveCode: 'V', StartDate: '2026-12-14T00:00:00' });
    expect(taken()).toBe(takenBefore + 16);

    update(
      company,
      'HrAbsenceID',
      {
        HrAbsenceID: {
          Element: {
            Fields: { Id: '1724', DuBe: 240, ViAt: 'V', Re: 'change the duration to 240 minutes', LeDt: true },
          },
        },
      },
      'PUT',
    );
    expect(rows(company, 'Profit_Leaves').find((r) => r.LeaveId === 1724)?.Hours).toBe(4);

    remove(company, 'HrAbsenceID', 'HrAbsenceID', { Id: results.Id ?? '', EmId: 'FRITSC' });
    expect(rows(company, 'Profit_Leaves').some((r) => String(r.LeaveId) === results.Id)).toBe(false);
    expect(taken()).toBe(takenBefore);
  });

  it('books two lines in one HrAbsence call, and rejects an unknown employee or a leave type that does not exist', () => {
    const company = createCompany();
    const before = rows(company, 'Profit_Leaves').length;
    update(company, 'HrAbsence', {
      HrAbsence: {
        Element: [
          {
            Fields: {
              EmId: '4125040',
              ViAt: 'v',
              DaBe: '2013-08-01T08:30:00',
              DaEn: '2013-08-02T17:00:00',
              ViLr: 'H',
              EnSe: '1',
              Re: 'betreft een 12,5 jarig huwelijk',
              LeDt: '0',
            },
          },
          {
            Fields: {
              EmId: '4125606',
              ViAt: 'V',
              DaBe: '2013-08-19T11:00:00',
              DaEn: '2013-08-19T17:00:00',
              ViLr: 'HF',
              EnSe: '1',
              Re: 'gaat dichter bij wonen',
              LeDt: '1',
            },
          },
        ],
      },
    });
    expect(rows(company, 'Profit_Leaves')).toHaveLength(before + 2);
    expect(() =>
      update(company, 'HrAbsence', {
        HrAbsence: {
          Element: { Fields: { EmId: 'NOBODY', ViAt: 'V', DaBe: '2024-01-29T00:00:00', DaEn: '2024-01-29T18:00:00' } },
        },
      }),
    ).toThrow(ProfitRejection);
    expect(() =>
      update(company, 'HrAbsence', {
        HrAbsence: {
          Element: {
            Fields: { EmId: 'CasperK', ViAt: 'ZZ', DaBe: '2024-01-29T00:00:00', DaEn: '2024-01-29T18:00:00' },
          },
        },
      }),
    ).toThrow(ProfitRejection);
    expect(rows(company, 'Profit_Leaves')).toHaveLength(before + 2);
  });
});

describe('PtProject', () => {
  it('adds stages to an existing project, creates a project and deletes it, but not one with dossier items', () => {
    const company = createCompany();
    update(company, 'PtProject', {
      PtProject: {
        Element: {
          Fields: { PrId: '910004' },
          Objects: {
            PtProjectStage: { Element: [{ Fields: { PrId: '910004', PrSt: '01', Ds: 'Fase 1', DaSt: '2013-01-01' } }] },
          },
        },
      },
    });
    const created = update(company, 'PtProject', {
      PtProject: {
        Element: {
          Fields: {
            PrId: '910011',
            PrGp: 'CON',
            Ds: 'Implementatie van Profit',
            BcCo: '1000372',
            EmId: 'ALLARDJ',
            DaSt: '2013-01-01',
            ChOu: '0',
            UnFi: '1',
            Ch: '1',
            OvPc: '10',
            CuId: 'EUR',
            SaFc: '10000',
          },
          Objects: {
            KnBasicAddressAdr: {
              Element: {
                Fields: { PbAd: '0', Ad: 'Projectlocatie', HmNr: '105', ZpCd: '3833LC', CoId: 'NL', Rs: 'Leusden' },
              },
            },
          },
        },
      },
    });
    expect(created).toEqual({ PrId: '910011' });
    expect(rows(company, 'Profit_Projects').find((r) => r.ProjectId === '910011')).toMatchObject({
      BcCo: '1000372',
      CheckedOut: false,
    });
    remove(company, 'PtProject', 'PtProject', { PrId: '910011' });
    expect(rows(company, 'Profit_Projects').some((r) => r.ProjectId === '910011')).toBe(false);
    const linked = rows(company, 'ProfitSubjects').find((r) => r.SbTy === 26);
    const projectId = String(linked?.Ds).replace('Projectrapportage ', '');
    expect(() => remove(company, 'PtProject', 'PtProject', { PrId: projectId })).toThrow(ProfitRejection);
  });
});

describe('KnUser, KnAppointment, HrMobility and FiEntries', () => {
  it('keeps the keys their documented examples use', () => {
    const store = createCompany().store as DemoStore;
    expect(store.index.users.get('12345.SYSTEEMG')?.blocked).toBe(true);
    expect([...store.index.appointments.keys()]).toEqual(expect.arrayContaining([7, 10, 123]));
    expect(store.data.vehicles.map((v) => v.vehicleId)).toContain(123455);
    expect(store.data.entries.some((e) => e.unitId === 1 && e.journal === '73' && e.entryNo === 70001)).toBe(true);
    expect(store.data.entries.some((e) => e.journal === '10' && e.invoiceId === 'IH003938')).toBe(true);
  });

  it('adds users by MtCd 1 and 3, and refuses other codes for unknown users and unknown groups for code 1', () => {
    const company = createCompany();
    const user = (fields: Record<string, unknown>) => ({ KnUser: { Element: { Fields: fields } } });
    expect(update(company, 'KnUser', user({ MtCd: '1', UsId: 'johndoe', Nm: 'John Doe' }))).toEqual({
      UsId: 'johndoe',
    });
    expect(() => update(company, 'KnUser', user({ MtCd: '6', UsId: 'nobody', Nm: 'X' }))).toThrow(/bestaat niet/);
    expect(() => update(company, 'KnUser', user({ MtCd: '1', UsId: 'x', Nm: 'X', GrId: 'Sales' }))).toThrow(/Groep/);
    update(company, 'KnUser', user({ MtCd: '3', UsId: 'mikejohnson', Nm: 'Mike Johnson', GrId: 'Sales' }), 'PUT');
    expect(update(company, 'KnUser', user({ MtCd: '1', UsId: 'x', Nm: 'X', GrId: 'Sales' }))).toEqual({ UsId: 'x' });
  });

  it('plans, changes (with the custom field), extends and deletes appointments as in the OAS examples', () => {
    const company = createCompany();
    const store = company.store as DemoStore;
    const { ApId } = update(company, 'KnAppointment', {
      KnAppointment: {
        Element: {
          Fields: {
            Sbj: 'Afspraak op de maandag',
            DaFr: '2019-12-11T09:00:00',
            DaTi: '2019-12-11T10:00:00',
            ApTy: '1',
          },
          Objects: { KnAppointmentLines: { Element: { Fields: { PaId: '1', UsId: 'demo', IsOw: true, Pres: 'V' } } } },
        },
      },
    });
    expect(store.index.appointments.get(Number(ApId))?.lines).toHaveLength(1);
    update(
      company,
      'KnAppointment',
      {
        KnAppointment: {
          Element: {
            Fields: {
              ApId: '10',
              IsRe: '0',
              LoTx: 'Intergalactic Research Hub 2',
              UADA618CE4DDE1FFE11BCDEAB20A3A35A: '01',
            },
          },
        },
      },
      'PUT',
    );
    expect(store.index.appointments.get(10)?.locationText).toBe('Intergalactic Research Hub 2');
    expect(store.index.appointments.get(10)?.custom.UADA618CE4DDE1FFE11BCDEAB20A3A35A).toBe('01');
    const before = store.index.appointments.get(7)?.lines.length ?? 0;
    update(
      company,
      'KnAppointment',
      {
        KnAppointment: {
          Element: {
            '@ApId': 7,
            Objects: {
              KnAppointmentLines: { Element: { Fields: { PaId: '1', UsId: 'DavidB', IsOw: true, Pres: 'V' } } },
            },
          },
        },
      },
      'POST',
      'KnAppointmentLines',
    );
    expect(store.index.appointments.get(7)?.lines).toHaveLength(before + 1);
    expect(() =>
      update(company, 'KnAppointment', {
        KnAppointment: { Element: { Fields: { Sbj: 'x', DaFr: '2019-12-11T10:00:00', DaTi: '2019-12-11T09:00:00' } } },
      }),
    ).toThrow(ProfitRejection);
    remove(company, 'KnAppointment', 'KnAppointment', { ApId: '123' });
    expect(store.index.appointments.has(123)).toBe(false);
  });

  it('refuses a mileage reading below an earlier one', () => {
    const company = createCompany();
    const reading = (KmEn: number) => ({
      HrMobility: {
        Element: {
          '@CcSn': 123455,
          Objects: [{ HrEmployeeMobilityRegistration: { Element: { Fields: { DaEn: '2023-12-01', KmEn } } } }],
        },
      },
    });
    expect(() => update(company, 'HrMobility', reading(10), 'POST', 'HrEmployeeMobilityRegistration')).toThrow(
      /kilometerstand/,
    );
    expect(update(company, 'HrMobility', reading(12400), 'POST', 'HrEmployeeMobilityRegistration')).toEqual({
      CcSn: '123455',
    });
  });

  it('books a balanced entry under the next number and refuses an unbalanced one, to the cent', () => {
    const company = createCompany();
    const entry = (credit: string) => ({
      FiEntryPar: {
        Element: {
          Fields: { Year: 2026, Peri: 6, UnId: 1, JoCo: '90' },
          Objects: [
            {
              FiEntries: {
                Element: [
                  {
                    Fields: {
                      VaAs: '1',
                      AcNr: '4300',
                      EnDa: '2026-06-15',
                      BpDa: '2026-06-15',
                      Ds: 'Kantoor',
                      AmDe: '0.30',
                    },
                  },
                  { Fields: { VaAs: '1', AcNr: '1100', EnDa: '2026-06-15', BpDa: '2026-06-15', AmCr: credit } },
                ],
              },
            },
          ],
        },
      },
    });
    expect(() => update(company, 'FiEntries', entry('0.29'))).toThrow(/niet in balans/);
    expect(update(company, 'FiEntries', entry('0.3'))).toEqual({ EnNo: '90001' });
    expect(() => remove(company, 'FiEntries', 'FiEntries', { EnNo: '70001' })).toThrow(ProfitRejection);
  });
});

describe('app connectors', () => {
  it('gives hr no pay data and no projects, and portal no BSN, no dates of birth and no UpdateConnectors', () => {
    const [admin, hr, portal] = createCompany().appConnectors;
    expect(admin?.updateConnectors).toHaveLength(11);
    expect(hr?.getConnectors.Profit_Employees).toEqual(['Salary', 'HourlyRate', 'Iban']);
    expect(hr?.getConnectors.Profit_Projects).toBeUndefined();
    expect(hr?.updateConnectors).toEqual(['HrAbsenceID', 'HrAbsence', 'KnSubject', 'KnAppointment', 'HrMobility']);
    expect(portal?.getConnectors.Profit_Persons).toEqual(['BSN', 'DateBirth']);
    expect(portal?.updateConnectors).toEqual([]);
    expect(portal?.subjectConnector).toBe(false);
  });
});

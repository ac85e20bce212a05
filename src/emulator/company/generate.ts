/**
 * Generates the demo company from a seed and a scale. Pure: the same (seed, scale) gives the same tables and files.
 *
 * Some keys are fixed rather than drawn, so that the examples in AFAS's documentation run unchanged against the
 * emulator: organisation 1000372 and person 1000744 (KnSubject examples), persons 1000780/1000781 (KnPerson PUT),
 * employees ALLARDJ, CasperK, beatrijsb… (HrAbsence examples), leave 1724 (HrAbsenceID PUT), dossier item 54286
 * (KnSubjectAttachment), projects 910004, 600000… (PtProject). Profit compares codes case-insensitively.
 * Further: person 123456897 (custom-fields.md's KnPerson PUT), employee 1234568774 with bank account
 * NL57RABO0312000111 (update-connector.md's `@Action` example), payslip 49946 with attachment 20175, file
 * 5C055C034516ED67972E0A852E03C5B9 (howto-bijlage-dossier.md), user 12345.systeemg (update-connector.md's KnUser
 * POST), appointments 7, 10 and 123 (KnAppointment PUT and DELETE examples), vehicle 123455 (HrMobility) and
 * entries 70001 in journal 73 and invoice IH003938 in journal 10 of administration 1 (FiEntries DELETE examples).
 */

import { randomBsn } from './bsn.js';
import { DST_EDGE_DATETIMES, dateCell, dayNumber, randomDatetime, weekday } from './calendar.js';
import {
  type AddressRecord,
  type AttachmentRecord,
  type CompanyData,
  type LeaveEntitlementRecord,
  type SubjectLinkRecord,
  type SubjectRecord,
  salaryAccount,
  type UserRecord,
} from './data.js';
import { createFilePool, PNG_VARIANTS, storedFile } from './files/pool.js';
import { fullName } from './get/shared.js';
import { dutchIban } from './iban.js';
import {
  asciiUpper,
  BANKS,
  CITIES,
  DEPARTMENTS,
  EMPLOYER_NAMES,
  FIRST_NAMES,
  FUNCTIONS,
  HOUSE_NUMBER_ADDITIONS,
  LAST_NAMES,
  ORGANISATION_NAMES,
  STREETS,
} from './names.js';
import { Random, stableHex } from './random.js';
import type { StoredFile } from './types.js';

export interface GeneratedCompany {
  readonly data: CompanyData;
  readonly files: Map<string, StoredFile>;
  /** ImageConnector images: id → hue of the rendered pattern. */
  readonly images: ReadonlyMap<string, number>;
}

const RESERVED_ORGANISATIONS = ['1000032', '1000144', '1000372', '1000614', '1000639', '1000755'];
const RESERVED_PERSONS = ['1000021', '1000368', '1000551', '1000585', '1000744', '1000780', '1000781', '123456897'];
/** Numbers above this were given by hand (the documentation's 123456897); they do not move the counter. */
const AUTO_NUMBER_LIMIT = 10_000_000;
const RESERVED_EMPLOYEES: readonly { id: string; first: string; prefix: string | null; last: string; bcCo?: string }[] =
  [
    { id: 'ALLARDJ', first: 'Allard', prefix: null, last: 'Jansen', bcCo: '1000585' },
    { id: 'BERTILK', first: 'Bertil', prefix: null, last: 'Kowalski', bcCo: '1000551' },
    { id: 'CASPERK', first: 'Casper', prefix: 'de', last: 'Klerk' },
    { id: 'BEATRIJSB', first: 'Beatrijs', prefix: null, last: 'Bakker' },
    { id: 'CHARLOTTEB', first: 'Charlotte', prefix: 'de', last: 'Boer' },
    { id: 'EDUARDD', first: 'Eduard', prefix: null, last: 'Dekker' },
    { id: 'ANDREO', first: 'André', prefix: null, last: "O'Neill" },
    { id: 'ANDRED', first: 'Andre', prefix: 'van', last: 'Dijk' },
    { id: 'FRITSC', first: 'Frits', prefix: null, last: 'Çelik' },
    { id: '4125040', first: 'Zoë', prefix: null, last: 'Müller' },
    { id: '4125606', first: 'Jan', prefix: "'t", last: 'Hart' },
    { id: '5000430', first: 'Fatma', prefix: null, last: 'Yılmaz' },
    { id: '1234568774', first: 'Noah', prefix: null, last: 'Visser' },
  ];
/** update-connector.md's `@Action` example turns this salary account off and adds another. */
const DOC_EMPLOYEE = { id: '1234568774', iban: 'NL57RABO0312000111' };
/** howto-bijlage-dossier.md: payslip 49946 with this one attachment. */
const DOC_PAYSLIP = {
  subjectId: 49946,
  attachmentId: 20175,
  fileId: '5C055C034516ED67972E0A852E03C5B9',
  fileName: 'C5C8123246F1E537324F93B8D57F382D.pdf',
};
const RESERVED_PROJECTS = [
  '1002',
  '153926',
  '154544',
  '300000',
  '300016',
  '300375',
  '301165',
  '600000',
  '910004',
  '910005',
  '910006',
  'P00002',
];
const RESERVED_SUBJECTS = [9910, 9937, 49946, 54286];

/** `count` keys: the reserved ones first (as many as fit), then a sequence skipping them. */
function allocate<T>(
  count: number,
  reserved: readonly T[],
  sequence: (i: number) => T,
  exclude: readonly T[] = [],
): T[] {
  const taken = new Set([...reserved, ...exclude]);
  const keys = reserved.slice(0, count);
  for (let i = 0; keys.length < count; i++) {
    const key = sequence(i);
    if (!taken.has(key)) keys.push(key);
  }
  return keys;
}

const money = (value: number): string => value.toFixed(2);

export function generateCompany(seed: number, scale: number): GeneratedCompany {
  const root = new Random(seed);
  const nOrganisations = 6 * scale;
  const nEmployers = Math.min(4, 2 + Math.floor((scale - 1) / 25));
  const nPersons = 60 * scale;
  const nEmployees = 40 * scale;
  const nProjects = 12 * scale;
  const nSubjects = Math.round(80 * scale ** 1.25);
  const nLeaves = 120 * scale;

  const data: CompanyData = {
    addresses: [],
    organisations: [],
    persons: [],
    employees: [],
    projects: [],
    subjects: [],
    leaves: [],
    entitlements: [],
    users: [],
    appointments: [],
    entries: [],
    vehicles: [],
    next: {
      bcId: 1,
      bcCo: 0,
      addressId: 1,
      subjectId: 0,
      // 20175 is DOC_PAYSLIP's attachment.
      attachmentId: DOC_PAYSLIP.attachmentId + 1,
      leaveId: 1700,
      appointmentId: 1,
      tick: 0,
    },
  };

  // Addresses -------------------------------------------------------------------------------------------------
  const addressRandom = root.fork('addresses');
  const newAddress = (): number => {
    const r = addressRandom;
    const city = r.pick(CITIES);
    const poBox = r.chance(0.04);
    const created = randomDatetime(r, '2019-01-01', '2025-12-31');
    const address: AddressRecord = {
      id: data.next.addressId++,
      country: r.chance(0.05) ? r.pick(['B', 'D']) : 'NL',
      poBox,
      streetAddition: null,
      street: poBox ? 'Postbus' : r.pick(STREETS),
      houseNumber: r.int(1, poBox ? 9999 : 240),
      houseNumberAddition: !poBox && r.chance(0.15) ? r.pick(HOUSE_NUMBER_ADDITIONS) : null,
      zipCode: `${city.zip}${r.int(10, 99)} ${String.fromCharCode(65 + r.int(0, 25), 65 + r.int(0, 25))}`,
      city: city.name,
      addition: r.chance(0.05) ? 'Achteringang, bel "Receptie"' : null,
      createDate: created,
      modifiedDate: r.chance(0.5) ? created : randomDatetime(r, '2026-01-01', '2026-06-30'),
    };
    data.addresses.push(address);
    return address.id;
  };

  // Organisations ---------------------------------------------------------------------------------------------
  const orgRandom = root.fork('organisations');
  const orgCodes = allocate(nOrganisations, RESERVED_ORGANISATIONS, (i) => String(1000200 + i * 3));
  const employerCodes = Array.from({ length: nEmployers }, (_, i) => String(1000001 + i));
  const allOrgCodes = [...employerCodes, ...orgCodes].sort();
  let customerIndex = 0;
  for (const bcCo of allOrgCodes) {
    const r = orgRandom;
    const employerIndex = employerCodes.indexOf(bcCo);
    const index = employerIndex >= 0 ? 0 : customerIndex++;
    const name =
      employerIndex >= 0
        ? (EMPLOYER_NAMES[employerIndex] ?? `Demo ${employerIndex + 1} B.V.`)
        : `${ORGANISATION_NAMES[index % ORGANISATION_NAMES.length]}${index >= ORGANISATION_NAMES.length ? ` ${Math.floor(index / ORGANISATION_NAMES.length) + 1}` : ''}`;
    const created = randomDatetime(r, '2019-01-01', '2024-12-31');
    const addressId = newAddress();
    data.organisations.push({
      bcId: 0,
      bcCo,
      name,
      searchName: asciiUpper(name).slice(0, 10) || null,
      cocNumber: r.chance(0.85) ? String(r.int(10000000, 99999999)) : null,
      legalForm: r.pick(['30', '35', '55', '05', '20', null]),
      phone: r.chance(0.8) ? `0${r.int(10, 79)}-${r.int(1000000, 9999999)}` : null,
      mail: r.chance(0.7) ? `info@${asciiUpper(name).toLowerCase().slice(0, 12) || 'demo'}.example.nl` : null,
      homepage: r.chance(0.5)
        ? `https://www.${asciiUpper(name).toLowerCase().slice(0, 12) || 'demo'}.example.nl`
        : null,
      note: r.chance(0.3)
        ? r.pick([
            'Vaste klant; korting 5%',
            'Contact via "inkoop", niet via directie',
            'Let op: facturen naar Jansen, J.',
          ])
        : null,
      revenue: r.chance(0.7) ? money(r.int(50_000, 90_000_000) + r.int(0, 99) / 100) : null,
      addressId,
      postAddressId: r.chance(0.2) ? newAddress() : addressId,
      employerId: employerIndex >= 0 ? String(employerIndex + 1) : null,
      blocked: employerIndex < 0 && r.chance(0.05),
      createDate: created,
      modifiedDate: r.chance(0.3) ? created : randomDatetime(r, '2025-01-01', '2026-06-30'),
    });
  }
  // A holding whose revenue does not fit a double: a float would print 12345678901234.56 as …234.56 only by luck.
  const bigOrganisation = data.organisations.find((o) => o.employerId === null);
  if (bigOrganisation) bigOrganisation.revenue = '12345678901234.56';
  const creditOrganisation = data.organisations.filter((o) => o.employerId === null)[1];
  if (creditOrganisation) creditOrganisation.revenue = '-0.50';

  // Persons ---------------------------------------------------------------------------------------------------
  const personRandom = root.fork('persons');
  // Organisations and persons share one number range.
  const personCodes = allocate(nPersons, RESERVED_PERSONS, (i) => String(1000100 + i), allOrgCodes).sort();
  const bsns = new Set<string>();
  for (const bcCo of personCodes) {
    const r = personRandom;
    const first = r.pick(FIRST_NAMES);
    const last = r.pick(LAST_NAMES);
    let bsn: string | null = null;
    if (r.chance(0.9)) {
      do bsn = randomBsn(r);
      while (bsns.has(bsn));
      bsns.add(bsn);
    }
    const created = randomDatetime(r, '2019-01-01', '2025-06-30');
    const addressId = r.chance(0.95) ? newAddress() : null;
    const married = r.chance(0.3);
    const mailName = `${asciiUpper(first.name).toLowerCase()}.${asciiUpper(last.name).toLowerCase()}`;
    data.persons.push({
      bcId: 0,
      bcCo,
      firstName: first.name,
      callName: first.name,
      initials: `${asciiUpper(first.name).charAt(0)}.`,
      prefix: last.prefix,
      lastName: last.name,
      birthNamePrefix: null,
      birthName: null,
      gender: first.gender === 'X' ? r.pick(['X', 'O']) : first.gender,
      dateOfBirth: r.chance(0.92) ? dateCell(r.int(dayNumber('1958-01-01'), dayNumber('2006-12-31'))) : null,
      bsn,
      nationality: r.chance(0.85) ? 'NL' : r.pick(['B', 'D', 'TR', 'MA', 'PL', null]),
      maritalStatus: married ? 'GH' : r.pick(['OG', 'GP', null]),
      mailWork: r.chance(0.6) ? `${mailName}@example.nl` : null,
      mailPrivate: r.chance(0.5) ? `${mailName}@example.com` : null,
      phoneWork: r.chance(0.4) ? `0${r.int(10, 79)}-${r.int(1000000, 9999999)}` : null,
      mobileWork: r.chance(0.6) ? `06-${r.int(10000000, 99999999)}` : null,
      addressId,
      postAddressId: addressId,
      note: r.chance(0.08)
        ? r.pick(['Post naar Jansen, J.; niet naar kantoor', 'Spreekt "liever" Engels', 'Zoë belt terug'])
        : null,
      membershipNumber: r.chance(0.3) ? String(r.int(100, 999)) : null,
      createDate: created,
      modifiedDate: r.chance(0.3) ? created : randomDatetime(r, '2025-07-01', '2026-06-30'),
    });
  }

  // Employees -------------------------------------------------------------------------------------------------
  const employeeRandom = root.fork('employees');
  const personByCode = new Map(data.persons.map((p) => [p.bcCo, p]));
  const usedPersons = new Set(RESERVED_EMPLOYEES.flatMap((e) => (e.bcCo ? [e.bcCo] : [])));
  const freePersons = data.persons.filter((p) => !usedPersons.has(p.bcCo) && p.bsn !== null);
  const usedIds = new Set<string>();
  for (let i = 0; i < nEmployees; i++) {
    const r = employeeRandom;
    const reserved = RESERVED_EMPLOYEES[i];
    const person = reserved?.bcCo ? personByCode.get(reserved.bcCo) : freePersons.shift();
    if (!person) break;
    if (person.bsn === null) {
      let bsn: string;
      do bsn = randomBsn(r);
      while (bsns.has(bsn));
      bsns.add(bsn);
      person.bsn = bsn;
    }
    if (reserved) {
      person.mailWork = `${asciiUpper(reserved.first).toLowerCase()}.${asciiUpper(reserved.last).toLowerCase()}@example.nl`;
      person.firstName = reserved.first;
      person.callName = reserved.first;
      person.initials = `${asciiUpper(reserved.first).charAt(0)}.`;
      person.prefix = reserved.prefix;
      person.lastName = reserved.last;
    }
    let id = reserved?.id ?? `${asciiUpper(person.firstName ?? 'X')}${asciiUpper(person.lastName).charAt(0)}`;
    for (let n = 2; usedIds.has(id); n++) id = `${reserved?.id ?? id.replace(/\d+$/, '')}${n}`;
    usedIds.add(id);
    person.mailWork ??= `${asciiUpper(person.firstName ?? 'x').toLowerCase()}@demo.example.nl`;
    const hours = r.pick([16, 24, 32, 36, 38, 40]);
    const salary = r.int(2400_00, 9800_00) / 100;
    const inService = r.int(dayNumber('2005-01-01'), dayNumber('2026-03-01'));
    const left = r.chance(0.12);
    const created = randomDatetime(r, '2019-01-01', '2025-12-31');
    data.employees.push({
      employeeId: id,
      personBcCo: person.bcCo,
      employerId: String(r.chance(0.7) ? 1 : r.int(2, nEmployers)),
      employment: 1,
      functionCode: r.pick(FUNCTIONS).code,
      departmentCode: r.pick(DEPARTMENTS).code,
      dateInService: dateCell(inService),
      dateOutService: left ? dateCell(Math.min(inService + r.int(200, 4000), dayNumber('2026-12-31'))) : null,
      hoursPerWeek: money(hours),
      salary: money(salary),
      // Four decimals: an hourly rate derived from a monthly salary (× 3 / 13 weeks / hours per week).
      hourlyRate: ((salary * 3) / 13 / hours).toFixed(4),
      bankAccounts: r.chance(0.95) ? [salaryAccount(dutchIban(r.pick(BANKS), `0${r.int(100000000, 999999999)}`))] : [],
      blocked: left && r.chance(0.5),
      createDate: created,
      modifiedDate: randomDatetime(r, '2025-06-01', '2026-06-30'),
    });
  }
  const docEmployee = data.employees.find((e) => e.employeeId === DOC_EMPLOYEE.id);
  if (docEmployee) docEmployee.bankAccounts = [salaryAccount(DOC_EMPLOYEE.iban)];
  const firstEmployee = data.employees[0];
  if (firstEmployee) firstEmployee.salary = '4123.45';

  // Internal ids and counters, in BcCo order across organisations and persons.
  const contacts = [...data.organisations, ...data.persons].sort((a, b) => a.bcCo.localeCompare(b.bcCo));
  for (const contact of contacts) contact.bcId = data.next.bcId++;
  data.next.bcCo = Math.max(...contacts.map((c) => Number(c.bcCo)).filter((n) => n < AUTO_NUMBER_LIMIT)) + 1;

  // Projects --------------------------------------------------------------------------------------------------
  const projectRandom = root.fork('projects');
  const customers = data.organisations.filter((o) => o.employerId === null);
  const projectIds = allocate(nProjects, RESERVED_PROJECTS, (i) => String(920000 + i)).sort();
  projectIds.forEach((projectId, index) => {
    const r = projectRandom;
    const customer = r.chance(0.85) ? r.pick(customers) : r.pick(data.persons);
    const start = r.int(dayNumber('2022-01-01'), dayNumber('2026-06-30'));
    const completed = r.chance(0.3);
    const created = randomDatetime(r, '2021-06-01', '2026-06-30');
    const description = r.pick([
      'Implementatie van Profit',
      'Advies en directie werkzaamheden',
      'Migratie salarisadministratie; fase 2',
      'Herinrichting "HR-portal"',
      "Onderhoud 's-Hertogenbosch, Noord",
      'Audit jaarrekening 2025',
    ]);
    data.projects.push({
      projectId,
      description: index === 0 ? 'Werkbon, spoed' : description,
      unitId: 1,
      projectGroup: r.pick(['CON', 'ALG', 'HB']),
      completed,
      bcCo: r.chance(0.95) ? customer.bcCo : null,
      debtorId: r.chance(0.8) ? String(10100 + r.int(0, 300)) : null,
      managerId: r.chance(0.9) ? r.pick(data.employees).employeeId : null,
      dateStart: dateCell(start),
      datePlannedReady: dateCell(start + r.int(30, 400)),
      dateReady: completed ? dateCell(start + r.int(30, 400)) : null,
      chargeable: r.chance(0.8),
      status: null,
      contractSum: r.chance(0.8) ? money(r.int(1000, 250000)) : null,
      remark: null,
      addressId: null,
      stages: [],
      createDate: created,
      modifiedDate: created,
    });
  });

  // Leaves ----------------------------------------------------------------------------------------------------
  const leaveRandom = root.fork('leaves');
  const active = data.employees.filter((e) => e.dateOutService === null);
  for (let i = 0; i < nLeaves && active.length > 0; i++) {
    const r = leaveRandom;
    const employee = r.pick(active);
    const type = r.chance(0.7) ? 'V' : r.pick(['BV', 'ADV', 'OV']);
    let start = r.int(dayNumber('2024-01-01'), dayNumber('2026-12-18'));
    while (weekday(start) > 5) start++;
    const partial = r.chance(0.25);
    const days = partial ? 1 : r.int(1, 10);
    const id = data.next.leaveId++;
    const hours = partial ? r.int(2, 6) : days * 8;
    const startTime = partial ? r.pick(['T08:30:00', 'T13:00:00']) : 'T00:00:00';
    data.leaves.push({
      id,
      employeeId: employee.employeeId,
      employment: 1,
      leaveType: type,
      reason: type === 'BV' ? r.pick(['01', '03', '08', '11', 'HF']) : type === 'V' && r.chance(0.3) ? 'Vak' : null,
      start: `${dateCell(start).slice(0, 10)}${startTime}`,
      end: partial
        ? `${dateCell(start).slice(0, 10)}T${String(Number(startTime.slice(1, 3)) + hours).padStart(2, '0')}:${startTime.slice(4, 6)}:00`
        : dateCell(start + days - 1),
      hours,
      partial,
      minutesStart: partial ? hours * 60 : null,
      minutesEnd: partial ? hours * 60 : null,
      remark: r.chance(0.1) ? r.pick(['Bruiloft zus; vrij, ook zaterdag', 'Verhuizing naar "nieuw" huis']) : null,
      substituteId: null,
      modifiedDate: r.chance(0.05) ? r.pick(DST_EDGE_DATETIMES) : randomDatetime(r, '2024-01-01', '2026-06-30'),
    });
  }
  const entitlementRandom = root.fork('entitlements');
  for (const employee of data.employees) {
    for (const year of [2025, 2026]) {
      const entitlement: LeaveEntitlementRecord = {
        employeeId: employee.employeeId,
        leaveType: 'V',
        year,
        entitlement: Math.round(Number(employee.hoursPerWeek) * 4),
        extraEntitlement: entitlementRandom.chance(0.2) ? 8 : 0,
        startBalance: entitlementRandom.int(0, 40),
      };
      data.entitlements.push(entitlement);
    }
  }

  // Dossier items with attachments ----------------------------------------------------------------------------
  const subjectRandom = root.fork('subjects');
  const pool = createFilePool();
  const files = new Map<string, StoredFile>();
  const subjectIds = allocate(nSubjects, RESERVED_SUBJECTS, (i) => 54287 + i).sort((a, b) => a - b);
  const employerOrgs = data.organisations.filter((o) => o.employerId !== null);
  const months = [
    'januari',
    'februari',
    'maart',
    'april',
    'mei',
    'juni',
    'juli',
    'augustus',
    'september',
    'oktober',
    'november',
    'december',
  ];
  const attach = (
    subjectId: number,
    fileName: string,
    data: Buffer,
    fixed?: { attachmentId: number; fileId: string },
  ): AttachmentRecord => {
    const attachmentId = fixed?.attachmentId ?? generated.next.attachmentId++;
    const fileId = fixed?.fileId ?? stableHex(32, seed, 'file', subjectId, attachmentId);
    files.set(fileId, storedFile(fileName, data));
    return { attachmentId, fileId, fileName, fileSize: data.length };
  };
  const generated = data;
  for (const subjectId of subjectIds) {
    const r = subjectRandom;
    const drawn = r.pick([
      'payslip',
      'payslip',
      'employee',
      'employee',
      'person',
      'organisation',
      'organisation',
      'project',
      'invoice',
    ]);
    const kind = subjectId === DOC_PAYSLIP.subjectId ? 'payslip' : drawn;
    const link: SubjectLinkRecord = {
      kind: 'organisation',
      bcCo: null,
      employeeId: null,
      employerId: null,
      projectId: null,
      destinationType: null,
      destinationId: null,
    };
    const attachments: AttachmentRecord[] = [];
    let type = 2;
    let subject: string;
    let memo: string | null = null;
    let toEmployer = false;
    // The first items fall on the clock-change days, so every seed has them.
    const dstIndex = data.subjects.length;
    const submitted =
      dstIndex < DST_EDGE_DATETIMES.length
        ? (DST_EDGE_DATETIMES[dstIndex] as string)
        : randomDatetime(r, '2023-01-01', '2026-06-30');
    if (kind === 'payslip' || kind === 'employee') {
      const employee = r.pick(data.employees);
      Object.assign(link, { kind: 'employee', bcCo: employee.personBcCo, employeeId: employee.employeeId });
      if (kind === 'payslip') {
        type = -2;
        const month = r.int(0, 11);
        const year = r.int(2024, 2026);
        subject = `Loonstrook ${months[month]} ${year}`;
        const docPayslip = subjectId === DOC_PAYSLIP.subjectId ? DOC_PAYSLIP : undefined;
        attachments.push(
          attach(
            subjectId,
            docPayslip?.fileName ?? `Loonstrook ${year}-${String(month + 1).padStart(2, '0')}.pdf`,
            pool.pdf('payslip'),
            docPayslip,
          ),
        );
      } else {
        type = 15;
        const doc = r.pick(['contract', 'id', 'car']);
        subject =
          doc === 'contract'
            ? `Arbeidsovereenkomst ${employee.employeeId}`
            : doc === 'id'
              ? 'Kopie ID-bewijs (voor- en achterkant)'
              : 'Getekend contract Audi - A3';
        if (doc === 'id') {
          attachments.push(attach(subjectId, 'scan.png', pool.png(r.int(0, PNG_VARIANTS - 1))));
          attachments.push(attach(subjectId, 'scan.png', pool.png(r.int(0, PNG_VARIANTS - 1))));
        } else
          attachments.push(
            attach(
              subjectId,
              `${doc === 'contract' ? 'Arbeidsovereenkomst' : 'Audi A3 factuur'}.pdf`,
              pool.pdf('contract'),
            ),
          );
      }
    } else if (kind === 'person') {
      const person = r.pick(data.persons);
      Object.assign(link, { kind: 'person', bcCo: person.bcCo });
      type = 4;
      subject = r.pick([
        'Telefoonnotitie: terugbellen, graag vóór vrijdag',
        'Afspraak; koffie met Zoë',
        'Notitie "privé"',
      ]);
      memo = r.chance(0.5) ? 'Teruggebeld op 12-03.\nVolgende stap: offerte, zie dossier; daarna evaluatie.' : null;
      if (r.chance(0.4)) attachments.push(attach(subjectId, 'foto.png', pool.png(r.int(0, PNG_VARIANTS - 1))));
    } else if (kind === 'organisation' || kind === 'invoice') {
      const employerLetter = kind === 'organisation' && r.chance(0.25);
      const organisation = employerLetter ? r.pick(employerOrgs) : r.pick(customers);
      Object.assign(link, {
        kind: employerLetter ? 'employer' : 'organisation',
        bcCo: organisation.bcCo,
        employerId: organisation.employerId,
      });
      toEmployer = employerLetter;
      if (kind === 'invoice') {
        type = -5;
        subject = `Inkoopfactuur PUR${String(r.int(100, 999999)).padStart(6, '0')}`;
        attachments.push(attach(subjectId, 'factuur.pdf', pool.pdf('invoice')));
      } else {
        type = r.pick([2, 5]);
        subject = r.pick([
          'Brief "jaarafsluiting" 2025',
          'Offerte, versie 2; definitief',
          'Logo en huisstijl',
          "Bezoek 's-Hertogenbosch",
        ]);
        if (r.chance(0.6)) attachments.push(attach(subjectId, 'brief.pdf', pool.pdf('letter')));
        if (r.chance(0.3)) attachments.push(attach(subjectId, 'logo.png', pool.png(r.int(0, PNG_VARIANTS - 1))));
      }
    } else {
      const project = r.pick(data.projects);
      Object.assign(link, { kind: 'project', bcCo: project.bcCo, projectId: project.projectId });
      type = 26;
      subject = `Projectrapportage ${project.projectId}`;
      attachments.push(attach(subjectId, 'rapportage.pdf', pool.pdf('report')));
    }
    const record: SubjectRecord = {
      subjectId,
      type,
      submitted,
      subject,
      memo,
      status: r.chance(0.3) ? r.pick(['Open', 'In behandeling', 'Afgehandeld']) : null,
      number: r.chance(0.2) ? r.int(1, 500) : null,
      feature1: r.chance(0.1) ? r.int(1, 5) : null,
      feature2: null,
      feature3: null,
      senderId: r.chance(0.5) ? r.pick(data.employees).employeeId : null,
      completed: r.chance(0.4),
      links: [link],
      attachments,
      custom: {},
    };
    if (toEmployer) record.status = 'Verzonden';
    data.subjects.push(record);
  }
  data.next.subjectId = Math.max(0, ...subjectIds) + 1;

  // ImageConnector: a few person photos.
  const images = new Map<string, number>();
  for (let i = 0; i < 3; i++) images.set(stableHex(32, seed, 'image', i), (i * 137 + seed) % 360);

  generateSetup(root, data, scale);

  return { data, files, images };
}

/**
 * Users, appointments, financial entries, vehicles and birth names. Drawn from forks taken after all others, so
 * that adding them left the rest of the company as it was.
 */
function generateSetup(root: Random, data: CompanyData, scale: number): void {
  // Birth names: some persons use their partner's name.
  const birthRandom = root.fork('birth-names');
  for (const person of data.persons) {
    if (!birthRandom.chance(0.2)) continue;
    const birth = birthRandom.pick(LAST_NAMES);
    person.birthNamePrefix = birth.prefix;
    person.birthName = birth.name;
  }

  // Users --------------------------------------------------------------------------------------------------------
  const userRandom = root.fork('users');
  const user = (userId: string, name: string, fields: Partial<UserRecord> = {}): UserRecord => ({
    userId,
    name,
    personBcCo: null,
    groups: ['Iedereen'],
    email: null,
    upn: null,
    profitWindows: false,
    inSite: false,
    outSite: false,
    language: '1043',
    blocked: false,
    modifiedDate: randomDatetime(userRandom, '2024-01-01', '2026-06-30'),
    ...fields,
  });
  data.users.push(
    // A blocked system user, as update-connector.md's KnUser example unblocks one (MtCd 6).
    user('12345.systeemg', 'Systeemgebruiker', { profitWindows: true, blocked: true }),
    user('12345.admin', 'Beheerder (app connector)', { groups: ['Iedereen', 'Beheerders'] }),
    user('12345.hr', 'HR-app (app connector)'),
    user('12345.portal', 'Klantportaal (app connector)'),
    // The invitees of the KnAppointment examples.
    user('DavidB', 'David de Bruijn', { profitWindows: true, email: 'david.debruijn@example.nl' }),
    user('demo', 'Demogebruiker', { profitWindows: true }),
  );
  const personByCode = new Map(data.persons.map((p) => [p.bcCo, p]));
  for (const employee of data.employees.slice(0, 10 * scale)) {
    const person = personByCode.get(employee.personBcCo);
    if (!person || employee.dateOutService !== null) continue;
    data.users.push(
      user(`12345.${employee.employeeId}`, fullName(person), {
        personBcCo: person.bcCo,
        email: person.mailWork,
        upn: person.mailWork,
        inSite: true,
        profitWindows: userRandom.chance(0.3),
      }),
    );
  }

  // Appointments -------------------------------------------------------------------------------------------------
  const appointmentRandom = root.fork('appointments');
  const ownerIds = data.users.filter((u) => !u.blocked).map((u) => u.userId);
  const appointmentIds = allocate(12 * scale, [7, 10, 123], (i) => 100 + i * 7).sort((a, b) => a - b);
  for (const appointmentId of appointmentIds) {
    const r = appointmentRandom;
    let day = r.int(dayNumber('2025-01-01'), dayNumber('2026-12-18'));
    while (weekday(day) > 5) day++;
    const hour = r.int(8, 16);
    const at = (h: number) =>
      `${dateCell(day).slice(0, 10)}T${String(h).padStart(2, '0')}:${hour % 2 ? '30' : '00'}:00`;
    const invitees = r.int(1, 3);
    data.appointments.push({
      appointmentId,
      subject: r.pick(['Overleg "Profit-koppeling"', 'Functioneringsgesprek', 'Klantbezoek; demo', 'Teamoverleg']),
      body: r.chance(0.5) ? 'Agenda volgt.\nGraag vooraf de notulen lezen.' : null,
      from: at(hour),
      till: at(hour + 1),
      type: 1,
      locationId: r.chance(0.5) ? '000001' : null,
      locationText: r.chance(0.3) ? "Vergaderruimte 's-Hertogenbosch" : null,
      technicalType: '0',
      personal: r.chance(0.1),
      subjectId: null,
      recurring: false,
      recurrenceEnd: null,
      lines: Array.from({ length: invitees }, (_, i) => ({
        inviteeId: 1,
        userId: r.pick(ownerIds),
        contactId: null,
        owner: i === 0,
        presence: i === 0 ? 'V' : r.pick(['V', 'O']),
      })),
      custom: {},
    });
  }
  data.next.appointmentId = Math.max(...appointmentIds) + 1;

  // Financial entries --------------------------------------------------------------------------------------------
  const entryRandom = root.fork('entries');
  const amount = () => (entryRandom.int(1000, 500000) / 100).toFixed(2);
  for (let i = 0; i < 8 * scale; i++) {
    // Salary journal 73: 70001, 70002… (the first is endpoint-fientries-delete.md's example).
    const gross = amount();
    const day = entryRandom.int(dayNumber('2025-01-01'), dayNumber('2026-06-30'));
    const date = dateCell(day);
    data.entries.push({
      unitId: 1,
      journal: '73',
      entryNo: 70001 + i,
      invoiceId: null,
      date,
      year: Number(date.slice(0, 4)),
      period: Number(date.slice(5, 7)),
      lines: [
        { accountKind: '1', account: '4000', description: 'Salarisjournaalpost', debit: gross, credit: '0.00' },
        { accountKind: '1', account: '1800', description: 'Salarisjournaalpost', debit: '0.00', credit: gross },
      ],
    });
  }
  for (let i = 0; i < 8 * scale; i++) {
    // Purchase journal 10: invoices IH003938, IH003939… (the first is the documentation's example).
    const net = amount();
    const vat = (Math.round(Number(net) * 21) / 100).toFixed(2);
    const total = ((Math.round(Number(net) * 100) + Math.round(Number(vat) * 100)) / 100).toFixed(2);
    const day = entryRandom.int(dayNumber('2025-01-01'), dayNumber('2026-06-30'));
    const date = dateCell(day);
    const invoiceId = `IH${String(3938 + i).padStart(6, '0')}`;
    data.entries.push({
      unitId: 1,
      journal: '10',
      entryNo: 10001 + i,
      invoiceId,
      date,
      year: Number(date.slice(0, 4)),
      period: Number(date.slice(5, 7)),
      lines: [
        { accountKind: '3', account: '50013', description: invoiceId, debit: '0.00', credit: total },
        {
          accountKind: '1',
          account: entryRandom.pick(['4100', '4200', '4300']),
          description: null,
          debit: net,
          credit: '0.00',
        },
        { accountKind: '1', account: '1710', description: null, debit: vat, credit: '0.00' },
      ],
    });
  }

  // Vehicles (mobility registration) -----------------------------------------------------------------------------
  const vehicleRandom = root.fork('vehicles');
  const drivers = data.employees.filter((e) => e.dateOutService === null);
  const vehicleIds = allocate(Math.min(drivers.length, 4 * scale), [123455], (i) => 123456 + i);
  vehicleIds.forEach((vehicleId, i) => {
    const driver = drivers[i];
    if (!driver) return;
    let km = vehicleRandom.int(1000, 4000);
    const readings: { date: string; km: number }[] = [];
    // Monthly readings up to November 2023, so the documented readings of December 2023 come next.
    for (let month = 1; month <= 11; month++) {
      km += vehicleRandom.int(250, 400);
      readings.push({ date: `2023-${String(month).padStart(2, '0')}-01T00:00:00`, km });
    }
    data.vehicles.push({
      vehicleId,
      employeeId: driver.employeeId,
      description: vehicleRandom.pick(['Audi A3 Sportback', 'Volkswagen ID.3', 'Kia e-Niro', 'Tesla Model 3']),
      readings,
    });
  });
}

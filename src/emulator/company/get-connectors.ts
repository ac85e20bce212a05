/**
 * The GetConnectors of the demo environment. Standard connectors (`Profit_OrgPer`, `Profit_Address`,
 * `Profit_Projects`, `Profit_Leaves`, `Profit_LeaveBalance`, `ProfitSubjects`, `Profit_Subject_Attachments`) carry
 * the field ids and labels of AFAS's specification; `Profit_Organisations`, `Profit_Persons` and `Profit_Employees`
 * are built by the customer, with field ids modelled on the standard ones.
 *
 * Rows are derived from the store on every call (cached per change), so writes through UpdateConnectors show up.
 *
 * Metainfo details AFAS does not document are chosen as follows: `fieldId` is the Profit field code where the
 * column maps to one (`FiNm`, `SoSe`…) and a `U0nn` sequence otherwise, as in AFAS's metainfo example;
 * `controlType` is 5 for key and code-table fields and 1 for everything else (the two values AFAS's examples
 * show); decimals carry `length` 26 as Profit's currency fields do.
 */

import { type OrganisationRecord, type PersonRecord, salaryIban } from './data.js';
import { ACCOUNT_TYPES, ACCOUNTS, ADMINISTRATIONS } from './ledger.js';
import { DEPARTMENTS, FUNCTIONS, LEAVE_REASONS, LEAVE_TYPES, streetLine } from './names.js';
import type { DemoStore } from './store.js';
import { type Cell, type DataType, Decimal, type GetConnectorDef, type GetFieldDef, type Row } from './types.js';

interface Column<R> {
  readonly id: string;
  readonly dataType: DataType;
  readonly label: string;
  readonly length?: number;
  readonly decimals?: number;
  readonly fieldId?: string;
  /** A key or code-table field (controlType 5). */
  readonly lookup?: boolean;
  readonly value: (record: R, store: DemoStore) => Cell;
}

const DEFAULT_LENGTH: Readonly<Record<DataType, number>> = {
  string: 255,
  int: 9,
  decimal: 26,
  boolean: 1,
  date: 0,
  blob: 0,
};

function defineGetConnector<R>(
  id: string,
  description: string,
  source: (store: DemoStore) => readonly R[],
  columns: readonly Column<R>[],
): GetConnectorDef {
  const fields: GetFieldDef[] = columns.map((column, index) => ({
    id: column.id,
    fieldId: column.fieldId ?? `U${String(index + 1).padStart(3, '0')}`,
    dataType: column.dataType,
    label: column.label,
    length: column.length ?? DEFAULT_LENGTH[column.dataType],
    controlType: column.lookup ? 5 : 1,
    decimals: column.decimals ?? 0,
    decimalsFieldId: '',
  }));
  return {
    id,
    description,
    fields,
    rows(store) {
      const demo = store as DemoStore;
      return demo.derived(`get:${id}`, () =>
        source(demo).map((record) => {
          const row: Row = {};
          for (const column of columns) row[column.id] = column.value(record, demo);
          return row;
        }),
      );
    },
  };
}

const decimal = (text: string | null): Decimal | null => (text === null ? null : new Decimal(text));
const functionName = new Map(FUNCTIONS.map((f) => [f.code, f.name]));
const departmentName = new Map(DEPARTMENTS.map((d) => [d.code, d.name]));
const leaveTypeName = new Map(LEAVE_TYPES.map((t) => [t.code, t.description]));
const leaveReasonName = new Map(LEAVE_REASONS.map((r) => [r.id, r.description]));

/** The person's name as Profit composes it: first name, prefix, last name. */
export function fullName(person: { firstName: string | null; prefix: string | null; lastName: string }): string {
  return [person.firstName, person.prefix, person.lastName].filter(Boolean).join(' ');
}

function addressOf(store: DemoStore, id: number | null) {
  return id === null ? undefined : store.index.addresses.get(id);
}

function zipCity(address: { zipCode: string | null; city: string | null } | undefined): string | null {
  if (!address) return null;
  return [address.zipCode, address.city].filter(Boolean).join('  ') || null;
}

const COUNTRY_NAMES: Readonly<Record<string, string>> = {
  NL: 'Nederland',
  B: 'België',
  D: 'Duitsland',
  US: 'Verenigde Staten',
};

// ------------------------------------------------------------------------------------------------------------
// Standard connectors

interface OrgPerRow {
  readonly type: 'O' | 'P';
  readonly bcCo: string;
  readonly searchName: string | null;
  readonly name: string;
  readonly addressId: number | null;
  readonly phone: string | null;
  readonly mail: string | null;
  readonly homepage: string | null;
  readonly note: string | null;
  readonly cocNumber: string | null;
  readonly dateOfBirth: string | null;
  readonly bsn: string | null;
}

function orgPerRows(store: DemoStore): OrgPerRow[] {
  const { organisations, persons } = store.data;
  const rows: OrgPerRow[] = [
    ...organisations.map((o) => ({
      type: 'O' as const,
      bcCo: o.bcCo,
      searchName: o.searchName,
      name: o.name,
      addressId: o.addressId,
      phone: o.phone,
      mail: o.mail,
      homepage: o.homepage,
      note: o.note,
      cocNumber: o.cocNumber,
      dateOfBirth: null,
      bsn: null,
    })),
    ...persons.map((p) => ({
      type: 'P' as const,
      bcCo: p.bcCo,
      searchName: p.lastName.toUpperCase().slice(0, 10),
      name: fullName(p),
      addressId: p.addressId,
      phone: p.phoneWork,
      mail: p.mailWork,
      homepage: null,
      note: p.note,
      cocNumber: null,
      dateOfBirth: p.dateOfBirth,
      bsn: p.bsn,
    })),
  ];
  return rows.sort((a, b) => a.bcCo.localeCompare(b.bcCo));
}

const line1 = (store: DemoStore, id: number | null): string | null => {
  const a = addressOf(store, id);
  return a ? streetLine(a.street, a.houseNumber, a.houseNumberAddition) : null;
};
const line3 = (store: DemoStore, id: number | null): string | null => zipCity(addressOf(store, id));
const line4 = (store: DemoStore, id: number | null): string | null => {
  const a = addressOf(store, id);
  return a ? (COUNTRY_NAMES[a.country] ?? a.country) : null;
};

/** Address columns shared by the customer connectors (Street, HouseNumber… of the visiting address). */
function addressColumns<R>(addressId: (r: R) => number | null): Column<R>[] {
  const a = (r: R, s: DemoStore) => addressOf(s, addressId(r));
  return [
    { id: 'AddressLine1', dataType: 'string', label: 'Adresregel 1', value: (r, s) => line1(s, addressId(r)) },
    { id: 'AddressLine3', dataType: 'string', label: 'Adresregel 3', value: (r, s) => line3(s, addressId(r)) },
    {
      id: 'Street',
      fieldId: 'Ad',
      dataType: 'string',
      label: 'Straat',
      length: 60,
      value: (r, s) => a(r, s)?.street ?? null,
    },
    {
      id: 'HouseNumber',
      fieldId: 'HmNr',
      dataType: 'int',
      label: 'Huisnummer',
      value: (r, s) => a(r, s)?.houseNumber ?? null,
    },
    {
      id: 'HouseNumberAdd',
      fieldId: 'HmAd',
      dataType: 'string',
      label: 'Toev. aan huisnr.',
      length: 30,
      value: (r, s) => a(r, s)?.houseNumberAddition ?? null,
    },
    {
      id: 'ZipCode',
      fieldId: 'ZpCd',
      dataType: 'string',
      label: 'Postcode',
      length: 15,
      value: (r, s) => a(r, s)?.zipCode ?? null,
    },
    {
      id: 'City',
      fieldId: 'Rs',
      dataType: 'string',
      label: 'Woonplaats',
      length: 50,
      value: (r, s) => a(r, s)?.city ?? null,
    },
    {
      id: 'Country',
      fieldId: 'CoId',
      dataType: 'string',
      label: 'Land',
      length: 3,
      lookup: true,
      value: (r, s) => a(r, s)?.country ?? null,
    },
  ];
}

export function createGetConnectors(): GetConnectorDef[] {
  const orgPer = defineGetConnector('Profit_OrgPer', 'Organisaties en personen', orgPerRows, [
    {
      id: 'BcCo',
      fieldId: 'BcCo',
      dataType: 'string',
      label: 'Nummer',
      length: 15,
      lookup: true,
      value: (r) => r.bcCo,
    },
    { id: 'Type', dataType: 'string', label: 'Soort basic contact', length: 1, lookup: true, value: (r) => r.type },
    {
      id: 'SearchName',
      fieldId: 'SeNm',
      dataType: 'string',
      label: 'Zoeknaam',
      length: 10,
      value: (r) => r.searchName,
    },
    { id: 'Name', fieldId: 'Nm', dataType: 'string', label: 'Naam', length: 255, value: (r) => r.name },
    // "AdressLine" (sic) is how AFAS's standard connector spells these fields.
    {
      id: 'AdressLine1',
      dataType: 'string',
      label: 'Adresregel 1 (straat - huisnummer)',
      value: (r, s) => line1(s, r.addressId),
    },
    {
      id: 'AdressLine3',
      dataType: 'string',
      label: 'Adresregel 3 (postcode - woonplaats)',
      value: (r, s) => line3(s, r.addressId),
    },
    { id: 'AdressLine4', dataType: 'string', label: 'Adresregel 4 (land)', value: (r, s) => line4(s, r.addressId) },
    { id: 'TelWork', fieldId: 'TeNr', dataType: 'string', label: 'Telefoonnr. werk', value: (r) => r.phone },
    { id: 'MailWork', fieldId: 'EmAd', dataType: 'string', label: 'E-mail werk', value: (r) => r.mail },
    { id: 'Homepage', fieldId: 'HoPa', dataType: 'string', label: 'Website', value: (r) => r.homepage },
    { id: 'Note', fieldId: 'Re', dataType: 'string', label: 'Opmerking', length: 0, value: (r) => r.note },
    {
      id: 'ChOfCommNr',
      fieldId: 'CcNr',
      dataType: 'string',
      label: 'KvK-nummer',
      length: 30,
      value: (r) => r.cocNumber,
    },
    { id: 'DateBirth', fieldId: 'DaBi', dataType: 'date', label: 'Geboortedatum', value: (r) => r.dateOfBirth },
    { id: 'BSN', fieldId: 'SoSe', dataType: 'string', label: 'BSN', length: 25, value: (r) => r.bsn },
  ]);

  const address = defineGetConnector('Profit_Address', 'Adressen', (s) => s.data.addresses, [
    { id: 'AddressId', fieldId: 'AdId', dataType: 'int', label: 'Adres-ID', lookup: true, value: (a) => a.id },
    {
      id: 'AddressLine',
      dataType: 'string',
      label: 'Voorbeeldadres op 1 regel',
      value: (a) =>
        [streetLine(a.street, a.houseNumber, a.houseNumberAddition), zipCity(a)].filter(Boolean).join(', ') || null,
    },
    { id: 'PoBox', fieldId: 'PbAd', dataType: 'boolean', label: 'Postbusadres', value: (a) => a.poBox },
    {
      id: 'AddressAdd',
      fieldId: 'StAd',
      dataType: 'string',
      label: 'Toev. voor straat',
      value: (a) => a.streetAddition,
    },
    { id: 'Address', fieldId: 'Ad', dataType: 'string', label: 'Straat', length: 60, value: (a) => a.street },
    { id: 'Number', fieldId: 'HmNr', dataType: 'int', label: 'Huisnummer', value: (a) => a.houseNumber },
    {
      id: 'NumberAdd',
      fieldId: 'HmAd',
      dataType: 'string',
      label: 'Toev. aan huisnr.',
      length: 30,
      value: (a) => a.houseNumberAddition,
    },
    { id: 'ZipCode', fieldId: 'ZpCd', dataType: 'string', label: 'Postcode', length: 15, value: (a) => a.zipCode },
    // "Recidence" (sic), as in AFAS's standard connector.
    { id: 'Recidence', fieldId: 'Rs', dataType: 'string', label: 'Woonplaats', length: 50, value: (a) => a.city },
    {
      id: 'Country',
      fieldId: 'CoId',
      dataType: 'string',
      label: 'Land',
      length: 3,
      lookup: true,
      value: (a) => a.country,
    },
    { id: 'Addition', fieldId: 'AdAd', dataType: 'string', label: 'Toevoeging aan adres', value: (a) => a.addition },
    { id: 'CreateDate', dataType: 'date', label: 'Aangemaakt op', value: (a) => a.createDate },
    { id: 'ModifiedDate', dataType: 'date', label: 'Gewijzigd op', value: (a) => a.modifiedDate },
  ]);

  const projects = defineGetConnector('Profit_Projects', 'Projecten', (s) => s.data.projects, [
    {
      id: 'ProjectId',
      fieldId: 'PrId',
      dataType: 'string',
      label: 'Projectnummer',
      length: 15,
      lookup: true,
      value: (p) => p.projectId,
    },
    {
      id: 'Description',
      fieldId: 'Ds',
      dataType: 'string',
      label: 'Projectomschrijving',
      length: 100,
      value: (p) => p.description,
    },
    {
      id: 'UnitId',
      fieldId: 'UnFi',
      dataType: 'int',
      label: 'Projectadministratie',
      lookup: true,
      value: (p) => p.unitId,
    },
    {
      id: 'ProjectGroup',
      fieldId: 'PrGp',
      dataType: 'string',
      label: 'Projectgroep',
      length: 15,
      lookup: true,
      value: (p) => p.projectGroup,
    },
    { id: 'CheckedOut', fieldId: 'ChOu', dataType: 'boolean', label: 'Afgehandeld', value: (p) => p.completed },
    {
      id: 'BcCo',
      fieldId: 'BcCo',
      dataType: 'string',
      label: 'Organisatie/persoon',
      length: 15,
      lookup: true,
      value: (p) => p.bcCo,
    },
    {
      id: 'DebtorId',
      fieldId: 'DbId',
      dataType: 'string',
      label: 'Verkooprelatie',
      length: 16,
      lookup: true,
      value: (p) => p.debtorId,
    },
    { id: 'DateStart', fieldId: 'DaSt', dataType: 'date', label: 'Startdatum', value: (p) => p.dateStart },
    { id: 'DateReady', fieldId: 'DtGw', dataType: 'date', label: 'Werkelijke einddatum', value: (p) => p.dateReady },
    { id: 'Chargeable', fieldId: 'Ch', dataType: 'boolean', label: 'Doorbelasten', value: (p) => p.chargeable },
    { id: 'CreateDate', dataType: 'date', label: 'Aangemaakt op', value: (p) => p.createDate },
    { id: 'ModifiedDate', dataType: 'date', label: 'Gewijzigd op', value: (p) => p.modifiedDate },
  ]);

  const leaves = defineGetConnector('Profit_Leaves', 'Verlofboekingen', (s) => s.data.leaves, [
    { id: 'LeaveId', fieldId: 'Id', dataType: 'int', label: 'Regelnummer', lookup: true, value: (l) => l.id },
    {
      id: 'EmployeeId',
      fieldId: 'EmId',
      dataType: 'string',
      label: 'Medewerker',
      length: 15,
      lookup: true,
      value: (l) => l.employeeId,
    },
    {
      id: 'Name',
      dataType: 'string',
      label: 'Naam',
      value: (l, s) => {
        const person = s.index.persons.get(s.index.employees.get(l.employeeId.toUpperCase())?.personBcCo ?? '');
        return person ? fullName(person) : null;
      },
    },
    {
      id: 'BSN',
      fieldId: 'SoSe',
      dataType: 'string',
      label: 'Burgerservicenummer',
      length: 25,
      value: (l, s) =>
        s.index.persons.get(s.index.employees.get(l.employeeId.toUpperCase())?.personBcCo ?? '')?.bsn ?? null,
    },
    { id: 'Export', dataType: 'boolean', label: 'Medewerker exporteren naar tijdregistratie', value: () => false },
    { id: 'Hours', fieldId: 'DuRa', dataType: 'int', label: 'Aantal uren', value: (l) => l.hours },
    { id: 'StartDate', fieldId: 'DaBe', dataType: 'date', label: 'Begindatum/tijd', value: (l) => l.start },
    { id: 'EndDate', fieldId: 'DaEn', dataType: 'date', label: 'Einddatum/tijd', value: (l) => l.end },
    { id: 'DvId', fieldId: 'EnSe', dataType: 'int', label: 'Dienstverband', value: (l) => l.employment },
    { id: 'ModifiedDate', dataType: 'date', label: 'Gewijzigd op', value: (l) => l.modifiedDate },
    {
      id: 'LeaveCode',
      fieldId: 'ViAt',
      dataType: 'string',
      label: 'Type verlof code',
      length: 20,
      lookup: true,
      value: (l) => l.leaveType,
    },
    {
      id: 'LeaveDescr',
      dataType: 'string',
      label: 'Type verlof omschrijving',
      value: (l) => leaveTypeName.get(l.leaveType) ?? null,
    },
    {
      id: 'ReasonCode',
      fieldId: 'ViLr',
      dataType: 'string',
      label: 'Reden verlof code',
      length: 20,
      lookup: true,
      value: (l) => l.reason,
    },
    {
      id: 'ReasonDescr',
      dataType: 'string',
      label: 'Reden verlof omschrijving',
      value: (l) => (l.reason === null ? null : (leaveReasonName.get(l.reason) ?? null)),
    },
  ]);

  const leaveBalance = defineGetConnector('Profit_LeaveBalance', 'Verlofsaldo', leaveBalanceRows, [
    {
      id: 'EmployeeId',
      fieldId: 'EmId',
      dataType: 'string',
      label: 'Medewerker',
      length: 15,
      lookup: true,
      value: (b) => b.employeeId,
    },
    { id: 'EmployerId', dataType: 'string', label: 'Werkgever', length: 15, lookup: true, value: (b) => b.employerId },
    { id: 'DvId', fieldId: 'EnSe', dataType: 'int', label: 'Dienstverband', value: () => 1 },
    {
      id: 'Leavetype',
      fieldId: 'ViAt',
      dataType: 'string',
      label: 'Code',
      length: 20,
      lookup: true,
      value: (b) => b.leaveType,
    },
    { id: 'Year', dataType: 'int', label: 'Boekjaar', value: (b) => b.year },
    { id: 'Period', dataType: 'int', label: 'Verlofperiode', value: () => 12 },
    { id: 'Entitlement', dataType: 'int', label: 'Periodiek recht', value: (b) => b.entitlement },
    { id: 'ExtraEntitlement', dataType: 'int', label: 'Extra periode recht', value: (b) => b.extraEntitlement },
    { id: 'StartBalance', dataType: 'int', label: 'Beginsaldo', value: (b) => b.startBalance },
    { id: 'Taken', dataType: 'int', label: 'Opgenomen', value: (b) => b.taken },
    {
      id: 'Balance',
      dataType: 'int',
      label: 'Saldo',
      value: (b) => b.startBalance + b.entitlement + b.extraEntitlement - b.taken,
    },
  ]);

  const subjects = defineGetConnector('ProfitSubjects', 'Dossieritems (zonder autorisatie)', (s) => s.data.subjects, [
    { id: 'SbTy', fieldId: 'StId', dataType: 'int', label: 'Type dossieritem', lookup: true, value: (d) => d.type },
    { id: 'SbId', fieldId: 'SbId', dataType: 'int', label: 'Dossieritem', lookup: true, value: (d) => d.subjectId },
    { id: 'DaSe', fieldId: 'Da', dataType: 'date', label: 'Datum invoer', value: (d) => d.submitted },
    { id: 'Ds', fieldId: 'Ds', dataType: 'string', label: 'Onderwerp', length: 255, value: (d) => d.subject },
    { id: 'Memo', fieldId: 'SbTx', dataType: 'string', label: 'Toelichting', length: 0, value: (d) => d.memo },
    { id: 'Stat', dataType: 'string', label: 'Codetabelwaarde', length: 20, lookup: true, value: (d) => d.status },
    { id: 'DoId', dataType: 'int', label: 'Nummer', value: (d) => d.number },
    { id: 'FeV1', fieldId: 'FvF1', dataType: 'int', label: 'Kenmerkwaarde 1', value: (d) => d.feature1 },
    { id: 'FeV2', fieldId: 'FvF2', dataType: 'int', label: 'Kenmerkwaarde 2', value: (d) => d.feature2 },
    { id: 'FeV3', fieldId: 'FvF3', dataType: 'int', label: 'Kenmerkwaarde 3', value: (d) => d.feature3 },
    {
      id: 'BcId',
      fieldId: 'BcId',
      dataType: 'int',
      label: 'Organisatie/persoon',
      value: (d, s) => {
        const code = d.links.find((l) => l.bcCo !== null)?.bcCo?.toUpperCase() ?? '';
        return (s.index.organisations.get(code) ?? s.index.persons.get(code))?.bcId ?? null;
      },
    },
    {
      id: 'BcCd',
      fieldId: 'BcCo',
      dataType: 'string',
      label: 'Nummer',
      length: 15,
      value: (d) => d.links.find((l) => l.bcCo !== null)?.bcCo ?? null,
    },
    {
      id: 'ToEr',
      fieldId: 'ToEr',
      dataType: 'boolean',
      label: 'Werkgever',
      value: (d) => d.links.some((l) => l.kind === 'employer'),
    },
  ]);

  const attachments = defineGetConnector(
    'Profit_Subject_Attachments',
    'Bijlagen bij dossieritems',
    (s) => s.data.subjects.flatMap((d) => d.attachments.map((a) => ({ subjectId: d.subjectId, ...a }))),
    [
      { id: 'attachment_id', dataType: 'int', label: 'Bijlage-ID', lookup: true, value: (a) => a.attachmentId },
      {
        id: 'subject_id',
        fieldId: 'SbId',
        dataType: 'int',
        label: 'Dossieritem',
        lookup: true,
        value: (a) => a.subjectId,
      },
      { id: 'file_id', fieldId: 'FileId', dataType: 'string', label: 'Bijlage', length: 32, value: (a) => a.fileId },
      {
        id: 'file_name',
        fieldId: 'FileName',
        dataType: 'string',
        label: 'Naam',
        length: 255,
        value: (a) => a.fileName,
      },
      // No file_size: oas/dossiers-en-bijlagen-en-workflows.json documents Profit_Subject_Attachments with
      // attachment_id, subject_id, file_id and file_name only (file_size belongs to the reaction attachments).
    ],
  );

  // Customer-built connectors ----------------------------------------------------------------------------------

  const organisations = defineGetConnector(
    'Profit_Organisations',
    'Organisaties (klant)',
    (s) => s.data.organisations,
    [
      {
        id: 'BcCo',
        fieldId: 'BcCo',
        dataType: 'string',
        label: 'Nummer',
        length: 15,
        lookup: true,
        value: (o) => o.bcCo,
      },
      { id: 'Name', fieldId: 'Nm', dataType: 'string', label: 'Naam', value: (o) => o.name },
      {
        id: 'SearchName',
        fieldId: 'SeNm',
        dataType: 'string',
        label: 'Zoeknaam',
        length: 10,
        value: (o) => o.searchName,
      },
      {
        id: 'ChOfCommNr',
        fieldId: 'CcNr',
        dataType: 'string',
        label: 'KvK-nummer',
        length: 30,
        value: (o) => o.cocNumber,
      },
      {
        id: 'LegalForm',
        fieldId: 'ViLe',
        dataType: 'string',
        label: 'Rechtsvorm',
        length: 20,
        lookup: true,
        value: (o) => o.legalForm,
      },
      ...addressColumns<OrganisationRecord>((o) => o.addressId),
      { id: 'TelWork', fieldId: 'TeNr', dataType: 'string', label: 'Telefoonnr. werk', value: (o) => o.phone },
      { id: 'MailWork', fieldId: 'EmAd', dataType: 'string', label: 'E-mail werk', value: (o) => o.mail },
      { id: 'Homepage', fieldId: 'HoPa', dataType: 'string', label: 'Website', value: (o) => o.homepage },
      { id: 'Note', fieldId: 'Re', dataType: 'string', label: 'Opmerking', length: 0, value: (o) => o.note },
      { id: 'Revenue', dataType: 'decimal', label: 'Omzet', decimals: 2, value: (o) => decimal(o.revenue) },
      { id: 'IsEmployer', dataType: 'boolean', label: 'Werkgever', value: (o) => o.employerId !== null },
      {
        id: 'EmployerId',
        dataType: 'string',
        label: 'Werkgevernummer',
        length: 15,
        lookup: true,
        value: (o) => o.employerId,
      },
      { id: 'Blocked', dataType: 'boolean', label: 'Geblokkeerd', value: (o) => o.blocked },
      { id: 'CreateDate', dataType: 'date', label: 'Aangemaakt op', value: (o) => o.createDate },
      { id: 'ModifiedDate', dataType: 'date', label: 'Gewijzigd op', value: (o) => o.modifiedDate },
    ],
  );

  const persons = defineGetConnector('Profit_Persons', 'Personen (klant)', (s) => s.data.persons, [
    {
      id: 'BcCo',
      fieldId: 'BcCo',
      dataType: 'string',
      label: 'Nummer',
      length: 15,
      lookup: true,
      value: (p) => p.bcCo,
    },
    { id: 'FirstName', fieldId: 'FiNm', dataType: 'string', label: 'Voornaam', length: 50, value: (p) => p.firstName },
    { id: 'CallName', fieldId: 'CaNm', dataType: 'string', label: 'Roepnaam', length: 80, value: (p) => p.callName },
    { id: 'Initials', fieldId: 'In', dataType: 'string', label: 'Voorletters', length: 15, value: (p) => p.initials },
    { id: 'Prefix', fieldId: 'Is', dataType: 'string', label: 'Voorvoegsel', length: 15, value: (p) => p.prefix },
    { id: 'LastName', fieldId: 'LaNm', dataType: 'string', label: 'Achternaam', length: 80, value: (p) => p.lastName },
    {
      id: 'PrefixBirthName',
      fieldId: 'IsBi',
      dataType: 'string',
      label: 'Voorv. geb.naam',
      length: 15,
      value: (p) => p.birthNamePrefix,
    },
    {
      id: 'BirthName',
      fieldId: 'NmBi',
      dataType: 'string',
      label: 'Geboortenaam',
      length: 80,
      value: (p) => p.birthName,
    },
    { id: 'Name', dataType: 'string', label: 'Naam', value: (p) => fullName(p) },
    {
      id: 'Gender',
      fieldId: 'ViGe',
      dataType: 'string',
      label: 'Geslacht',
      length: 20,
      lookup: true,
      value: (p) => p.gender,
    },
    { id: 'DateBirth', fieldId: 'DaBi', dataType: 'date', label: 'Geboortedatum', value: (p) => p.dateOfBirth },
    { id: 'BSN', fieldId: 'SoSe', dataType: 'string', label: 'BSN', length: 25, value: (p) => p.bsn },
    {
      id: 'Nationality',
      fieldId: 'PsNa',
      dataType: 'string',
      label: 'Nationaliteit',
      length: 20,
      lookup: true,
      value: (p) => p.nationality,
    },
    {
      id: 'MaritalStatus',
      fieldId: 'ViCs',
      dataType: 'string',
      label: 'Burgerlijke staat',
      length: 20,
      lookup: true,
      value: (p) => p.maritalStatus,
    },
    { id: 'MailWork', fieldId: 'EmAd', dataType: 'string', label: 'E-mail werk', value: (p) => p.mailWork },
    { id: 'MailPrivate', fieldId: 'EmA2', dataType: 'string', label: 'E-mail privé', value: (p) => p.mailPrivate },
    { id: 'TelWork', fieldId: 'TeNr', dataType: 'string', label: 'Telefoonnr. werk', value: (p) => p.phoneWork },
    { id: 'MobileWork', fieldId: 'MbNr', dataType: 'string', label: 'Mobiel werk', value: (p) => p.mobileWork },
    ...addressColumns<PersonRecord>((p) => p.addressId),
    { id: 'Note', fieldId: 'Re', dataType: 'string', label: 'Opmerking', length: 0, value: (p) => p.note },
    {
      id: 'MembershipNumber',
      fieldId: PERSON_CUSTOM_FIELD,
      dataType: 'string',
      label: 'Lidnummer personeelsvereniging',
      value: (p) => p.membershipNumber,
    },
    {
      id: 'ImageId',
      dataType: 'string',
      label: 'Foto',
      length: 32,
      value: (p, s) => s.personImages().get(p.bcCo) ?? null,
    },
    {
      id: 'IsEmployee',
      dataType: 'boolean',
      label: 'Medewerker',
      value: (p, s) => s.index.employeeByPerson.has(p.bcCo.toUpperCase()),
    },
    { id: 'CreateDate', dataType: 'date', label: 'Aangemaakt op', value: (p) => p.createDate },
    { id: 'ModifiedDate', dataType: 'date', label: 'Gewijzigd op', value: (p) => p.modifiedDate },
  ]);

  const employees = defineGetConnector('Profit_Employees', 'Medewerkers (klant)', (s) => s.data.employees, [
    {
      id: 'EmployeeId',
      fieldId: 'EmId',
      dataType: 'string',
      label: 'Medewerker',
      length: 15,
      lookup: true,
      value: (e) => e.employeeId,
    },
    {
      id: 'PersonId',
      fieldId: 'BcCo',
      dataType: 'string',
      label: 'Persoonsnummer',
      length: 15,
      lookup: true,
      value: (e) => e.personBcCo,
    },
    {
      id: 'EmployerId',
      fieldId: 'CmId',
      dataType: 'string',
      label: 'Werkgever',
      length: 15,
      lookup: true,
      value: (e) => e.employerId,
    },
    {
      id: 'Name',
      dataType: 'string',
      label: 'Naam',
      value: (e, s) => {
        const person = s.index.persons.get(e.personBcCo.toUpperCase());
        return person ? fullName(person) : null;
      },
    },
    {
      id: 'MailWork',
      fieldId: 'EmAd',
      dataType: 'string',
      label: 'E-mail werk',
      value: (e, s) => s.index.persons.get(e.personBcCo.toUpperCase())?.mailWork ?? null,
    },
    {
      id: 'FunctionId',
      fieldId: 'FuId',
      dataType: 'string',
      label: 'Functie',
      length: 10,
      lookup: true,
      value: (e) => e.functionCode,
    },
    {
      id: 'Function',
      dataType: 'string',
      label: 'Functie omschrijving',
      value: (e) => functionName.get(e.functionCode) ?? e.functionCode,
    },
    {
      id: 'DepartmentId',
      fieldId: 'DpId',
      dataType: 'string',
      label: 'Organisatorische eenheid',
      length: 10,
      lookup: true,
      value: (e) => e.departmentCode,
    },
    {
      id: 'Department',
      dataType: 'string',
      label: 'Organisatorische eenheid omschrijving',
      value: (e) => departmentName.get(e.departmentCode) ?? e.departmentCode,
    },
    { id: 'DvId', fieldId: 'EnSe', dataType: 'int', label: 'Dienstverband', value: (e) => e.employment },
    { id: 'DateInService', fieldId: 'DaBe', dataType: 'date', label: 'Datum in dienst', value: (e) => e.dateInService },
    {
      id: 'DateOutService',
      fieldId: 'DaEn',
      dataType: 'date',
      label: 'Datum uit dienst',
      value: (e) => e.dateOutService,
    },
    {
      id: 'HoursPerWeek',
      fieldId: 'HrWk',
      dataType: 'decimal',
      label: 'Uren per week',
      decimals: 2,
      value: (e) => decimal(e.hoursPerWeek),
    },
    {
      id: 'Salary',
      fieldId: 'EmSa',
      dataType: 'decimal',
      label: 'Salaris',
      decimals: 2,
      value: (e) => decimal(e.salary),
    },
    { id: 'HourlyRate', dataType: 'decimal', label: 'Uurloon', decimals: 4, value: (e) => decimal(e.hourlyRate) },
    { id: 'Iban', fieldId: 'Iban', dataType: 'string', label: 'IBAN', length: 40, value: salaryIban },
    { id: 'Blocked', fieldId: 'Bl', dataType: 'boolean', label: 'Geblokkeerd', value: (e) => e.blocked },
    {
      id: 'Active',
      dataType: 'boolean',
      label: 'Actief',
      value: (e) => e.dateOutService === null || e.dateOutService >= REFERENCE_DATE,
    },
    { id: 'CreateDate', dataType: 'date', label: 'Aangemaakt op', value: (e) => e.createDate },
    { id: 'ModifiedDate', dataType: 'date', label: 'Gewijzigd op', value: (e) => e.modifiedDate },
  ]);

  return [
    orgPer,
    address,
    organisations,
    persons,
    employees,
    projects,
    leaves,
    leaveBalance,
    subjects,
    attachments,
    ...createSetupGetConnectors(),
  ];
}

/**
 * The environment's set-up: administrations (fields, ids and labels exactly as the OAS metainfo example of
 * `Profit_Administrations`), the chart of accounts (the first two fields as get-connector.md's metainfo example of
 * `Profit_Accounts`) and functions (`Profit_Functions`, named in the OAS metainfo list).
 */
function createSetupGetConnectors(): GetConnectorDef[] {
  const administrations = defineGetConnector(
    'Profit_Administrations',
    'Administraties (Profit)',
    () => ADMINISTRATIONS,
    [
      {
        id: 'AdminId',
        fieldId: 'U002',
        dataType: 'int',
        label: 'Administratie',
        length: 3,
        lookup: true,
        value: (a) => a.id,
      },
      {
        id: 'AdminNm',
        fieldId: 'U001',
        dataType: 'string',
        label: 'Naam administratie',
        length: 80,
        value: (a) => a.name,
      },
      { id: 'AdminCd', fieldId: 'UnCo', dataType: 'string', label: 'Administratie', length: 10, value: (a) => a.code },
    ],
  );
  const accounts = defineGetConnector('Profit_Accounts', 'Grootboekrekeningen (Financieel)', () => ACCOUNTS, [
    { id: 'Account', dataType: 'string', label: 'Rekeningnummer', length: 16, lookup: true, value: (a) => a.account },
    { id: 'Description', dataType: 'string', label: 'Omschrijving', length: 50, value: (a) => a.description },
    { id: 'Type', dataType: 'string', label: 'Balans/W&V', length: 1, lookup: true, value: (a) => a.type },
    {
      id: 'TypeDescription',
      dataType: 'string',
      label: 'Balans/W&V omschrijving',
      length: 50,
      value: (a) => accountTypeName.get(a.type) ?? null,
    },
    { id: 'Blocked', dataType: 'boolean', label: 'Geblokkeerd', value: (a) => a.blocked },
  ]);
  const functions = defineGetConnector('Profit_Functions', 'Profit_Functions', () => FUNCTIONS, [
    {
      id: 'FunctionId',
      fieldId: 'FuId',
      dataType: 'string',
      label: 'Functie',
      length: 10,
      lookup: true,
      value: (f) => f.code,
    },
    { id: 'Description', fieldId: 'Ds', dataType: 'string', label: 'Omschrijving', length: 50, value: (f) => f.name },
  ]);
  return [administrations, accounts, functions];
}

const accountTypeName = new Map(ACCOUNT_TYPES);

/**
 * "Today" for derived values such as `Active`: a fixed date, so that rows do not change with the clock.
 * @default 2026-06-30
 */
export const REFERENCE_DATE = '2026-06-30T00:00:00';

/** The GUID-like id of the custom field on KnPerson (the one AFAS's custom-fields page shows). */
export const PERSON_CUSTOM_FIELD = 'UC2DE284248374B083C966F9B4EEEE9E2';

interface LeaveBalanceRow {
  readonly employeeId: string;
  readonly employerId: string | null;
  readonly leaveType: string;
  readonly year: number;
  readonly entitlement: number;
  readonly extraEntitlement: number;
  readonly startBalance: number;
  readonly taken: number;
}

/** Balances per employee, leave type and year: entitlements minus the hours booked in that year. */
function leaveBalanceRows(store: DemoStore): LeaveBalanceRow[] {
  const taken = new Map<string, number>();
  for (const leave of store.data.leaves) {
    const key = `${leave.employeeId.toUpperCase()}|${leave.leaveType}|${leave.start.slice(0, 4)}`;
    taken.set(key, (taken.get(key) ?? 0) + leave.hours);
  }
  return store.data.entitlements.map((e) => ({
    employeeId: e.employeeId,
    employerId: store.index.employees.get(e.employeeId.toUpperCase())?.employerId ?? null,
    leaveType: e.leaveType,
    year: e.year,
    entitlement: e.entitlement,
    extraEntitlement: e.extraEntitlement,
    startBalance: e.startBalance,
    taken: taken.get(`${e.employeeId.toUpperCase()}|${e.leaveType}|${e.year}`) ?? 0,
  }));
}

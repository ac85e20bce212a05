/**
 * KnEmployee (root object `AfasEmployee`): a minimal but real employee connector. A new employee needs a person
 * (a KnPerson sub-object, which may point to an existing person with MatchPer 0) and a contract (AfasContract)
 * with an existing employer (`CmId`). Function, schedule, salary and bank account sub-objects update the
 * employee's current values; the demo company keeps no history of them.
 */

import type { BankAccountRecord, EmployeeRecord } from '../data.js';
import { isValidIban } from '../iban.js';
import { DEPARTMENTS, FUNCTIONS } from '../names.js';
import type { DemoStore } from '../store.js';
import type { UpdateConnectorDef, UpdateElement } from '../types.js';
import { assign, bool, children, date, decimalText, field, lastResult, object, reject, text } from './common.js';
import { applyPerson, checkPerson, personObject } from './relations.js';

const functionCodes = new Set(FUNCTIONS.map((f) => f.code));
const departmentCodes = new Set(DEPARTMENTS.map((d) => d.code));

function hourlyRate(salary: string, hours: string): string {
  const h = Number(hours);
  return h > 0 ? ((Number(salary) * 3) / 13 / h).toFixed(4) : '0.0000';
}

function employeeOf(store: DemoStore, element: UpdateElement): EmployeeRecord | undefined {
  const id = text(element, 'EmId');
  return id ? store.index.employees.get(id.toUpperCase()) : undefined;
}

/**
 * AfasBankInfo rows by `AcId`, each with its `@Action` (update-connector.md's example turns one salary account
 * off and inserts another): `insert` adds a row (refused if the account exists), `update` changes one and
 * `delete` removes one (both refused if it does not). A row without `@Action` inherits the call's: a new
 * employee's rows are inserts, a PUT's updates, so a PUT without `@Action` can only change existing accounts.
 * Profit_Employees' `Iban` is the salary account's (`salaryIban`); unconfirmed: Profit's messages, and that it
 * refuses two salary accounts.
 */
function applyBankAccounts(employee: EmployeeRecord, rows: readonly UpdateElement[]): void {
  for (const row of rows) {
    const accountId = text(row, 'AcId') ?? text(row, 'Iban');
    if (!accountId)
      reject({
        nl: 'Een bankrekening heeft een rekeningnummer (AcId) nodig.',
        en: 'A bank account needs an account number (AcId).',
      });
    const index = employee.bankAccounts.findIndex((b) => b.accountId.toUpperCase() === accountId.toUpperCase());
    const action = row.action ?? 'insert';
    if (action === 'delete') {
      if (index < 0)
        reject({
          nl: `Bankrekening '${accountId}' bestaat niet bij medewerker ${employee.employeeId}.`,
          en: `Bank account '${accountId}' does not exist for employee ${employee.employeeId}.`,
        });
      employee.bankAccounts.splice(index, 1);
      continue;
    }
    if (action === 'insert' && index >= 0) {
      reject({
        nl: `Bankrekening '${accountId}' bestaat al bij medewerker ${employee.employeeId}.`,
        en: `Bank account '${accountId}' already exists for employee ${employee.employeeId}.`,
      });
    }
    if (action === 'update' && index < 0) {
      reject({
        nl: `Bankrekening '${accountId}' bestaat niet bij medewerker ${employee.employeeId}.`,
        en: `Bank account '${accountId}' does not exist for employee ${employee.employeeId}.`,
      });
    }
    const account: BankAccountRecord =
      index >= 0
        ? (employee.bankAccounts[index] as BankAccountRecord)
        : {
            accountId,
            iban: null,
            bic: null,
            salary: false,
            noBank: false,
            sequence: employee.bankAccounts.length + 1,
          };
    assign(account, 'iban', text(row, 'Iban'));
    if (action === 'insert' && account.iban === null && /^[A-Z]{2}\d{2}/i.test(accountId)) account.iban = accountId;
    assign(account, 'bic', text(row, 'Bic'));
    assign(account, 'salary', bool(row, 'SaAc'));
    assign(account, 'noBank', bool(row, 'NoBk'));
    const sequence = text(row, 'SeNo');
    if (sequence) account.sequence = Number(sequence);
    if (index < 0) employee.bankAccounts.push(account);
  }
  if (employee.bankAccounts.filter((b) => b.salary).length > 1) {
    reject({
      nl: `Medewerker ${employee.employeeId} heeft meer dan één salarisrekening.`,
      en: `Employee ${employee.employeeId} has more than one salary account.`,
    });
  }
}

function checkSubObjects(store: DemoStore, element: UpdateElement): void {
  for (const contract of children(element, 'AfasContract')) {
    const employer = text(contract, 'CmId');
    if (employer && !store.index.employers.has(employer.toUpperCase()))
      reject({ nl: `Werkgever '${employer}' bestaat niet.`, en: `Employer '${employer}' does not exist.` });
    const begin = date(contract, 'DaBe', 'Begindatum contract');
    const end = date(contract, 'DaEn', 'Einddatum contract');
    if (begin && end && end < begin)
      reject({
        nl: 'De einddatum van het contract ligt voor de begindatum.',
        en: 'The end date of the contract is before its start date.',
      });
  }
  for (const f of children(element, 'AfasOrgunitFunction')) {
    const fn = text(f, 'FuId');
    if (fn && !functionCodes.has(fn.toUpperCase()))
      reject({ nl: `Functie '${fn}' bestaat niet.`, en: `Function '${fn}' does not exist.` });
    const dp = text(f, 'DpId');
    if (dp && !departmentCodes.has(dp.toUpperCase()))
      reject({
        nl: `Organisatorische eenheid '${dp}' bestaat niet.`,
        en: `Organisational unit '${dp}' does not exist.`,
      });
  }
  for (const t of children(element, 'AfasTimeTable')) decimalText(t, 'HrWk', 2, 'Uren per week');
  for (const s of children(element, 'AfasSalary')) decimalText(s, 'EmSa', 2, 'Salaris');
  for (const b of children(element, 'AfasBankInfo')) {
    // With IbCk ("IBAN-controle") Profit checks the IBAN; the message is unconfirmed.
    const iban = text(b, 'Iban') ?? text(b, 'AcId');
    if (bool(b, 'IbCk') === true && iban && !isValidIban(iban))
      reject({ nl: `IBAN '${iban}' is ongeldig.`, en: `IBAN '${iban}' is not valid.` });
  }
}

export const knEmployee: UpdateConnectorDef = {
  id: 'KnEmployee',
  description: 'Medewerker',
  name: 'AfasEmployee',
  methods: ['POST', 'PUT'],
  fields: [
    field('EmId', 'string', 'Medewerker', { length: 15, key: true }),
    field('Bl', 'boolean', 'Geblokkeerd'),
    field('PsPv', 'string', 'Loonstrook beschikbaar stellen', { length: 1 }),
    field('YsPv', 'string', 'Jaaropgave beschikbaar stellen', { length: 1 }),
    field('EmAd', 'string', 'E-mail voor digitale documenten', { length: 1 }),
    field('SeAt', 'boolean', 'Bijlage beveiligen'),
    field('PwEm', 'string', 'Wachtwoord bijlage', { length: 50 }),
  ],
  objects: [
    personObject,
    object('AfasContract', [
      field('DaBe', 'date', 'Begindatum contract', { key: true }),
      field('DaEn', 'date', 'Einddatum contract'),
      field('ClId', 'string', 'Cao', { length: 15 }),
      field('WcId', 'string', 'Arbeidsvoorwaarde', { length: 15 }),
      field('ApCo', 'string', 'Type contract', { length: 1 }),
      field('CmId', 'string', 'Werkgever', { length: 15 }),
      field('EmMt', 'string', 'Type medewerker', { length: 3 }),
      field('ViEt', 'string', 'Dienstbetrekking', { length: 3 }),
    ]),
    object('AfasOrgunitFunction', [
      field('DaBe', 'date', 'Begindatum', { key: true }),
      field('DpId', 'string', 'Organisatorische eenheid', { length: 10 }),
      field('FuId', 'string', 'Functie', { length: 10 }),
      field('CcId', 'string', 'Kostendrager', { length: 15 }),
      field('CrId', 'string', 'Kostenplaats', { length: 15 }),
    ]),
    object('AfasTimeTable', [
      field('DaBg', 'date', 'Begindatum rooster', { key: true }),
      field('StPa', 'boolean', 'Wisselend arbeidspatroon'),
      field('HrWk', 'decimal', 'Uren per week', { decimals: 2 }),
      field('PcPt', 'decimal', 'Parttimepercentage', { decimals: 2 }),
    ]),
    object('AfasSalary', [
      field('DaBe', 'date', 'Begindatum salaris', { key: true }),
      field('SaPe', 'string', 'Soort salaris', { length: 1 }),
      field('EmSa', 'decimal', 'Salaris', { decimals: 2 }),
    ]),
    object('AfasBankInfo', [
      field('AcId', 'string', 'Rekeningnummer', { length: 40, key: true }),
      // A key with AcId: update-connector.md's @Action example sends it as `@NoBk` beside `@AcId`, so the XML form
      // (and the XSD) carries it as an Element attribute.
      field('NoBk', 'boolean', 'Geen bank', { key: true }),
      field('SeNo', 'int', 'Volgnummer'),
      field('SaAc', 'boolean', 'Salarisrekening'),
      field('IbCk', 'boolean', 'IBAN-controle'),
      field('Iban', 'string', 'IBAN', { length: 40 }),
      field('Bic', 'string', 'BIC', { length: 11 }),
    ]),
  ],
  check(method, elements, store) {
    const demo = store as DemoStore;
    for (const element of elements) {
      const existing = employeeOf(demo, element);
      const person = children(element, 'KnPerson')[0];
      if (!existing) {
        if (method !== 'POST')
          reject({
            nl: `Medewerker '${text(element, 'EmId') ?? ''}' bestaat niet.`,
            en: `Employee '${text(element, 'EmId') ?? ''}' does not exist.`,
          });
        if (!person)
          reject({
            nl: 'Een nieuwe medewerker heeft een persoon nodig (sub-object KnPerson).',
            en: 'A new employee needs a person (sub-object KnPerson).',
          });
        const contract = children(element, 'AfasContract')[0];
        if (!contract || !text(contract, 'DaBe') || !text(contract, 'CmId')) {
          reject({
            nl: 'Een nieuwe medewerker heeft een contract nodig met begindatum (DaBe) en werkgever (CmId).',
            en: 'A new employee needs a contract with a start date (DaBe) and an employer (CmId).',
          });
        }
      }
      if (person) {
        checkPerson(demo, person, true);
        const code = text(person, 'BcCo');
        const other = code ? demo.index.employeeByPerson.get(code.toUpperCase()) : undefined;
        if (other && other !== existing)
          reject({
            nl: `Persoon '${code}' is al medewerker ${other.employeeId}.`,
            en: `Person '${code}' is already employee ${other.employeeId}.`,
          });
      }
      checkSubObjects(demo, element);
    }
  },
  apply(_method, elements, store) {
    const demo = store as DemoStore;
    return lastResult(
      elements.map((element) => {
        const now = demo.now();
        let employee = employeeOf(demo, element);
        const personElement = children(element, 'KnPerson')[0];
        const person = personElement ? applyPerson(demo, personElement) : undefined;
        if (!employee) {
          const contract = children(element, 'AfasContract')[0];
          const numeric = demo.data.employees.map((e) => Number(e.employeeId)).filter(Number.isInteger);
          employee = {
            employeeId: text(element, 'EmId') ?? String(Math.max(5000000, ...numeric) + 1),
            personBcCo: person?.bcCo ?? '',
            employerId: (contract && text(contract, 'CmId')) ?? '1',
            employment: 1,
            functionCode: FUNCTIONS[0]?.code ?? 'ADV',
            departmentCode: DEPARTMENTS[0]?.code ?? 'DIR',
            dateInService: (contract && date(contract, 'DaBe')) ?? `${now.slice(0, 10)}T00:00:00`,
            dateOutService: null,
            hoursPerWeek: '40.00',
            salary: '0.00',
            hourlyRate: '0.0000',
            bankAccounts: [],
            blocked: false,
            createDate: now,
            modifiedDate: now,
          };
          demo.data.employees.push(employee);
        } else if (person) {
          employee.personBcCo = person.bcCo;
        }
        const e = employee;
        assign(e, 'blocked', bool(element, 'Bl'));
        for (const contract of children(element, 'AfasContract')) {
          const employer = text(contract, 'CmId');
          if (employer) e.employerId = demo.index.employers.get(employer.toUpperCase())?.employerId ?? employer;
          assign(e, 'dateOutService', date(contract, 'DaEn'));
        }
        for (const f of children(element, 'AfasOrgunitFunction')) {
          const fn = text(f, 'FuId');
          if (fn) e.functionCode = fn.toUpperCase();
          const dp = text(f, 'DpId');
          if (dp) e.departmentCode = dp.toUpperCase();
        }
        for (const t of children(element, 'AfasTimeTable')) {
          const hours = decimalText(t, 'HrWk', 2);
          if (hours) e.hoursPerWeek = hours;
        }
        for (const s of children(element, 'AfasSalary')) {
          const salary = decimalText(s, 'EmSa', 2);
          if (salary) e.salary = salary;
        }
        e.hourlyRate = hourlyRate(e.salary, e.hoursPerWeek);
        applyBankAccounts(e, children(element, 'AfasBankInfo'));
        e.modifiedDate = now;
        demo.changed();
        return { EmId: e.employeeId };
      }),
    );
  },
};

/** The pure halves of a write: validation (every issue, with its path and rule) and translation into a body. */
import { describe, expect, it } from 'vitest';
import '../../../src/model/write/index.js';
import {
  keyOfResult,
  toElement,
  validateInput,
  type WriteBinding,
  writeBindings,
} from '../../../src/graphql/write/index.js';
import { ProfitDecimal, stringifyUpdateBody, toUpdateBody } from '../../../src/profit/index.js';

const binding = (connector: string) => writeBindings().find((b) => b.connector === connector) as WriteBinding;

describe('toElement', () => {
  it('sends a PUT as the key and the given fields only; null clears a field with ""', () => {
    const leave = binding('HrAbsenceID');
    const element = toElement({ leaveId: '1724', minutesStart: 240, remark: null }, leave.shape, 'update');
    expect(stringifyUpdateBody(toUpdateBody('HrAbsenceID', element))).toBe(
      '{"HrAbsenceID":{"Element":{"Fields":{"Id":1724,"Re":"","DuBe":240}}}}',
    );
  });

  it('puts attribute keys on the element, constants first, sub-objects under Objects, enum codes as they are', () => {
    const person = binding('KnPerson');
    const element = toElement(
      { lastName: 'Visser', gender: 'V', address: { country: 'NL', houseNumber: 12 } },
      person.shape,
      'create',
      person.constants.create,
    );
    expect(element).toEqual({
      fields: { MatchPer: '7', AutoNum: true, LaNm: 'Visser', ViGe: 'V' },
      objects: { KnBasicAddressAdr: { fields: { CoId: 'NL', HmNr: 12 } } },
    });
    const subject = binding('KnSubject');
    expect(toElement({ dossierItemId: '54286', subject: 'x' }, subject.shape, 'update')).toEqual({
      keys: { SbId: 54286 },
      fields: { Ds: 'x' },
    });
  });

  // oas/organisaties-en-personen.json: AFAS's creates of a person or organisation that Profit numbers.
  it('creates with the match rule of AFAS’s create examples (always new) and updates by number', () => {
    const person = binding('KnPerson');
    const organisation = binding('KnOrganisation');
    expect(person.constants.create).toEqual({ MatchPer: '7', AutoNum: true });
    expect(person.constants.update).toEqual({ MatchPer: '0' });
    expect(organisation.constants.create).toEqual({ MatchOga: '6', AutoNum: true });
    expect(organisation.constants.update).toEqual({ MatchOga: '0' });
  });

  it('sends decimals as exact JSON numbers and nested constants (MatchPer of an employee’s person)', () => {
    const employee = binding('KnEmployee');
    const element = toElement(
      {
        person: { personId: '1000123' },
        contract: { startDate: '2026-02-01', employerId: '1' },
        salary: { amount: new ProfitDecimal('1234567890123456.78') },
      },
      employee.shape,
      'create',
    );
    expect(stringifyUpdateBody(toUpdateBody('KnEmployee', element))).toBe(
      '{"KnEmployee":{"Element":{"Objects":[{"KnPerson":{"Element":{"Fields":{"MatchPer":"0","BcCo":"1000123"}}}},' +
        '{"AfasContract":{"Element":{"Fields":{"DaBe":"2026-02-01","CmId":"1"}}}},' +
        '{"AfasSalary":{"Element":{"Fields":{"EmSa":1234567890123456.78}}}}]}}}',
    );
  });

  it('takes the written key from Profit’s results, else from the input', () => {
    const person = binding('KnPerson');
    expect(keyOfResult(person, ['personId'], { results: { KnPerson: { BcCo: '1000900' } } }, {})).toEqual(['1000900']);
    expect(keyOfResult(person, ['personId'], { results: {} }, { personId: '1000001' })).toEqual(['1000001']);
    expect(keyOfResult(person, ['personId'], { results: {} }, {})).toBeUndefined();
  });
});

describe('sub-object rows with an @Action', () => {
  it('writes AFAS’s example: the old salary account updated off, a new one inserted, in one element', () => {
    const employee = binding('KnEmployee');
    const element = toElement(
      {
        employeeId: '1234568774',
        bankAccounts: [
          {
            action: 'update',
            accountNumber: 'NL57RABO0312000111',
            noBank: false,
            sequence: 3,
            salaryAccount: false,
            iban: 'NL57RABO0312000111',
          },
          {
            action: 'insert',
            accountNumber: 'NL40BOTK0755026802',
            noBank: false,
            salaryAccount: true,
            checkIban: true,
            iban: 'NL40BOTK0755026802',
          },
        ],
      },
      employee.shape,
      'update',
    );
    // The shape of update-connector.md's example (its main element's "@Action": "update" is what a PUT says).
    expect(employee.root).toBe('AfasEmployee');
    expect(JSON.parse(stringifyUpdateBody(toUpdateBody(employee.root, element)))).toEqual({
      AfasEmployee: {
        Element: {
          '@EmId': '1234568774',
          Objects: [
            {
              AfasBankInfo: {
                Element: [
                  {
                    '@AcId': 'NL57RABO0312000111',
                    '@NoBk': false,
                    Fields: { '@Action': 'update', Iban: 'NL57RABO0312000111', SaAc: false, SeNo: 3 },
                  },
                  {
                    '@AcId': 'NL40BOTK0755026802',
                    '@NoBk': false,
                    Fields: { '@Action': 'insert', Iban: 'NL40BOTK0755026802', SaAc: true, IbCk: true },
                  },
                ],
              },
            },
          ],
        },
      },
    });
  });

  it('asks only the key of a row to UPDATE or DELETE, and what a new row needs otherwise', () => {
    const employee = binding('KnEmployee');
    const updateKeys = new Set(['EmId']);
    const check = (account: Record<string, unknown>) =>
      validateInput({ employeeId: 'E1', bankAccounts: [account] }, employee.shape, 'update', ['input'], { updateKeys });
    expect(check({ action: 'delete', accountNumber: 'NL57RABO0312000111' })).toEqual([]);
    expect(check({ action: 'update', salaryAccount: false })).toEqual([
      {
        path: ['input', 'bankAccounts', 0, 'accountNumber'],
        rule: 'mandatory',
        message: 'input.bankAccounts[0].accountNumber is required (Profit field AcId)',
      },
    ]);
  });
});

describe('validateInput', () => {
  it('collects every issue, with paths into nested lists', () => {
    const subject = binding('KnSubject');
    const issues = validateInput(
      { typeId: 4, subject: '', attachments: [{ fileName: 'a.txt', data: 'QUJD' }, { fileName: 'x'.repeat(256) }] },
      subject.shape,
      'create',
      ['input'],
    );
    expect(issues.map((i) => [i.path, i.rule])).toEqual([
      [['input', 'subject'], 'mandatory'],
      [['input', 'attachments', 1, 'fileName'], 'max-length'],
    ]);
  });

  it('counts length in UTF-16 code units, as Profit (.NET) does', () => {
    const person = binding('KnPerson');
    const ok = validateInput({ lastName: 'x', initials: '😀'.repeat(7) }, person.shape, 'create', ['input']);
    expect(ok).toEqual([]);
    const tooLong = validateInput({ lastName: 'x', initials: '😀'.repeat(8) }, person.shape, 'create', ['input']);
    expect(tooLong).toEqual([
      {
        path: ['input', 'initials'],
        rule: 'max-length',
        message: 'input.initials must be at most 15 characters, got 16',
      },
    ]);
  });

  it('requires the key on update, and nothing else', () => {
    const leave = binding('HrAbsenceID');
    const updateKeys = new Set(['Id']);
    expect(validateInput({ hours: 3 }, leave.shape, 'update', ['input'], { updateKeys })).toEqual([
      { path: ['input', 'leaveId'], rule: 'mandatory', message: 'input.leaveId is required (Profit field Id)' },
    ]);
    expect(validateInput({ leaveId: '12', hours: 3 }, leave.shape, 'update', ['input'], { updateKeys })).toEqual([]);
    expect(validateInput({ leaveId: 'x' }, leave.shape, 'update', ['input'], { updateKeys })).toEqual([
      { path: ['input', 'leaveId'], rule: 'integer', message: 'input.leaveId must be a whole number, got "x"' },
    ]);
  });

  it('checks decimals on the exact text, never through a float', () => {
    const project = binding('PtProject');
    const at = (v: string) =>
      validateInput({ projectGroup: 'CON', contractSum: new ProfitDecimal(v) }, project.shape, 'create', ['input']);
    expect(at('0.10')).toEqual([]);
    expect(at('99999999999999999.99')).toEqual([]);
    expect(at('0.001').map((i) => i.rule)).toEqual(['decimals']);
  });
});

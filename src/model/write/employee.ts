/**
 * KnEmployee (body root AfasEmployee): create an employee for a new or an existing person with a contract, and
 * change simple fields, function, schedule, salary and bank accounts. KnEmployee offers no DELETE.
 */
import { ElementAction, Input, Nested, Writes } from '../../graphql/write/index.js';
import { Employee } from '../employee.js';
import { PersonFields } from './person.js';

/**
 * The person of a new employee: `personId` of an existing person (Profit finds it by number), or the fields of a
 * new one (then no `personId`: Profit numbers the person).
 */
export class EmployeePersonInput extends PersonFields {
  @Input('BcCo', 'string', { length: 15, key: true, description: 'An existing person number.' })
  personId?: string | null;

  @Input('LaNm', 'string', { length: 80, description: 'Needed for a new person (without personId).' })
  declare lastName?: string | null;
}

export class EmploymentContractInput {
  @Input('DaBe', 'date', { key: true, requiredOnCreate: true, description: 'Start of the contract.' })
  startDate?: string | null;

  @Input('DaEn', 'date')
  endDate?: string | null;

  @Input('CmId', 'string', { length: 15, requiredOnCreate: true, description: 'The employer code.' })
  employerId?: string | null;

  @Input('ClId', 'string', { length: 15, description: 'Collective labour agreement (cao).' })
  collectiveAgreementId?: string | null;

  @Input('ApCo', 'string', { length: 1, description: 'Contract type.' })
  contractType?: string | null;

  @Input('EmMt', 'string', { length: 3, description: 'Employee type.' })
  employeeType?: string | null;
}

export class EmployeeFunctionInput {
  @Input('DaBe', 'date', { key: true, description: 'From when.' })
  startDate?: string | null;

  @Input('DpId', 'string', { length: 10, description: 'The department (organisational unit).' })
  departmentId?: string | null;

  @Input('FuId', 'string', { length: 10 })
  functionId?: string | null;

  @Input('CrId', 'string', { length: 15, description: 'Cost centre.' })
  costCentreId?: string | null;
}

export class EmployeeScheduleInput {
  @Input('DaBg', 'date', { key: true, description: 'From when.' })
  startDate?: string | null;

  @Input('HrWk', 'decimal', { decimals: 2 })
  hoursPerWeek?: unknown;

  @Input('PcPt', 'decimal', { decimals: 2 })
  partTimePercentage?: unknown;

  @Input('StPa', 'boolean', { description: 'A changing work pattern.' })
  variablePattern?: boolean | null;
}

export class EmployeeSalaryInput {
  @Input('DaBe', 'date', { key: true, description: 'From when.' })
  startDate?: string | null;

  @Input('SaPe', 'string', { length: 1, description: 'Kind of salary.' })
  kind?: string | null;

  @Input('EmSa', 'decimal', { decimals: 2 })
  amount?: unknown;
}

/**
 * A bank account of the employee; the salary account is where pay goes. With `action` an update changes existing
 * accounts in the same call, as AFAS's example does: `UPDATE` the old salary account to `salaryAccount: false` and
 * `INSERT` the new one.
 */
export class EmployeeBankAccountInput {
  @ElementAction()
  action?: 'insert' | 'update' | 'delete' | null;

  @Input('AcId', 'string', {
    length: 40,
    key: true,
    attribute: true,
    description: 'The account number (for an IBAN account, the IBAN itself).',
  })
  accountNumber?: string | null;

  @Input('Iban', 'string', { length: 40 })
  iban?: string | null;

  @Input('Bic', 'string', { length: 11 })
  bic?: string | null;

  @Input('SaAc', 'boolean', { description: 'The account the salary is paid into.' })
  salaryAccount?: boolean | null;

  @Input('IbCk', 'boolean', { description: 'Let Profit check the IBAN (its checksum); an invalid one is refused.' })
  checkIban?: boolean | null;

  @Input('NoBk', 'boolean', { attribute: true, description: 'Paid without a bank (cash or cheque).' })
  noBank?: boolean | null;

  @Input('SeNo', 'int', { description: 'Sequence number among the employee’s accounts.' })
  sequence?: number | null;
}

@Writes({
  connector: 'KnEmployee',
  // As AFAS's KnEmployee examples (update-connector.md, howto-medewerker-ad.md) write the body.
  root: 'AfasEmployee',
  entity: () => Employee,
  key: { employeeId: 'EmId' },
  operations: ['create', 'update'],
})
export class EmployeeWrite {
  @Input('EmId', 'string', {
    length: 15,
    key: true,
    attribute: true,
    description: 'The employee number; on create, leave it out to let Profit number the employee.',
  })
  employeeId?: string | null;

  @Input('Bl', 'boolean')
  blocked?: boolean | null;

  @Nested('KnPerson', () => EmployeePersonInput, {
    on: ['create'],
    requiredOnCreate: true,
    // Find the person by number; without one nothing matches and Profit adds the person.
    constants: { MatchPer: '0' },
  })
  person?: EmployeePersonInput;

  @Nested('AfasContract', () => EmploymentContractInput, { on: ['create'], requiredOnCreate: true })
  contract?: EmploymentContractInput;

  @Nested('AfasOrgunitFunction', () => EmployeeFunctionInput)
  function?: EmployeeFunctionInput | null;

  @Nested('AfasTimeTable', () => EmployeeScheduleInput)
  schedule?: EmployeeScheduleInput | null;

  @Nested('AfasSalary', () => EmployeeSalaryInput)
  salary?: EmployeeSalaryInput | null;

  @Nested('AfasBankInfo', () => EmployeeBankAccountInput, { list: true })
  bankAccounts?: EmployeeBankAccountInput[] | null;
}

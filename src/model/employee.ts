/** Employees (`Profit_Employees`, a customer-built GetConnector over KnEmployee). */

import { Bound, Entity, Relation } from '../graphql/binding.js';
import type { Connection } from '../graphql/connection.js';
import type { ProfitDecimal } from '../profit/index.js';
import { DossierItem } from './dossier-item.js';
import { Leave } from './leave.js';
import { Organisation } from './organisation.js';
import { Person } from './person.js';

@Entity({ connector: 'Profit_Employees', key: ['employeeId'], description: 'An employee (employment record).' })
export class Employee {
  @Bound('EmployeeId', 'string')
  employeeId!: string;

  @Bound('PersonId', 'string', { description: 'The person number (BcCo).' })
  personId!: string | null;

  @Bound('EmployerId', 'string', { description: 'The employer code.' })
  employerId!: string | null;

  @Bound('Name', 'string')
  name!: string | null;

  @Bound('MailWork', 'string')
  mailWork!: string | null;

  @Bound('FunctionId', 'string')
  functionId!: string | null;

  @Bound('Function', 'string')
  function!: string | null;

  @Bound('DepartmentId', 'string')
  departmentId!: string | null;

  @Bound('Department', 'string')
  department!: string | null;

  @Bound('DvId', 'int', { description: 'The employment (dienstverband) number.' })
  employment!: number | null;

  // Days. *Unconfirmed*: AFAS's OpenAPI files lack KnEmployee; its relations' DaBe / DaEn are `format: date`
  // (organisaties-en-personen.json) and AFAS filters an employment's start by a midnight (howto-medewerker-ad.md).
  @Bound('DateInService', 'date')
  dateInService!: string | null;

  @Bound('DateOutService', 'date')
  dateOutService!: string | null;

  @Bound('HoursPerWeek', 'decimal')
  hoursPerWeek!: ProfitDecimal | number | null;

  @Bound('Salary', 'decimal', { description: 'Null when the app connector withholds pay data.' })
  salary!: ProfitDecimal | number | null;

  @Bound('HourlyRate', 'decimal')
  hourlyRate!: ProfitDecimal | number | null;

  @Bound('Iban', 'string')
  iban!: string | null;

  @Bound('Blocked', 'boolean')
  blocked!: boolean | null;

  @Bound('Active', 'boolean')
  active!: boolean | null;

  @Bound('CreateDate', 'datetime')
  createdAt!: Date | null;

  @Bound('ModifiedDate', 'datetime')
  modifiedAt!: Date | null;

  @Relation(() => Person, { on: { personId: 'personId' } })
  person?: Person | null;

  @Relation(() => Organisation, { on: { employerId: 'employerId' }, description: 'The employer organisation.' })
  employer?: Organisation | null;

  @Relation(() => Leave, { on: { employeeId: 'employeeId' }, list: true })
  leaves?: Connection<Leave> | null;

  @Relation(() => DossierItem, {
    on: { personId: 'relationCode' },
    list: true,
    description: "Dossier items linked to the employee's person.",
  })
  dossierItems?: Connection<DossierItem> | null;
}

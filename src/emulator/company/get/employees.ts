/**
 * `Profit_Employees` (customer-built): the employee with its person's name and mail, function and department
 * descriptions, pay (Salary, HourlyRate, Iban: the fields the HR app connector withholds) and whether still active.
 */
import { salaryIban } from '../data.js';
import { DEPARTMENTS, FUNCTIONS } from '../names.js';
import { defineRows } from './rows.js';
import { decimal, fullName, REFERENCE_DATE } from './shared.js';

const functionName = new Map(FUNCTIONS.map((f) => [f.code, f.name]));
const departmentName = new Map(DEPARTMENTS.map((d) => [d.code, d.name]));

export const employeeRows = defineRows((s) => s.data.employees, {
  EmployeeId: (e) => e.employeeId,
  PersonId: (e) => e.personBcCo,
  EmployerId: (e) => e.employerId,
  Name: (e, s) => {
    const person = s.index.persons.get(e.personBcCo.toUpperCase());
    return person ? fullName(person) : null;
  },
  MailWork: (e, s) => s.index.persons.get(e.personBcCo.toUpperCase())?.mailWork ?? null,
  FunctionId: (e) => e.functionCode,
  Function: (e) => functionName.get(e.functionCode) ?? e.functionCode,
  DepartmentId: (e) => e.departmentCode,
  Department: (e) => departmentName.get(e.departmentCode) ?? e.departmentCode,
  DvId: (e) => e.employment,
  DateInService: (e) => e.dateInService,
  DateOutService: (e) => e.dateOutService,
  HoursPerWeek: (e) => decimal(e.hoursPerWeek),
  Salary: (e) => decimal(e.salary),
  HourlyRate: (e) => decimal(e.hourlyRate),
  Iban: salaryIban,
  Blocked: (e) => e.blocked,
  Active: (e) => e.dateOutService === null || e.dateOutService >= REFERENCE_DATE,
  CreateDate: (e) => e.createDate,
  ModifiedDate: (e) => e.modifiedDate,
});

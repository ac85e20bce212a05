/**
 * The write model: one declaration per UpdateConnector (`@Writes`), from which the mutations are generated.
 * Importing this module registers them all; adding an UpdateConnector means adding its file and a line here.
 */
export { AddressInput } from './address.js';
export { DossierItemFileInput, DossierItemLinkInput, DossierItemWrite } from './dossier-item.js';
export {
  EmployeeFunctionInput,
  EmployeePersonInput,
  EmployeeSalaryInput,
  EmployeeScheduleInput,
  EmployeeWrite,
  EmploymentContractInput,
} from './employee.js';
export { LeaveWrite } from './leave.js';
export { OrganisationWrite } from './organisation.js';
export { PersonFields, PersonWrite } from './person.js';
export { ProjectWrite } from './project.js';

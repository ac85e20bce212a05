/**
 * The demo company's tables as plain data: strings, numbers, booleans and null only, so that a snapshot is one
 * `structuredClone`. Decimals are kept as their text (e.g. `"4123.45"`) and turned into `Decimal` cells by the
 * GetConnectors; datetimes are Amsterdam wall-clock text `YYYY-MM-DDTHH:mm:ss`.
 */

export interface AddressRecord {
  id: number;
  country: string;
  poBox: boolean;
  streetAddition: string | null;
  street: string | null;
  houseNumber: number | null;
  houseNumberAddition: string | null;
  zipCode: string | null;
  city: string | null;
  addition: string | null;
  createDate: string;
  modifiedDate: string;
}

export interface OrganisationRecord {
  bcId: number;
  bcCo: string;
  name: string;
  searchName: string | null;
  cocNumber: string | null;
  legalForm: string | null;
  phone: string | null;
  mail: string | null;
  homepage: string | null;
  note: string | null;
  /** Annual revenue, decimal text. */
  revenue: string | null;
  addressId: number | null;
  postAddressId: number | null;
  /** Set for organisations that are an employer in the payroll: the employer code. */
  employerId: string | null;
  blocked: boolean;
  createDate: string;
  modifiedDate: string;
}

export interface PersonRecord {
  bcId: number;
  bcCo: string;
  firstName: string | null;
  callName: string | null;
  initials: string | null;
  prefix: string | null;
  lastName: string;
  birthNamePrefix: string | null;
  birthName: string | null;
  gender: string;
  dateOfBirth: string | null;
  bsn: string | null;
  nationality: string | null;
  maritalStatus: string | null;
  mailWork: string | null;
  mailPrivate: string | null;
  phoneWork: string | null;
  mobileWork: string | null;
  addressId: number | null;
  postAddressId: number | null;
  note: string | null;
  /** The custom field `UC2DE284248374B083C966F9B4EEEE9E2` (membership number of the staff association). */
  membershipNumber: string | null;
  createDate: string;
  modifiedDate: string;
}

export interface EmployeeRecord {
  employeeId: string;
  /** The person (BcCo). */
  personBcCo: string;
  /** Employer code (an organisation with this `employerId`). */
  employerId: string;
  employment: number;
  functionCode: string;
  departmentCode: string;
  dateInService: string;
  dateOutService: string | null;
  hoursPerWeek: string;
  salary: string;
  hourlyRate: string;
  /** AfasBankInfo rows, by account id (`AcId`); Profit_Employees' `Iban` is the salary account's (`salaryIban`). */
  bankAccounts: BankAccountRecord[];
  blocked: boolean;
  createDate: string;
  modifiedDate: string;
}

export interface BankAccountRecord {
  /** `AcId`: the account number (an IBAN for IBAN accounts). */
  accountId: string;
  iban: string | null;
  bic: string | null;
  /** `SaAc`: the salary is paid into this account. */
  salary: boolean;
  /** `NoBk`: paid without a bank. */
  noBank: boolean;
  /** `SeNo`. */
  sequence: number;
}

export interface ProjectRecord {
  projectId: string;
  description: string;
  unitId: number;
  projectGroup: string;
  completed: boolean;
  bcCo: string | null;
  debtorId: string | null;
  managerId: string | null;
  dateStart: string | null;
  datePlannedReady: string | null;
  dateReady: string | null;
  chargeable: boolean;
  status: string | null;
  contractSum: string | null;
  remark: string | null;
  addressId: number | null;
  stages: { id: string; description: string; dateStart: string | null; completed: boolean }[];
  createDate: string;
  modifiedDate: string;
}

export type SubjectLinkKind = 'organisation' | 'person' | 'employee' | 'employer' | 'project' | 'other';

export interface SubjectLinkRecord {
  kind: SubjectLinkKind;
  /** BcCo of the organisation/person (for an employee: the employee's person). */
  bcCo: string | null;
  employeeId: string | null;
  employerId: string | null;
  projectId: string | null;
  /** For links to things the demo company does not model (applicants, invoices…): type and id as given. */
  destinationType: string | null;
  destinationId: string | null;
}

export interface AttachmentRecord {
  attachmentId: number;
  fileId: string;
  fileName: string;
  fileSize: number;
}

export interface SubjectRecord {
  subjectId: number;
  type: number;
  submitted: string;
  subject: string;
  memo: string | null;
  status: string | null;
  number: number | null;
  feature1: number | null;
  feature2: number | null;
  feature3: number | null;
  senderId: string | null;
  completed: boolean;
  links: SubjectLinkRecord[];
  attachments: AttachmentRecord[];
  /** Free fields of custom sub-objects such as KnS04, by field id. */
  custom: Record<string, string | number | boolean | null>;
}

export interface LeaveRecord {
  id: number;
  employeeId: string;
  employment: number;
  leaveType: string;
  reason: string | null;
  start: string;
  end: string;
  hours: number;
  partial: boolean;
  minutesStart: number | null;
  minutesEnd: number | null;
  remark: string | null;
  substituteId: string | null;
  modifiedDate: string;
}

export interface LeaveEntitlementRecord {
  employeeId: string;
  leaveType: string;
  year: number;
  entitlement: number;
  extraEntitlement: number;
  startBalance: number;
}

/** A Profit user (KnUser). `group` is the authorisation group the user was last added to, if any. */
export interface UserRecord {
  userId: string;
  name: string;
  personBcCo: string | null;
  groups: string[];
  email: string | null;
  upn: string | null;
  profitWindows: boolean;
  inSite: boolean;
  outSite: boolean;
  language: string | null;
  blocked: boolean;
  modifiedDate: string;
}

export interface AppointmentLineRecord {
  inviteeId: number;
  userId: string | null;
  contactId: number | null;
  owner: boolean;
  presence: string | null;
}

/** An agenda appointment (KnAppointment). Datetimes are Amsterdam wall-clock text. */
export interface AppointmentRecord {
  appointmentId: number;
  subject: string;
  body: string | null;
  from: string;
  till: string;
  type: number | null;
  locationId: string | null;
  locationText: string | null;
  technicalType: string | null;
  personal: boolean;
  subjectId: number | null;
  recurring: boolean;
  recurrenceEnd: string | null;
  lines: AppointmentLineRecord[];
  /** Free fields by field id (e.g. the GUID-like custom field of AFAS's PUT example). */
  custom: Record<string, string | number | boolean | null>;
}

export interface EntryLineRecord {
  /** Kenmerk rekening: 1 ledger account, 2 debtor, 3 creditor. */
  accountKind: string;
  account: string;
  description: string | null;
  /** Decimal text with two decimals. */
  debit: string;
  credit: string;
}

/** A financial entry (journaalpost) of one journal in one administration (FiEntries). */
export interface EntryRecord {
  unitId: number;
  journal: string;
  entryNo: number;
  invoiceId: string | null;
  date: string;
  year: number;
  period: number;
  lines: EntryLineRecord[];
}

/** A vehicle of the mobility registration (HrMobility) with its mileage readings, oldest first. */
export interface VehicleRecord {
  vehicleId: number;
  employeeId: string;
  description: string;
  readings: { date: string; km: number }[];
}

export interface CompanyData {
  addresses: AddressRecord[];
  organisations: OrganisationRecord[];
  persons: PersonRecord[];
  employees: EmployeeRecord[];
  projects: ProjectRecord[];
  subjects: SubjectRecord[];
  leaves: LeaveRecord[];
  entitlements: LeaveEntitlementRecord[];
  users: UserRecord[];
  appointments: AppointmentRecord[];
  entries: EntryRecord[];
  vehicles: VehicleRecord[];
  /**
   * Next values of Profit's counters. `tick` counts writes: a write's timestamp is the reference moment plus that
   * many seconds, so that even modification dates are reproducible.
   */
  next: {
    bcId: number;
    bcCo: number;
    addressId: number;
    subjectId: number;
    attachmentId: number;
    leaveId: number;
    appointmentId: number;
    tick: number;
  };
}

/** The employee's IBAN as Profit_Employees shows it: the salary account's, or null without one. */
export function salaryIban(employee: EmployeeRecord): string | null {
  const account = employee.bankAccounts.find((b) => b.salary);
  return account ? (account.iban ?? account.accountId) : null;
}

/** One salary account with this IBAN (an account's id is its IBAN), the way the demo company starts out. */
export function salaryAccount(iban: string): BankAccountRecord {
  return { accountId: iban, iban, bic: null, salary: true, noBank: false, sequence: 1 };
}

/** Makes the account with this IBAN the employee's only salary account, adding it when the employee has none such. */
export function makeSalaryAccount(employee: EmployeeRecord, iban: string): void {
  for (const b of employee.bankAccounts) b.salary = false;
  const known = employee.bankAccounts.find((b) => b.accountId.toUpperCase() === iban.toUpperCase());
  if (known) known.salary = true;
  else employee.bankAccounts.push({ ...salaryAccount(iban), sequence: employee.bankAccounts.length + 1 });
}

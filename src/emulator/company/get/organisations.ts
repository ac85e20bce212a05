/**
 * `Profit_Organisations` (customer-built, field ids modelled on the standard connectors).
 */
import type { OrganisationRecord } from '../data.js';
import { visitingAddressValues } from './address.js';
import { defineRows } from './rows.js';
import { decimal } from './shared.js';

export const organisationRows = defineRows((s) => s.data.organisations, {
  BcCo: (o) => o.bcCo,
  Name: (o) => o.name,
  SearchName: (o) => o.searchName,
  ChOfCommNr: (o) => o.cocNumber,
  LegalForm: (o) => o.legalForm,
  ...visitingAddressValues<OrganisationRecord>((o) => o.addressId),
  TelWork: (o) => o.phone,
  MailWork: (o) => o.mail,
  Homepage: (o) => o.homepage,
  Note: (o) => o.note,
  Revenue: (o) => decimal(o.revenue),
  IsEmployer: (o) => o.employerId !== null,
  EmployerId: (o) => o.employerId,
  Blocked: (o) => o.blocked,
  CreateDate: (o) => o.createDate,
  ModifiedDate: (o) => o.modifiedDate,
});

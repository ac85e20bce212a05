/**
 * `Profit_Persons` (customer-built, field ids modelled on the standard connectors). `MembershipNumber` is the
 * KnPerson custom field (its `fieldId` in metainfo.json is PERSON_CUSTOM_FIELD).
 */
import type { PersonRecord } from '../data.js';
import { visitingAddressValues } from './address.js';
import { defineRows } from './rows.js';
import { fullName } from './shared.js';

export const personRows = defineRows((s) => s.data.persons, {
  BcCo: (p) => p.bcCo,
  FirstName: (p) => p.firstName,
  CallName: (p) => p.callName,
  Initials: (p) => p.initials,
  Prefix: (p) => p.prefix,
  LastName: (p) => p.lastName,
  PrefixBirthName: (p) => p.birthNamePrefix,
  BirthName: (p) => p.birthName,
  Name: (p) => fullName(p),
  Gender: (p) => p.gender,
  DateBirth: (p) => p.dateOfBirth,
  BSN: (p) => p.bsn,
  Nationality: (p) => p.nationality,
  MaritalStatus: (p) => p.maritalStatus,
  MailWork: (p) => p.mailWork,
  MailPrivate: (p) => p.mailPrivate,
  TelWork: (p) => p.phoneWork,
  MobileWork: (p) => p.mobileWork,
  ...visitingAddressValues<PersonRecord>((p) => p.addressId),
  Note: (p) => p.note,
  MembershipNumber: (p) => p.membershipNumber,
  ImageId: (p, s) => s.personImages().get(p.bcCo) ?? null,
  IsEmployee: (p, s) => s.index.employeeByPerson.has(p.bcCo.toUpperCase()),
  CreateDate: (p) => p.createDate,
  ModifiedDate: (p) => p.modifiedDate,
});

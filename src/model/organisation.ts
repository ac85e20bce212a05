/** Organisations (`Profit_Organisations`, a customer-built GetConnector over KnOrganisation). */

import { Bound, Entity, Relation } from '../graphql/binding.js';
import type { Connection } from '../graphql/connection.js';
import type { ProfitDecimal } from '../profit/index.js';
import { DossierItem } from './dossier-item.js';
import { Employee } from './employee.js';
import { Project } from './project.js';

@Entity({ connector: 'Profit_Organisations', key: ['organisationId'], description: 'An organisation (relation).' })
export class Organisation {
  @Bound('BcCo', 'string', { description: 'The organisation number (BcCo).' })
  organisationId!: string;

  @Bound('Name', 'string')
  name!: string | null;

  @Bound('SearchName', 'string')
  searchName!: string | null;

  @Bound('ChOfCommNr', 'string', { description: 'Chamber of Commerce (KvK) number.' })
  chamberOfCommerceNumber!: string | null;

  @Bound('LegalForm', 'string')
  legalForm!: string | null;

  @Bound('AddressLine1', 'string')
  addressLine1!: string | null;

  @Bound('AddressLine3', 'string')
  addressLine3!: string | null;

  @Bound('Street', 'string')
  street!: string | null;

  @Bound('HouseNumber', 'int')
  houseNumber!: number | null;

  @Bound('HouseNumberAdd', 'string')
  houseNumberAddition!: string | null;

  @Bound('ZipCode', 'string')
  zipCode!: string | null;

  @Bound('City', 'string')
  city!: string | null;

  @Bound('Country', 'string')
  country!: string | null;

  @Bound('TelWork', 'string')
  phoneWork!: string | null;

  @Bound('MailWork', 'string')
  mailWork!: string | null;

  @Bound('Homepage', 'string')
  homepage!: string | null;

  @Bound('Note', 'string', { sortable: false })
  note!: string | null;

  @Bound('Revenue', 'decimal')
  revenue!: ProfitDecimal | number | null;

  @Bound('IsEmployer', 'boolean')
  isEmployer!: boolean | null;

  @Bound('EmployerId', 'string', { description: 'The employer code, for organisations that are an employer.' })
  employerId!: string | null;

  @Bound('Blocked', 'boolean')
  blocked!: boolean | null;

  @Bound('CreateDate', 'datetime')
  createdAt!: Date | null;

  @Bound('ModifiedDate', 'datetime')
  modifiedAt!: Date | null;

  @Relation(() => Employee, { on: { employerId: 'employerId' }, list: true, description: 'Its employees.' })
  employees?: Connection<Employee> | null;

  @Relation(() => Project, { on: { organisationId: 'organisationId' }, list: true })
  projects?: Connection<Project> | null;

  @Relation(() => DossierItem, { on: { organisationId: 'relationCode' }, list: true })
  dossierItems?: Connection<DossierItem> | null;
}

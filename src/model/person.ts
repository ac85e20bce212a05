/** Persons (`Profit_Persons`, a customer-built GetConnector over KnPerson). */
import { Bound, Entity, Relation } from '../graphql/binding.js';
import type { Connection } from '../graphql/connection.js';
import { DossierItem } from './dossier-item.js';
import { Employee } from './employee.js';

@Entity({ connector: 'Profit_Persons', key: ['personId'], description: 'A person (relation).' })
export class Person {
  @Bound('BcCo', 'string', { description: 'The person number (BcCo).' })
  personId!: string;

  @Bound('FirstName', 'string')
  firstName!: string | null;

  @Bound('CallName', 'string')
  callName!: string | null;

  @Bound('Initials', 'string')
  initials!: string | null;

  @Bound('Prefix', 'string')
  prefix!: string | null;

  @Bound('LastName', 'string')
  lastName!: string | null;

  @Bound('Name', 'string', { description: 'First name, prefix and last name.' })
  name!: string | null;

  @Bound('Gender', 'string')
  gender!: string | null;

  // A day: KnPerson's DaBi is `format: date` (organisaties-en-personen.json).
  @Bound('DateBirth', 'date')
  dateOfBirth!: string | null;

  @Bound('BSN', 'string', { description: 'Citizen service number (BSN).' })
  bsn!: string | null;

  @Bound('Nationality', 'string')
  nationality!: string | null;

  @Bound('MaritalStatus', 'string')
  maritalStatus!: string | null;

  @Bound('MailWork', 'string')
  mailWork!: string | null;

  @Bound('MailPrivate', 'string')
  mailPrivate!: string | null;

  @Bound('TelWork', 'string')
  phoneWork!: string | null;

  @Bound('MobileWork', 'string')
  mobileWork!: string | null;

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

  @Bound('Note', 'string', { sortable: false })
  note!: string | null;

  @Bound('ImageId', 'string', { description: 'The photo, for the ImageConnector.' })
  imageId!: string | null;

  @Bound('IsEmployee', 'boolean')
  isEmployee!: boolean | null;

  @Bound('CreateDate', 'datetime')
  createdAt!: Date | null;

  @Bound('ModifiedDate', 'datetime')
  modifiedAt!: Date | null;

  @Relation(() => Employee, {
    on: { personId: 'personId' },
    description: 'The employee this person is (the first by employee id, if there are several).',
  })
  employee?: Employee | null;

  @Relation(() => Employee, { on: { personId: 'personId' }, list: true, description: 'Every employee record.' })
  employees?: Connection<Employee> | null;

  @Relation(() => DossierItem, { on: { personId: 'relationCode' }, list: true })
  dossierItems?: Connection<DossierItem> | null;
}

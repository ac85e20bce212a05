/** KnPerson: create and change persons, with their addresses. KnPerson offers no DELETE. */
import { Input, Nested, Writes } from '../../graphql/write/index.js';
import { Person } from '../person.js';
import { AddressInput } from './address.js';

/** The fields of a person, as KnPerson takes them on its own and as KnEmployee's KnPerson sub-object. */
export class PersonFields {
  @Input('FiNm', 'string', { length: 50 })
  firstName?: string | null;

  @Input('CaNm', 'string', { length: 80 })
  callName?: string | null;

  @Input('In', 'string', { length: 15 })
  initials?: string | null;

  @Input('Is', 'string', { length: 15, description: 'Name prefix ("van", "de").' })
  prefix?: string | null;

  @Input('LaNm', 'string', { length: 80, requiredOnCreate: true, description: 'Needed for a new person.' })
  lastName?: string | null;

  @Input('ViGe', 'enum', {
    length: 20,
    enumName: 'Gender',
    values: { MAN: 'M', UNKNOWN: 'O', WOMAN: 'V', NON_BINARY: 'X' },
  })
  gender?: string | null;

  // A String, not an enum: AFAS's table has 210 codes (KnPerson in organisaties-en-personen.json) and an
  // environment may differ, so the code is checked against the environment's own metainfo before sending.
  @Input('PsNa', 'string', {
    length: 20,
    oneOf: 'environment',
    description: 'Nationality code (NL, B, D, GR…).',
  })
  nationality?: string | null;

  @Input('DaBi', 'date')
  dateOfBirth?: string | null;

  @Input('SoSe', 'string', { length: 25, description: 'Citizen service number (BSN); Profit applies the 11-test.' })
  bsn?: string | null;

  @Input('ViCs', 'enum', {
    length: 20,
    enumName: 'MaritalStatus',
    values: {
      DURABLY_SEPARATED: 'DZ',
      MARRIED: 'GH',
      REGISTERED_PARTNERSHIP: 'GP',
      DIVORCED: 'GS',
      UNMARRIED: 'OG',
      OTHER: 'OV',
      WIDOWED: 'WE',
    },
  })
  maritalStatus?: string | null;

  @Input('TeNr', 'string', { length: 255 })
  phoneWork?: string | null;

  @Input('TeN2', 'string', { length: 255 })
  phonePrivate?: string | null;

  @Input('MbNr', 'string', { length: 255 })
  mobileWork?: string | null;

  @Input('MbN2', 'string', { length: 255 })
  mobilePrivate?: string | null;

  @Input('EmAd', 'string', { length: 255 })
  mailWork?: string | null;

  @Input('EmA2', 'string', { length: 255 })
  mailPrivate?: string | null;

  @Input('Re', 'string', { description: 'Note.' })
  note?: string | null;
}

@Writes({
  connector: 'KnPerson',
  entity: () => Person,
  key: { personId: 'BcCo' },
  operations: ['create', 'update'],
  // A create adds a person numbered by Profit: MatchPer 7 ("always add new") with AutoNum, as AFAS's KnPerson create
  // examples do (oas/organisaties-en-personen.json, POST /connectors/KnPerson "create basic person"). An update
  // finds the person by the BcCo it sends: MatchPer 0, as AFAS's PUT examples.
  constants: { create: { MatchPer: '7', AutoNum: true }, update: { MatchPer: '0' } },
})
export class PersonWrite extends PersonFields {
  @Input('BcCo', 'string', { length: 15, key: true, on: ['update'], description: 'The person number.' })
  personId?: string;

  @Input('SeNm', 'string', { length: 10 })
  searchName?: string | null;

  @Input('PadAdr', 'boolean', { description: 'The postal address is the visiting address.' })
  postalAddressIsAddress?: boolean | null;

  @Nested('KnBasicAddressAdr', () => AddressInput, { description: 'The visiting address.' })
  address?: AddressInput | null;

  @Nested('KnBasicAddressPad', () => AddressInput, { description: 'The postal address.' })
  postalAddress?: AddressInput | null;
}

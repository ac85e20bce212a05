/** KnOrganisation: create and change organisations, with their addresses. KnOrganisation offers no DELETE. */
import { Input, Nested, Writes } from '../../graphql/write/index.js';
import { Organisation } from '../organisation.js';
import { AddressInput } from './address.js';

@Writes({
  connector: 'KnOrganisation',
  entity: () => Organisation,
  key: { organisationId: 'BcCo' },
  operations: ['create', 'update'],
  // A create adds an organisation numbered by Profit: MatchOga 6 ("always add new") with AutoNum, as AFAS's creates
  // of an organisation without a number do (oas/organisaties-en-personen.json, KnSalesRelationOrg "Minimaal"); an
  // update finds it by BcCo: MatchOga 0, as the KnOrganisation PUT examples.
  constants: { create: { MatchOga: '6', AutoNum: true }, update: { MatchOga: '0' } },
})
export class OrganisationWrite {
  @Input('BcCo', 'string', { length: 15, key: true, on: ['update'], description: 'The organisation number.' })
  organisationId?: string;

  @Input('Nm', 'string', { length: 255, requiredOnCreate: true, description: 'Needed for a new organisation.' })
  name?: string | null;

  @Input('SeNm', 'string', { length: 10 })
  searchName?: string | null;

  @Input('ViLe', 'string', {
    length: 20,
    // AFAS documents 23 codes (KnOrganisation in organisaties-en-personen.json); the environment's own table decides.
    oneOf: 'environment',
    description: 'Legal form code (30 = besloten vennootschap, 55 = stichting…).',
  })
  legalForm?: string | null;

  @Input('CcNr', 'string', { length: 30, description: 'Chamber of Commerce (KvK) number.' })
  chamberOfCommerceNumber?: string | null;

  @Input('FiNr', 'string', { length: 9 })
  fiscalNumber?: string | null;

  @Input('TeNr', 'string', { length: 255 })
  phone?: string | null;

  @Input('MbNr', 'string', { length: 255 })
  mobile?: string | null;

  @Input('EmAd', 'string', { length: 255 })
  mail?: string | null;

  @Input('HoPa', 'string', { length: 255 })
  website?: string | null;

  @Input('Re', 'string', { description: 'Note.' })
  note?: string | null;

  @Input('PadAdr', 'boolean', { description: 'The postal address is the visiting address.' })
  postalAddressIsAddress?: boolean | null;

  @Nested('KnBasicAddressAdr', () => AddressInput, { description: 'The visiting address.' })
  address?: AddressInput | null;

  @Nested('KnBasicAddressPad', () => AddressInput, { description: 'The postal address.' })
  postalAddress?: AddressInput | null;
}

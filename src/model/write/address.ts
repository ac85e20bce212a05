/** The address sub-objects KnBasicAddressAdr (visiting address) and KnBasicAddressPad (postal address). */
import { Input } from '../../graphql/write/index.js';

/**
 * An address as KnPerson, KnOrganisation and PtProject take it. Profit matches it against the addresses it has,
 * so an equal address is reused rather than stored twice, and checks the country code.
 */
export class AddressInput {
  @Input('CoId', 'string', { length: 3, mandatory: true, description: 'Country code (NL, B, D…).' })
  country!: string;

  @Input('PbAd', 'boolean', { description: 'A PO box address.' })
  poBox?: boolean | null;

  @Input('StAd', 'string', { length: 255 })
  streetAddition?: string | null;

  @Input('Ad', 'string', { length: 60 })
  street?: string | null;

  @Input('HmNr', 'int')
  houseNumber?: number | null;

  @Input('HmAd', 'string', { length: 30 })
  houseNumberAddition?: string | null;

  @Input('ZpCd', 'string', { length: 15 })
  zipCode?: string | null;

  @Input('Rs', 'string', { length: 50 })
  city?: string | null;

  @Input('AdAd', 'string', { length: 255 })
  addition?: string | null;

  @Input('BeginDate', 'date', { description: 'When the change of address takes effect (ignored for a first address).' })
  validFrom?: string | null;

  @Input('ResZip', 'boolean', { description: 'Let Profit find the city by the postal code.' })
  findCityByZipCode?: boolean | null;
}

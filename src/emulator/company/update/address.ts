/**
 * The address sub-objects (KnBasicAddressAdr, KnBasicAddressPad) shared by KnPerson, KnOrganisation and PtProject.
 * Profit keeps every address once: an address equal to an existing one is reused rather than stored again.
 */
import type { AddressRecord } from '../data.js';
import type { DemoStore } from '../store.js';
import type { UpdateElement, UpdateObjectDef } from '../types.js';
import { bool, field, integer, object, reject, text } from './common.js';

/** Country codes (Profit's `CoId`) accepted by the demo environment. */
export const COUNTRIES: ReadonlyMap<string, string> = new Map([
  ['NL', 'Nederland'],
  ['B', 'België'],
  ['D', 'Duitsland'],
  ['F', 'Frankrijk'],
  ['GB', 'Verenigd Koninkrijk'],
  ['L', 'Luxemburg'],
  ['E', 'Spanje'],
  ['I', 'Italië'],
  ['PL', 'Polen'],
  ['TR', 'Turkije'],
  ['MA', 'Marokko'],
  ['US', 'Verenigde Staten'],
]);

export function addressObject(name: 'KnBasicAddressAdr' | 'KnBasicAddressPad'): UpdateObjectDef {
  return object(name, [
    field('CoId', 'string', 'Land', { length: 3, mandatory: true }),
    field('PbAd', 'boolean', 'Postbusadres'),
    field('StAd', 'string', 'Toev. voor straat', { length: 255 }),
    field('Ad', 'string', 'Straat', { length: 60 }),
    field('HmNr', 'int', 'Huisnummer'),
    field('HmAd', 'string', 'Toev. aan huisnr.', { length: 30 }),
    field('ZpCd', 'string', 'Postcode', { length: 15 }),
    field('Rs', 'string', 'Woonplaats', { length: 50 }),
    field('AdAd', 'string', 'Toevoeging aan adres', { length: 255 }),
    field('BeginDate', 'date', 'Ingangsdatum adreswijziging (wordt genegeerd bij eerste datum)'),
    field('ResZip', 'boolean', 'Zoek woonplaats bij postcode'),
  ]);
}

/** Content rules: a country that exists, and a street or postal code to find the address by. */
export function checkAddress(element: UpdateElement): void {
  const country = text(element, 'CoId');
  if (!country)
    reject({ nl: 'Adres: het veld Land (CoId) is verplicht.', en: 'Address: the field Land (CoId) is mandatory.' });
  if (!COUNTRIES.has(country.toUpperCase()))
    reject({ nl: `Adres: land '${country}' bestaat niet.`, en: `Address: country '${country}' does not exist.` });
  if (!text(element, 'Ad') && !text(element, 'ZpCd') && !text(element, 'Rs')) {
    reject({
      nl: 'Adres: vul een straat, postcode of woonplaats in.',
      en: 'Address: give a street, postal code or town.',
    });
  }
  integer(element, 'HmNr', 'Huisnummer');
}

export function storeAddress(store: DemoStore, element: UpdateElement, now: string): number {
  const candidate = {
    country: (text(element, 'CoId') ?? 'NL').toUpperCase(),
    poBox: bool(element, 'PbAd') ?? false,
    streetAddition: text(element, 'StAd') ?? null,
    street: text(element, 'Ad') ?? null,
    houseNumber: integer(element, 'HmNr') ?? null,
    houseNumberAddition: text(element, 'HmAd') ?? null,
    zipCode: text(element, 'ZpCd') ?? null,
    city: text(element, 'Rs') ?? null,
    addition: text(element, 'AdAd') ?? null,
  };
  const same = store.data.addresses.find((a) =>
    (Object.keys(candidate) as (keyof typeof candidate)[]).every((k) => a[k] === candidate[k]),
  );
  if (same) return same.id;
  const address: AddressRecord = { id: store.data.next.addressId++, ...candidate, createDate: now, modifiedDate: now };
  store.data.addresses.push(address);
  return address.id;
}

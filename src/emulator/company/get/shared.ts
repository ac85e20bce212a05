/**
 * Helpers the demo's row mappings share: names, addresses and decimals as Profit shows them.
 */
import { streetLine } from '../names.js';
import type { DemoStore } from '../store.js';
import { Decimal } from '../types.js';

/**
 * "Today" for derived values such as `Active`: a fixed date, so that rows do not change with the clock.
 * @default 2026-06-30
 */
export const REFERENCE_DATE = '2026-06-30T00:00:00';

/**
 * The GUID-like id of the custom field on KnPerson (the one AFAS's custom-fields page shows); also the `fieldId` of
 * `Profit_Persons.MembershipNumber` in metainfo.json.
 */
export const PERSON_CUSTOM_FIELD = 'UC2DE284248374B083C966F9B4EEEE9E2';

export const decimal = (text: string | null): Decimal | null => (text === null ? null : new Decimal(text));

/** The person's name as Profit composes it: first name, prefix, last name. */
export function fullName(person: { firstName: string | null; prefix: string | null; lastName: string }): string {
  return [person.firstName, person.prefix, person.lastName].filter(Boolean).join(' ');
}

export function addressOf(store: DemoStore, id: number | null) {
  return id === null ? undefined : store.index.addresses.get(id);
}

export function zipCity(address: { zipCode: string | null; city: string | null } | undefined): string | null {
  if (!address) return null;
  return [address.zipCode, address.city].filter(Boolean).join('  ') || null;
}

const COUNTRY_NAMES: Readonly<Record<string, string>> = {
  NL: 'Nederland',
  B: 'België',
  D: 'Duitsland',
  US: 'Verenigde Staten',
};

/** Address line 1: street, number and addition. */
export function line1(store: DemoStore, id: number | null): string | null {
  const a = addressOf(store, id);
  return a ? streetLine(a.street, a.houseNumber, a.houseNumberAddition) : null;
}

/** Address line 3: zip code and city. */
export const line3 = (store: DemoStore, id: number | null): string | null => zipCity(addressOf(store, id));

/** Address line 4: the country's name. */
export function line4(store: DemoStore, id: number | null): string | null {
  const a = addressOf(store, id);
  return a ? (COUNTRY_NAMES[a.country] ?? a.country) : null;
}

/**
 * `Profit_Address` (standard connector) and the visiting-address fields the customer connectors
 * `Profit_Organisations` and `Profit_Persons` share.
 */
import { streetLine } from '../names.js';
import type { DemoStore } from '../store.js';
import { defineRows, type FieldValue } from './rows.js';
import { addressOf, line1, line3, zipCity } from './shared.js';

export const addressRows = defineRows((s) => s.data.addresses, {
  AddressId: (a) => a.id,
  AddressLine: (a) =>
    [streetLine(a.street, a.houseNumber, a.houseNumberAddition), zipCity(a)].filter(Boolean).join(', ') || null,
  PoBox: (a) => a.poBox,
  AddressAdd: (a) => a.streetAddition,
  Address: (a) => a.street,
  Number: (a) => a.houseNumber,
  NumberAdd: (a) => a.houseNumberAddition,
  ZipCode: (a) => a.zipCode,
  // "Recidence" (sic), as in AFAS's standard connector.
  Recidence: (a) => a.city,
  Country: (a) => a.country,
  Addition: (a) => a.addition,
  CreateDate: (a) => a.createDate,
  ModifiedDate: (a) => a.modifiedDate,
});

/** AddressLine1 … Country of the record's visiting address. */
export function visitingAddressValues<R>(addressId: (r: R) => number | null): Record<string, FieldValue<R>> {
  const a = (r: R, s: DemoStore) => addressOf(s, addressId(r));
  return {
    AddressLine1: (r, s) => line1(s, addressId(r)),
    AddressLine3: (r, s) => line3(s, addressId(r)),
    Street: (r, s) => a(r, s)?.street ?? null,
    HouseNumber: (r, s) => a(r, s)?.houseNumber ?? null,
    HouseNumberAdd: (r, s) => a(r, s)?.houseNumberAddition ?? null,
    ZipCode: (r, s) => a(r, s)?.zipCode ?? null,
    City: (r, s) => a(r, s)?.city ?? null,
    Country: (r, s) => a(r, s)?.country ?? null,
  };
}

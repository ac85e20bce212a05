/**
 * `Profit_OrgPer` (standard connector): organisations and persons in one list, ordered by number.
 */
import type { DemoStore } from '../store.js';
import { defineRows } from './rows.js';
import { fullName, line1, line3, line4 } from './shared.js';

interface OrgPerRecord {
  readonly type: 'O' | 'P';
  readonly bcCo: string;
  readonly searchName: string | null;
  readonly name: string;
  readonly addressId: number | null;
  readonly phone: string | null;
  readonly mail: string | null;
  readonly homepage: string | null;
  readonly note: string | null;
  readonly cocNumber: string | null;
  readonly dateOfBirth: string | null;
  readonly bsn: string | null;
}

function orgPerRecords(store: DemoStore): OrgPerRecord[] {
  const { organisations, persons } = store.data;
  const records: OrgPerRecord[] = [
    ...organisations.map((o) => ({
      type: 'O' as const,
      bcCo: o.bcCo,
      searchName: o.searchName,
      name: o.name,
      addressId: o.addressId,
      phone: o.phone,
      mail: o.mail,
      homepage: o.homepage,
      note: o.note,
      cocNumber: o.cocNumber,
      dateOfBirth: null,
      bsn: null,
    })),
    ...persons.map((p) => ({
      type: 'P' as const,
      bcCo: p.bcCo,
      searchName: p.lastName.toUpperCase().slice(0, 10),
      name: fullName(p),
      addressId: p.addressId,
      phone: p.phoneWork,
      mail: p.mailWork,
      homepage: null,
      note: p.note,
      cocNumber: null,
      dateOfBirth: p.dateOfBirth,
      bsn: p.bsn,
    })),
  ];
  return records.sort((a, b) => a.bcCo.localeCompare(b.bcCo));
}

export const orgPerRows = defineRows(orgPerRecords, {
  BcCo: (r) => r.bcCo,
  Type: (r) => r.type,
  SearchName: (r) => r.searchName,
  Name: (r) => r.name,
  // "AdressLine" (sic) is how AFAS's standard connector spells these fields.
  AdressLine1: (r, s) => line1(s, r.addressId),
  AdressLine3: (r, s) => line3(s, r.addressId),
  AdressLine4: (r, s) => line4(s, r.addressId),
  TelWork: (r) => r.phone,
  MailWork: (r) => r.mail,
  Homepage: (r) => r.homepage,
  Note: (r) => r.note,
  ChOfCommNr: (r) => r.cocNumber,
  DateBirth: (r) => r.dateOfBirth,
  BSN: (r) => r.bsn,
});

/**
 * FiEntries (root object `FiEntryPar`): financial entries per administration (`UnId`) and journal (`JoCo`), each
 * entry with its lines (sub-object `FiEntries`).
 *
 * DELETE takes the two forms of endpoint-fientries-delete.md:
 *   /connectors/FiEntries/FiEntryPar/UnId,JoCo/{unit},{journal}/FiEntries/@EnNo/{entry number}
 *   /connectors/FiEntries/FiEntryPar/UnId,JoCo/{unit},{journal}/FiEntries/InId/{invoice id}
 * and removes the whole entry (every line of it) or every entry of that invoice.
 *
 * POST books entries; update-connector.md names the check Profit makes: an entry must be balanced (debit total =
 * credit total). Accounts must exist in the chart of accounts (`VaAs` 1) and not be blocked; the journal and
 * administration must exist. unconfirmed: AFAS documents no OAS schema here; the fields are those of Profit's
 * FiEntries connector as commonly used (`VaAs`, `AcNr`, `EnDa`, `BpDa`, `BpNr`, `Ds`, `AmDe`, `AmCr`), and the
 * `results` value (the new entry number) is the emulator's choice.
 */

import type { EntryLineRecord, EntryRecord } from '../data.js';
import { ACCOUNTS, ADMINISTRATIONS, JOURNALS } from '../ledger.js';
import type { DemoStore } from '../store.js';
import type { UpdateConnectorDef, UpdateElement } from '../types.js';
import { children, codes, date, decimalText, field, integer, object, reject, text } from './common.js';

const accounts = new Map(ACCOUNTS.map((a) => [a.account, a]));
const journals = new Set(JOURNALS.map((j) => j.code));
const units = new Set(ADMINISTRATIONS.map((a) => a.id));

/** Exact cents of a decimal text, so that balancing never goes through a float. */
function cents(text: string): bigint {
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = text.replace('-', '').split('.');
  const value = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2) || '0');
  return negative ? -value : value;
}

function formatCents(value: bigint): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  return `${negative ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

function scope(element: UpdateElement): { unitId: number; journal: string } {
  const unitId = integer(element, 'UnId', 'Administratie');
  const journal = text(element, 'JoCo');
  if (unitId == null)
    reject({
      nl: "Het veld 'Administratie' (UnId) is verplicht.",
      en: "The field 'Administratie' (UnId) is mandatory.",
    });
  if (!journal)
    reject({ nl: "Het veld 'Dagboek' (JoCo) is verplicht.", en: "The field 'Dagboek' (JoCo) is mandatory." });
  if (!units.has(unitId))
    reject({ nl: `Administratie ${unitId} bestaat niet.`, en: `Administration ${unitId} does not exist.` });
  if (!journals.has(journal))
    reject({
      nl: `Dagboek '${journal}' bestaat niet in administratie ${unitId}.`,
      en: `Journal '${journal}' does not exist in administration ${unitId}.`,
    });
  return { unitId, journal };
}

function toLines(element: UpdateElement): EntryLineRecord[] {
  return children(element, 'FiEntries').map((line) => {
    const accountKind = text(line, 'VaAs') ?? '1';
    const account = text(line, 'AcNr');
    if (!account)
      reject({
        nl: "Het veld 'Rekeningnummer' (AcNr) is verplicht.",
        en: "The field 'Rekeningnummer' (AcNr) is mandatory.",
      });
    if (accountKind === '1') {
      const known = accounts.get(account);
      if (!known)
        reject({
          nl: `Grootboekrekening '${account}' bestaat niet.`,
          en: `Ledger account '${account}' does not exist.`,
        });
      if (known.blocked)
        reject({ nl: `Grootboekrekening '${account}' is geblokkeerd.`, en: `Ledger account '${account}' is blocked.` });
    }
    return {
      accountKind,
      account,
      description: text(line, 'Ds') ?? null,
      debit: decimalText(line, 'AmDe', 2, 'Bedrag debet') ?? '0.00',
      credit: decimalText(line, 'AmCr', 2, 'Bedrag credit') ?? '0.00',
    };
  });
}

function checkBalanced(lines: readonly EntryLineRecord[]): void {
  if (lines.length === 0) reject({ nl: 'De journaalpost bevat geen regels.', en: 'The entry has no lines.' });
  const debit = lines.reduce((sum, l) => sum + cents(l.debit), 0n);
  const credit = lines.reduce((sum, l) => sum + cents(l.credit), 0n);
  if (debit !== credit) {
    reject({
      nl:
        `De journaalpost is niet in balans: debet ${formatCents(debit)}, credit ${formatCents(credit)} ` +
        `(verschil ${formatCents(debit - credit)}).`,
      en:
        `The entry does not balance: debit ${formatCents(debit)}, credit ${formatCents(credit)} ` +
        `(difference ${formatCents(debit - credit)}).`,
    });
  }
}

export const fiEntries: UpdateConnectorDef = {
  id: 'FiEntries',
  description: 'Financiële mutaties',
  name: 'FiEntryPar',
  methods: ['POST', 'DELETE'],
  fields: [
    field('Year', 'int', 'Boekjaar'),
    field('Peri', 'int', 'Periode'),
    field('UnId', 'int', 'Administratie', { key: true, mandatory: true }),
    field('JoCo', 'string', 'Dagboek', { length: 10, key: true, mandatory: true }),
    field('AuNu', 'boolean', 'Nummer journaalpost automatisch'),
  ],
  objects: [
    object('FiEntries', [
      field('EnNo', 'int', 'Nummer journaalpost', { key: true }),
      field('InId', 'string', 'Factuurnummer', { length: 12, key: true }),
      field('VaAs', 'string', 'Kenmerk rekening', {
        length: 1,
        values: codes('1 = Grootboekrekening;2 = Debiteur;3 = Crediteur;'),
      }),
      field('AcNr', 'string', 'Rekeningnummer', { length: 16 }),
      field('EnDa', 'date', 'Datum boeking'),
      field('BpDa', 'date', 'Boekstukdatum'),
      field('BpNr', 'string', 'Boekstuknummer', { length: 12 }),
      field('Ds', 'string', 'Omschrijving boeking', { length: 255 }),
      field('AmDe', 'decimal', 'Bedrag debet', { decimals: 2 }),
      field('AmCr', 'decimal', 'Bedrag credit', { decimals: 2 }),
    ]),
  ],
  check(_method, elements) {
    for (const element of elements) {
      scope(element);
      checkBalanced(toLines(element));
    }
  },
  apply(_method, elements, store) {
    const demo = store as DemoStore;
    let last: Record<string, string> = {};
    for (const element of elements) {
      const { unitId, journal } = scope(element);
      const lines = toLines(element);
      checkBalanced(lines);
      const first = children(element, 'FiEntries')[0];
      const day =
        (first && (date(first, 'EnDa', 'Datum boeking') ?? date(first, 'BpDa', 'Boekstukdatum'))) ?? demo.now();
      const sameJournal = demo.data.entries.filter((e) => e.unitId === unitId && e.journal === journal);
      const entry: EntryRecord = {
        unitId,
        journal,
        entryNo:
          sameJournal.length > 0 ? Math.max(...sameJournal.map((e) => e.entryNo)) + 1 : Number(journal) * 1000 + 1,
        invoiceId: (first && text(first, 'InId')) ?? null,
        date: day,
        year: integer(element, 'Year', 'Boekjaar') ?? Number(day.slice(0, 4)),
        period: integer(element, 'Peri', 'Periode') ?? Number(day.slice(5, 7)),
        lines,
      };
      demo.data.entries.push(entry);
      last = { EnNo: String(entry.entryNo) };
    }
    demo.changed();
    return last;
  },
  remove(object, keys, store, parents) {
    const demo = store as DemoStore;
    const parent = parents?.[0];
    if (object !== 'FiEntries' || parent?.object !== 'FiEntryPar') {
      reject({
        nl: 'Geef de journaalpost op met FiEntryPar/UnId,JoCo/{administratie},{dagboek}/FiEntries/…',
        en: 'Name the entry as FiEntryPar/UnId,JoCo/{administration},{journal}/FiEntries/…',
      });
    }
    const unitId = Number(parent.keys.UnId);
    const journal = parent.keys.JoCo ?? '';
    if (!units.has(unitId))
      reject({
        nl: `Administratie ${parent.keys.UnId ?? ''} bestaat niet.`,
        en: `Administration ${parent.keys.UnId ?? ''} does not exist.`,
      });
    if (!journals.has(journal))
      reject({
        nl: `Dagboek '${journal}' bestaat niet in administratie ${unitId}.`,
        en: `Journal '${journal}' does not exist in administration ${unitId}.`,
      });
    const inJournal = (e: EntryRecord) => e.unitId === unitId && e.journal === journal;
    let matches: (e: EntryRecord) => boolean;
    if (keys.EnNo !== undefined) {
      const entryNo = keys.EnNo;
      matches = (e) => inJournal(e) && String(e.entryNo) === entryNo;
    } else if (keys.InId !== undefined) {
      const invoiceId = keys.InId.toUpperCase();
      matches = (e) => inJournal(e) && e.invoiceId?.toUpperCase() === invoiceId;
    } else {
      reject({
        nl: 'Geef het nummer van de journaalpost (EnNo) of het factuurnummer (InId) op.',
        en: 'Give the entry number (EnNo) or the invoice number (InId).',
      });
    }
    const before = demo.data.entries.length;
    demo.data.entries = demo.data.entries.filter((e) => !matches(e));
    if (demo.data.entries.length === before) {
      reject({
        nl:
          keys.EnNo !== undefined
            ? `Journaalpost ${keys.EnNo} bestaat niet in dagboek ${journal} van administratie ${unitId}.`
            : `Factuur '${keys.InId}' bestaat niet in dagboek ${journal} van administratie ${unitId}.`,
        en:
          keys.EnNo !== undefined
            ? `Entry ${keys.EnNo} does not exist in journal ${journal} of administration ${unitId}.`
            : `Invoice '${keys.InId}' does not exist in journal ${journal} of administration ${unitId}.`,
      });
    }
    demo.changed();
  },
};

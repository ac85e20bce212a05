/**
 * The financial set-up of the demo environment: administrations, a small chart of accounts and the journals.
 * Fixed rather than seeded: an environment's set-up does not vary, and AFAS's documentation examples name some of it.
 *
 * - Administration 1's name contains "Internet", so get-connector.md's filterjson example
 *   (`AdminId = 1 AND AdminNm contains 'Internet'` OR `AdminId = 3 AND AdminNm = 'Internet'`) returns a row.
 * - Journals 10 and 73 of administration 1 exist, as in endpoint-fientries-delete.md's DELETE examples.
 */

export interface Administration {
  readonly id: number;
  readonly name: string;
  readonly code: string;
}

export const ADMINISTRATIONS: readonly Administration[] = [
  { id: 1, name: 'Demo Internet Diensten B.V.', code: 'DID' },
  { id: 2, name: 'Demo Holding B.V.', code: 'DH' },
  { id: 3, name: 'Demo Services B.V.', code: 'DS' },
];

/**
 * `Type` of an account. unconfirmed: AFAS documents no values for the standard connector's `Type` field; the
 * emulator uses Profit's distinction between balance sheet and profit-and-loss accounts.
 */
export const ACCOUNT_TYPES: readonly (readonly [string, string])[] = [
  ['B', 'Balans'],
  ['W', 'Winst- en verliesrekening'],
];

export interface Account {
  readonly account: string;
  readonly description: string;
  readonly type: 'B' | 'W';
  readonly blocked: boolean;
}

export const ACCOUNTS: readonly Account[] = [
  { account: '0100', description: 'Gebouwen', type: 'B', blocked: false },
  { account: '0200', description: 'Inventaris', type: 'B', blocked: false },
  { account: '0210', description: 'Afschrijving inventaris', type: 'B', blocked: false },
  { account: '0500', description: 'Eigen vermogen', type: 'B', blocked: false },
  { account: '1000', description: 'Kas', type: 'B', blocked: false },
  { account: '1100', description: 'Bank', type: 'B', blocked: false },
  { account: '1300', description: 'Debiteuren', type: 'B', blocked: false },
  { account: '1600', description: 'Crediteuren', type: 'B', blocked: false },
  { account: '1700', description: 'Te betalen btw hoog', type: 'B', blocked: false },
  { account: '1710', description: 'Te vorderen btw', type: 'B', blocked: false },
  { account: '1800', description: 'Te betalen nettolonen', type: 'B', blocked: false },
  { account: '1900', description: 'Vraagposten', type: 'B', blocked: true },
  { account: '4000', description: 'Lonen en salarissen', type: 'W', blocked: false },
  { account: '4010', description: 'Sociale lasten', type: 'W', blocked: false },
  { account: '4100', description: 'Huisvestingskosten', type: 'W', blocked: false },
  { account: '4200', description: 'Autokosten; lease', type: 'W', blocked: false },
  { account: '4300', description: 'Kantoorkosten', type: 'W', blocked: false },
  { account: '4400', description: 'Afschrijvingskosten', type: 'W', blocked: false },
  { account: '8000', description: 'Omzet advies', type: 'W', blocked: false },
  { account: '8100', description: 'Omzet licenties "Profit"', type: 'W', blocked: false },
];

export interface Journal {
  readonly code: string;
  readonly description: string;
}

/** The same journals exist in every administration. */
export const JOURNALS: readonly Journal[] = [
  { code: '10', description: 'Inkoopboek' },
  { code: '20', description: 'Verkoopboek' },
  { code: '50', description: 'Bank' },
  { code: '73', description: 'Memoriaal salarissen' },
  { code: '90', description: 'Memoriaal' },
];

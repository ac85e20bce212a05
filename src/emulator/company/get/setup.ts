/**
 * The environment's set-up: administrations (fields, ids and labels exactly as the OAS metainfo example of
 * `Profit_Administrations`), the chart of accounts (the first two fields as get-connector.md's metainfo example of
 * `Profit_Accounts`) and functions (`Profit_Functions`, named in the OAS metainfo list).
 */
import { ACCOUNT_TYPES, ACCOUNTS, ADMINISTRATIONS } from '../ledger.js';
import { FUNCTIONS } from '../names.js';
import { defineRows } from './rows.js';

const accountTypeName = new Map(ACCOUNT_TYPES);

export const administrationRows = defineRows(() => ADMINISTRATIONS, {
  AdminId: (a) => a.id,
  AdminNm: (a) => a.name,
  AdminCd: (a) => a.code,
});

export const accountRows = defineRows(() => ACCOUNTS, {
  Account: (a) => a.account,
  Description: (a) => a.description,
  Type: (a) => a.type,
  TypeDescription: (a) => accountTypeName.get(a.type) ?? null,
  Blocked: (a) => a.blocked,
});

export const functionRows = defineRows(() => FUNCTIONS, {
  FunctionId: (f) => f.code,
  Description: (f) => f.name,
});

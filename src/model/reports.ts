/**
 * The demo company's reports, each bound to the GetConnector it renders (src/graphql/files/reports.ts). The ids
 * are the demo environment's (src/emulator/company/reports.ts); a deployment declares its own with
 * `PROFIT_REPORTS`.
 */
import { declareReport } from '../graphql/files/reports.js';

/** Medewerkerslijst: employees, filtered on Profit_Employees' fields. */
export const EMPLOYEE_LIST_REPORT = '5A1B7C3D9E2F40A1B2C3D4E5F6A7B8C9';
/** Organisatielijst: organisations, filtered on Profit_Organisations' fields. */
export const ORGANISATION_LIST_REPORT = 'C4E1F2A3B4C5D6E7F8091A2B3C4D5E6F';

declareReport({ id: EMPLOYEE_LIST_REPORT, description: 'Medewerkerslijst', source: 'Profit_Employees' });
declareReport({ id: ORGANISATION_LIST_REPORT, description: 'Organisatielijst', source: 'Profit_Organisations' });

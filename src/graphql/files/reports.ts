/**
 * Report declarations: which reports this API renders, and the GetConnector each one reads.
 *
 * A report is designed in Profit on one GetConnector and renders that connector's rows, filtered by the caller's
 * filter parameters (inrichting.json, `GET /ReportConnector/{id}` with `filterfieldids`…). The ReportConnector
 * itself does not say which connector that is, so a report is declared with its source: the model declares its
 * reports (src/model/reports.ts), a deployment adds its own with `PROFIT_REPORTS`. With the source known, a
 * report is authorized like the data it shows: it needs the source GetConnector, its `where` is typed and checked
 * against that connector's fields for the caller, and any id not declared is refused before Profit is called.
 */
import { getGrant, reportGrant } from '../auth/roles.js';

export interface ReportDeclaration {
  /** The report id (a 32-hex-digit GUID in Profit). */
  readonly id: string;
  /** What the report shows, for people (the SDL lists it). */
  readonly description: string;
  /** The GetConnector whose rows the report renders. */
  readonly source: string;
}

/** Upper-cased id → declaration: Profit's GUIDs are compared without regard to case. */
const declared = new Map<string, ReportDeclaration>();

/**
 * Declares a report. Declaring the same id again replaces it (a deployment may re-point a model's report). Throws
 * for ids that are not Profit ids, so a typo in `PROFIT_REPORTS` stops the start instead of refusing at run time.
 */
export function declareReport(report: ReportDeclaration): void {
  reportGrant(report.id);
  getGrant(report.source);
  declared.set(report.id.toUpperCase(), Object.freeze({ ...report }));
}

/** The declaration of a report id, or `undefined` when neither the model nor the deployment declares it. */
export function findReport(id: string): ReportDeclaration | undefined {
  return declared.get(id.toUpperCase());
}

/** Every declared report, by id. */
export function declaredReports(): ReportDeclaration[] {
  return [...declared.values()].sort((a, b) => a.id.localeCompare(b.id));
}

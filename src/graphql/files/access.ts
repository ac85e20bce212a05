/**
 * The gate in front of every file connector: no GraphQL path reaches the Subject-, File-, Image- or
 * ReportConnector, or mints a download ticket for one, unless the caller's grant and scopes allow that content
 * (roles in src/graphql/auth/roles.ts):
 *
 * | file                    | needs                                                                          |
 * | ----------------------- | ------------------------------------------------------------------------------ |
 * | dossier item attachment | `profit:file:subject` (and, on the field, Profit_Subject_Attachments' ids)      |
 * | FileConnector file      | `profit:file:file`                                                             |
 * | image                   | `profit:file:image` (and, for `Person.image`, Profit_Persons.ImageId)           |
 * | report                  | a declared report id, `profit:report:<id>`, its source GetConnector, and every  |
 * |                         | field its `where` filters on (as a list query's `where`)                       |
 *
 * `authorizeFile` runs before a ticket is sealed and before any content is fetched, so a denial costs no file call.
 */
import { GraphQLError } from 'graphql';
import type { ColumnType } from '../../profit/index.js';
import { assertQueryFits, encodeGetQuery } from '../../profit/index.js';
import { fileGrant, getGrant, reportGrant } from '../auth/index.js';
import { entityBindings } from '../binding.js';
import type { RequestContext } from '../context.js';
import type { FileRef } from './refs.js';
import { compileReportWhere, type ReportFieldType, type ReportWhereInput } from './report-where.js';
import { findReport, type ReportDeclaration } from './reports.js';

const DATA_TYPES: ReadonlySet<string> = new Set(['string', 'int', 'decimal', 'boolean', 'date', 'datetime', 'blob']);

/** BAD_USER_INPUT for a report id neither the model nor the deployment declares. */
function unknownReport(id: string): GraphQLError {
  return new GraphQLError(
    `Report ${JSON.stringify(id)} is not declared: only reports the model or PROFIT_REPORTS declares (with the ` +
      'GetConnector they read) are served',
    { extensions: { code: 'BAD_USER_INPUT', argument: 'id', reason: 'unknown-report' } },
  );
}

/** The declaration of a report id; BAD_USER_INPUT when it has none. */
export function declaredReport(id: string): ReportDeclaration {
  const report = findReport(id);
  if (report === undefined) throw unknownReport(id);
  return report;
}

/** The roles a file needs by its kind (reports add their source GetConnector). */
function rolesOf(ref: FileRef, report?: ReportDeclaration): string[] {
  switch (ref.kind) {
    case 'subject':
    case 'file':
    case 'image':
      return [fileGrant(ref.kind)];
    case 'report':
      return [reportGrant(ref.reportId), getGrant((report ?? declaredReport(ref.reportId)).source)];
  }
}

/** The file connector or report role a file's own call needs (what Profit's refusal of that call is about). */
export function roleOf(ref: FileRef): string {
  return ref.kind === 'report' ? reportGrant(ref.reportId) : fileGrant(ref.kind);
}

/**
 * Throws FORBIDDEN (or BAD_USER_INPUT for an undeclared report) unless this request's caller may have the file:
 * checked before a download link is made and before the content is fetched.
 */
export async function authorizeFile(ctx: RequestContext, ref: FileRef): Promise<void> {
  const report = ref.kind === 'report' ? declaredReport(ref.reportId) : undefined;
  const pending = ctx.auth.require(rolesOf(ref, report));
  if (pending) await pending;
  // A report's filter is a GetConnector query on its source: the fields it names are checked as a list's are.
  if (ref.kind === 'report' && report) await ctx.auth.guardQuery(report.source, { filter: ref.filter });
}

/**
 * The ref of `report(id, where)`, authorized: the id must be declared, the caller allowed the report and its
 * source GetConnector, the `where` typed by the source's fields for this caller (metainfo, already read for the
 * field check) and every field it names granted. Refused as QUERY_TOO_LONG when the filter would not fit
 * Profit's query string (Profit answers those with a bare 404).
 */
export async function reportRef(
  ctx: RequestContext,
  id: string,
  where: ReportWhereInput | null | undefined,
): Promise<FileRef> {
  const report = declaredReport(id);
  const pending = ctx.auth.require([reportGrant(report.id), getGrant(report.source)]);
  if (pending) await pending;
  const fields = where ? await ctx.auth.connectorFields(report.source) : new Map();
  const bound = boundFields(report.source);
  const fieldType: ReportFieldType = (field) => {
    const known = fields.get(field.toLowerCase());
    if (known) return { id: known.id, dataType: DATA_TYPES.has(known.dataType) ? known.dataType : 'string' };
    // A field the model binds is public (it is in the schema): withheld, it is FORBIDDEN below, as in a list's
    // `where`. Any other name is unknown, whether Profit lacks it or withholds it: the answer tells nothing.
    return bound.get(field.toLowerCase());
  };
  const filter = compileReportWhere(where, fieldType);
  const ref: FileRef = { kind: 'report', reportId: report.id, filter };
  await authorizeFile(ctx, ref);
  assertQueryFits(encodeGetQuery({ filter }, { paging: false }), {
    method: 'GET',
    path: `/ReportConnector/${encodeURIComponent(report.id)}`,
  });
  return ref;
}

/** The model's fields of a GetConnector (lower-cased id → id and type). */
function boundFields(connector: string): Map<string, { id: string; dataType: ColumnType }> {
  const out = new Map<string, { id: string; dataType: ColumnType }>();
  for (const b of entityBindings()) {
    if (b.connector.toLowerCase() !== connector.toLowerCase()) continue;
    for (const f of b.fields.values()) {
      out.set(f.connectorField.toLowerCase(), { id: f.connectorField, dataType: f.dataType });
    }
  }
  return out;
}

/**
 * Files and reports: attachment links and inline content, `report`, `profitFile` and `image`. The HTTP service
 * supplies `FileLinks` (src/server/files.ts) and serves the links with `openFile` and `downloadName`.
 */

export { authorizeFile, declaredReport, reportRef } from './access.js';
export { type FileContent, fileContent, fileTooLarge, inlineBase64, inlineCap } from './content.js';
export { DEFAULT_INLINE_MAX_BYTES, type FileLinks } from './links.js';
export { downloadName, type FileRef, type ImageSizeName, openFile, refKey } from './refs.js';
export { compileReportWhere, ReportFieldFilter, ReportWhere, type ReportWhereInput } from './report-where.js';
export { declaredReports, declareReport, findReport, type ReportDeclaration } from './reports.js';
// FILE_RESOLVERS (./resolvers.js) are not re-exported: they are bound to the demo model's types, which
// src/model/index.ts imports them for; the server's file route must not load that model.
export { ImageSize, ProfitFileObject } from './types.js';

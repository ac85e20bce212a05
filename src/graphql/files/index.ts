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
export { downloadUrl, FILE_CONTENT, fileResolvers, MAX_BYTES_DESCRIPTION } from './resolvers.js';
export { ImageSize, imageSizeName, ProfitFileObject } from './types.js';

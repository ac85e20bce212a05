/**
 * What a download names: a file of one of Profit's four file connectors, by its ids. A `FileRef` is plain data
 * (JSON-safe), so it can travel inside a download ticket; `openFile` turns it into the bytes with one Profit call.
 */
import type { CallOptions, FilterGroup, ProfitClient, ProfitFile, ProfitFileStream } from '../../profit/index.js';

export type ImageSizeName = 'original' | 'thumbnail' | 'medium';

export type FileRef =
  /** A dossier item attachment: `SubjectConnector/{subjectId}/{fileId}`. */
  | { readonly kind: 'subject'; readonly subjectId: string; readonly fileId: string; readonly fileName?: string }
  /** `FileConnector/{fileId}/{fileName}`. */
  | { readonly kind: 'file'; readonly fileId: string; readonly fileName: string }
  /** `ImageConnector/{imageId}?format=0|1|2`. */
  | { readonly kind: 'image'; readonly imageId: string; readonly size: ImageSizeName }
  /** `ReportConnector/{reportId}` with filter parameters. Values are strings (see report-where.ts). */
  | { readonly kind: 'report'; readonly reportId: string; readonly filter: readonly FilterGroup[] };

/** One Profit call for the file, its bytes handed out as Profit sends them. */
export function openFile(client: ProfitClient, ref: FileRef, options: CallOptions = {}): Promise<ProfitFileStream> {
  switch (ref.kind) {
    case 'subject':
      return client.openSubjectAttachment(ref.subjectId, ref.fileId, options);
    case 'file':
      return client.openFile(ref.fileId, ref.fileName, options);
    case 'image':
      return client.openImage(ref.imageId, ref.size, options);
    case 'report':
      return client.openReport(ref.reportId, { filter: ref.filter }, options);
  }
}

/** Identifies a file within one request (for the content memo). */
export function refKey(ref: FileRef): string {
  return JSON.stringify(ref);
}

const EXTENSIONS: Readonly<Record<string, string>> = {
  'application/pdf': '.pdf',
  'image/png': '.png',
  'image/jpeg': '.jpg',
  'image/gif': '.gif',
  'image/webp': '.webp',
  'text/plain': '.txt',
  'text/csv': '.csv',
  'application/zip': '.zip',
};

/**
 * The name a download is saved under: Profit's own, else the one the ref carries (the attachment's `file_name`,
 * the FileConnector's name), else one made from the ids and the MIME type (reports have no name in Profit).
 */
export function downloadName(ref: FileRef, file: Pick<ProfitFile, 'fileName' | 'mimeType'>): string {
  if (file.fileName) return file.fileName;
  if ((ref.kind === 'subject' || ref.kind === 'file') && ref.fileName) return ref.fileName;
  const ext = EXTENSIONS[file.mimeType.toLowerCase()] ?? '';
  switch (ref.kind) {
    case 'subject':
      return `attachment-${ref.fileId}${ext}`;
    case 'file':
      return `file-${ref.fileId}${ext}`;
    case 'image':
      return `image-${ref.imageId}-${ref.size}${ext}`;
    case 'report':
      return `report-${ref.reportId}${ext}`;
  }
}

/** Attachments of dossier items (`Profit_Subject_Attachments`); the files come from the SubjectConnector. */
import { Field } from 'type-graphql';
import { Bound, Entity, Relation } from '../graphql/binding.js';
import { DossierItem } from './dossier-item.js';

/** Common extensions; anything else is `application/octet-stream`. */
const MIME_TYPES: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  txt: 'text/plain',
  csv: 'text/csv',
  htm: 'text/html',
  html: 'text/html',
  xml: 'application/xml',
  json: 'application/json',
  zip: 'application/zip',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  msg: 'application/vnd.ms-outlook',
  eml: 'message/rfc822',
};

/** The MIME type for a file name's extension (case-insensitive). */
export function mimeTypeOf(fileName: string | null | undefined): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(fileName ?? '')?.[1]?.toLowerCase();
  return (ext !== undefined ? MIME_TYPES[ext] : undefined) ?? 'application/octet-stream';
}

@Entity({
  connector: 'Profit_Subject_Attachments',
  key: ['attachmentId'],
  description: 'A file attached to a dossier item.',
})
export class DossierItemAttachment {
  @Bound('attachment_id', 'int')
  attachmentId!: number;

  @Bound('subject_id', 'int')
  dossierItemId!: number | null;

  @Bound('file_id', 'string', { description: 'The file id for the SubjectConnector.' })
  fileId!: string | null;

  @Bound('file_name', 'string')
  fileName!: string | null;

  // No `file_size` here: AFAS documents Profit_Subject_Attachments without one (oas/dossiers-en-bijlagen-en-
  // workflows.json). `size` is counted from the file itself (src/graphql/files/resolvers.ts).

  @Field(() => String, { description: "Guessed from the file name's extension." })
  get mimeType(): string {
    return mimeTypeOf(this.fileName);
  }

  @Relation(() => DossierItem, { on: { dossierItemId: 'dossierItemId' } })
  dossierItem?: DossierItem | null;
}

/**
 * What the GraphQL layer needs from the HTTP service to hand out downloads: a link for a file, made for this
 * request's caller, and the inline size cap. The service implements it (src/server/files.ts): the link carries a
 * sealed, short-lived ticket, never the credential. Without it (an in-process server, a test), `downloadUrl`
 * answers `DOWNLOADS_UNAVAILABLE`.
 */
import type { FileRef } from './refs.js';

export interface FileLinks {
  /** An absolute URL that serves the file with this request's credential, for a limited time. */
  downloadUrl(ref: FileRef): string;
  /** The largest file `contentBase64` returns (`FILE_INLINE_MAX_BYTES`). */
  readonly inlineMaxBytes: number;
}

/** `contentBase64`'s cap when the service gives none. @default 5 MiB */
export const DEFAULT_INLINE_MAX_BYTES = 5_242_880;

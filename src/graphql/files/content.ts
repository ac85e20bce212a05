/**
 * File contents inside a GraphQL request: fetched only when a field needs the bytes (`contentBase64`, or
 * `mimeType` / `size` of a report, file or image), at most once per file per request, and never across requests
 * (the memo hangs off the request's context, so another caller never sees these bytes).
 */
import { GraphQLError } from 'graphql';
import type { ProfitFileStream } from '../../profit/index.js';
import { ProfitError } from '../../profit/index.js';
import type { RequestContext } from '../context.js';
import { translated } from '../errors.js';
import { authorizeFile, roleOf } from './access.js';
import { DEFAULT_INLINE_MAX_BYTES } from './links.js';
import { type FileRef, openFile, refKey } from './refs.js';

/** What a request learns of a file: its type and size always, its bytes only up to the inline cap. */
export interface FileContent {
  readonly fileName?: string;
  readonly mimeType: string;
  /** The whole file's size in bytes. */
  readonly size: number;
  /** The bytes when `size` is within the service's inline cap; otherwise undefined (they were not kept). */
  readonly data?: Buffer;
}

const memo = new WeakMap<RequestContext, Map<string, Promise<FileContent>>>();

/**
 * Reads a file once per request (errors translated to GraphQL errors), keeping its bytes only while they fit the
 * service's inline cap: no `contentBase64` may return more, and `size` / `mimeType` need only a count. A request
 * asking for the size of a large file therefore never holds the file.
 */
export function fileContent(ctx: RequestContext, ref: FileRef): Promise<FileContent> {
  let files = memo.get(ctx);
  if (!files) {
    files = new Map();
    memo.set(ctx, files);
  }
  const key = refKey(ref);
  let file = files.get(key);
  if (!file) {
    file = translated(async () => {
      await authorizeFile(ctx, ref);
      return readContent(await openRefusedAsForbidden(ctx, ref), inlineCap(ctx, undefined));
    });
    files.set(key, file);
  }
  return file;
}

const CONNECTOR_OF: Readonly<Record<FileRef['kind'], string>> = {
  subject: 'SubjectConnector',
  file: 'FileConnector',
  image: 'ImageConnector',
  report: 'ReportConnector',
};

/**
 * Opens a file; a refusal by the file connector becomes FORBIDDEN for this one field. AFAS documents 401 with an
 * empty body as "valid token, but no access to this endpoint" and 403 as an IP restriction (OpenAPI files, e.g.
 * dossiers-en-bijlagen-en-workflows.json): the caller's credential is fine, this connector is not theirs. So
 * neither ends the request as UNAUTHENTICATED nor drops the cached grant, and the rest of the answer stands. A 401
 * or a "not supported for this app" is remembered for the credential (`auth.refuse`): the next request is refused
 * before any call and gets no download link. unconfirmed: whether Profit ever answers an expired token with 401 on a
 * file connector alone (the request's grant check calls `/metainfo` first, which would answer 401 then).
 */
async function openRefusedAsForbidden(ctx: RequestContext, ref: FileRef): Promise<ProfitFileStream> {
  try {
    return await openFile(ctx.client, ref);
  } catch (error) {
    if (!(error instanceof ProfitError)) throw error;
    if (error.kind !== 'unauthorized' && error.kind !== 'forbidden' && error.kind !== 'not-granted') throw error;
    // Not the credential's whole grant (that would drop the cache): this one connector.
    if (error.kind !== 'forbidden') ctx.auth.refuse(roleOf(ref));
    const connector = CONNECTOR_OF[ref.kind];
    throw new GraphQLError(
      error.kind === 'forbidden'
        ? `Profit's ${connector} refused this service's address (IP restriction on the app connector)`
        : `Profit's ${connector} refused this credential (${error.status}): the app connector does not give it this connector`,
      {
        extensions: {
          code: 'FORBIDDEN',
          reason: error.kind === 'forbidden' ? 'ip-restriction' : 'not-granted',
          connector,
          status: error.status,
        },
      },
    );
  }
}

async function readContent(file: ProfitFileStream, keep: number): Promise<FileContent> {
  let chunks: Buffer[] | undefined = [];
  let size = 0;
  for await (const chunk of file.data as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > keep) chunks = undefined;
    else chunks?.push(chunk);
  }
  return {
    ...(file.fileName !== undefined ? { fileName: file.fileName } : {}),
    mimeType: file.mimeType,
    size,
    ...(chunks ? { data: Buffer.concat(chunks) } : {}),
  };
}

export function fileTooLarge(size: number, maxBytes: number): GraphQLError {
  return new GraphQLError(
    `The file has ${size} bytes, more than the ${maxBytes} contentBase64 returns inline; fetch it from downloadUrl`,
    { extensions: { code: 'FILE_TOO_LARGE', size, maxBytes } },
  );
}

/** The cap for one `contentBase64`: the caller's `maxBytes`, never above the service's own. */
export function inlineCap(ctx: RequestContext, maxBytes: number | null | undefined): number {
  const service = ctx.files?.inlineMaxBytes ?? DEFAULT_INLINE_MAX_BYTES;
  if (maxBytes === null || maxBytes === undefined) return service;
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
    throw new GraphQLError(`maxBytes must be a whole number ≥ 0, got ${maxBytes}`, {
      extensions: { code: 'BAD_USER_INPUT', argument: 'maxBytes' },
    });
  }
  return Math.min(maxBytes, service);
}

/** The bytes as base64, or FILE_TOO_LARGE (the size is counted as the file arrives: Profit gives none beforehand). */
export async function inlineBase64(
  ctx: RequestContext,
  ref: FileRef,
  maxBytes: number | null | undefined,
): Promise<string> {
  const cap = inlineCap(ctx, maxBytes);
  const file = await fileContent(ctx, ref);
  if (file.size > cap || file.data === undefined) throw fileTooLarge(file.size, cap);
  return file.data.toString('base64');
}

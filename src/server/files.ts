/**
 * The download route, `GET /files/{ticket}`, and the links that point to it.
 *
 * A GraphQL request that selects a `downloadUrl` gets a link whose only path segment is a sealed ticket
 * (files-ticket.ts) holding the file's ref, the caller's own `Authorization` value (pass-through) and an expiry.
 * Opening the link calls Profit with that credential, or with the service credential in service mode, so a
 * download never sees more than the caller could in GraphQL, and answers the bytes with their type, a safe
 * `Content-Disposition`, `Cache-Control: private, no-store` and `nosniff`.
 *
 * | failure                                  | status | code                |
 * | ---------------------------------------- | ------ | ------------------- |
 * | ticket unreadable, altered, other key    | 403    | INVALID_TICKET      |
 * | ticket expired                           | 410    | TICKET_EXPIRED      |
 * | Profit: 401 (credential no longer valid) | 401    | UNAUTHENTICATED     |
 * | Profit: connector not granted, IP block  | 403    | FORBIDDEN           |
 * | Profit: 404 (no such file, or no rights) | 404    | NOT_FOUND           |
 * | Profit: 503 maintenance                  | 503    | PROFIT_UNAVAILABLE (+ Retry-After) |
 * | Profit: timeout / network                | 504 / 502 | PROFIT_UNREACHABLE |
 * | Profit: anything else                    | 502    | PROFIT_REJECTED / PROFIT_BAD_RESPONSE |
 *
 * Errors are JSON in the GraphQL error shape; they name no upstream URL, and nothing here logs a ticket.
 *
 * Profit sends a file as base64 inside JSON, so the client holds the whole answer before the first byte can go
 * out; the answer is then written with its Content-Length and the socket's back-pressure.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { Config } from '../config/index.js';
import { downloadName, type FileLinks, type FileRef, fetchFile } from '../graphql/files/index.js';
import { ProfitError, type ProfitFile } from '../profit/index.js';
import type { CredentialResolver } from './credentials.js';
import { scrubUpstream } from './errors.js';
import { openTicket, randomTicketKey, sealTicket } from './files-ticket.js';
import { sendError } from './http.js';
import type { Logger } from './log.js';

export const FILES_PREFIX = '/files/';

export interface FileRouteOptions {
  readonly config: Config;
  readonly resolveCredential: CredentialResolver;
  readonly logger: Logger;
  /** The service's own URL once it listens, for links when neither PUBLIC_URL nor a Host header says better. */
  readonly localUrl: () => string;
  /** @default Date.now */
  readonly now?: () => number;
}

export interface FileRoute {
  /** Links for one GraphQL request (its Host header and, in pass-through mode, its Authorization value). */
  linksFor(host: string | undefined, authorization: string | undefined): FileLinks;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/** A `Host` header as RFC 9110 allows it (name or IPv4 or [IPv6], optional port): anything else is not used. */
const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** `type/subtype` with optional parameters, no control characters: else Profit's value is not sent on. */
const MIME_TYPE =
  /^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+(?:\s*;\s*[A-Za-z0-9!#$&^_.+-]+=(?:[A-Za-z0-9!#$&^_.+-]+|"[^"\\\r\n]*"))*$/;

/**
 * `attachment; filename="…"; filename*=UTF-8''…` (RFC 6266 with RFC 8187/5987 encoding). The plain `filename`
 * is an ASCII fallback for old clients: non-ASCII becomes `_`, and quotes, backslashes, control characters and
 * path separators are replaced in both forms, so no file name can end the header or name a directory.
 */
export function contentDisposition(fileName: string): string {
  const cleaned =
    [...fileName]
      .map((c) => (c.charCodeAt(0) < 0x20 || c === '\u007f' || c === '/' || c === '\\' ? '_' : c))
      .join('')
      .trim() || 'download';
  const ascii = cleaned.replace(/[^\x20-\x7e]/g, '_').replace(/["%]/g, '_');
  const encoded = encodeURIComponent(cleaned).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

function httpError(error: ProfitError): {
  status: number;
  code: string;
  message: string;
  headers?: OutgoingHttpHeaders;
} {
  const said = error.externalMessage ? ` Profit said: ${JSON.stringify(scrubUpstream(error.externalMessage))}` : '';
  switch (error.kind) {
    case 'unauthorized':
      return {
        status: 401,
        code: 'UNAUTHENTICATED',
        message: 'Profit refused the credential this link was issued for (expired or revoked); sign in again.',
      };
    case 'not-granted':
      return {
        status: 403,
        code: 'FORBIDDEN',
        message: `The app connector does not grant this file connector to the link's credential.${said}`,
      };
    case 'forbidden':
      return {
        status: 403,
        code: 'FORBIDDEN',
        message: 'An IP restriction on the app connector refuses this service.',
      };
    case 'not-found':
      return {
        status: 404,
        code: 'NOT_FOUND',
        message: "Profit has no such file, or the link's credential may not read it.",
      };
    case 'unavailable':
      return {
        status: 503,
        code: 'PROFIT_UNAVAILABLE',
        message: `Profit is unavailable (maintenance).${said}`,
        ...(error.retryAfterSeconds !== undefined
          ? { headers: { 'retry-after': String(Math.ceil(error.retryAfterSeconds)) } }
          : {}),
      };
    case 'timeout':
      return { status: 504, code: 'PROFIT_UNREACHABLE', message: 'Profit did not answer in time.' };
    case 'network':
      return { status: 502, code: 'PROFIT_UNREACHABLE', message: 'Profit could not be reached.' };
    case 'rejected':
    case 'bad-request':
    case 'query-too-long':
    case 'invalid-argument':
      return { status: 502, code: 'PROFIT_REJECTED', message: `Profit refused the request.${said}` };
    default:
      return { status: 502, code: 'PROFIT_BAD_RESPONSE', message: 'Profit answered unexpectedly.' };
  }
}

export function createFileRoute(options: FileRouteOptions): FileRoute {
  const { config, resolveCredential, logger } = options;
  const now = options.now ?? Date.now;
  if (config.files.ticketSecret === undefined && config.production) {
    logger.warn(
      'FILE_TICKET_SECRET is not set: download links work only on the instance that issued them (set it when running several)',
    );
  }
  const key = config.files.ticketSecret ?? randomTicketKey();
  const passThrough = config.credential.kind === 'pass-through';

  const baseUrl = (host: string | undefined): string => {
    if (config.files.publicUrl !== undefined) return config.files.publicUrl;
    if (host !== undefined && HOST.test(host)) return `http://${host}`;
    return options.localUrl();
  };

  return {
    linksFor(host, authorization) {
      const base = baseUrl(host);
      return {
        inlineMaxBytes: config.files.inlineMaxBytes,
        downloadUrl(ref: FileRef) {
          const ticket = sealTicket(
            {
              ref,
              expiresAt: now() + config.files.ticketTtlSeconds * 1000,
              // Service mode: the service's own credential serves the download; nothing of the caller's is kept.
              ...(passThrough && authorization ? { authorization: authorization.trim() } : {}),
            },
            key,
          );
          return `${base}${FILES_PREFIX}${ticket}`;
        },
      };
    },

    async handle(req, res) {
      const ticket = (req.url ?? '').split('?')[0]?.slice(FILES_PREFIX.length) ?? '';
      const opened = openTicket(ticket, key, now());
      if (!opened.ok) {
        if (opened.reason === 'expired') {
          sendError(
            res,
            410,
            'TICKET_EXPIRED',
            'This download link has expired; ask the GraphQL API for a new downloadUrl.',
          );
        } else {
          sendError(
            res,
            403,
            'INVALID_TICKET',
            'This download link is not valid: it was changed, or issued by another service (or before a restart).',
          );
        }
        return;
      }
      const { ref, authorization } = opened.payload;
      const credential = resolveCredential(authorization);
      if (credential.kind !== 'client') {
        sendError(res, 401, 'UNAUTHENTICATED', 'This download link carries no usable credential; ask for a new one.');
        return;
      }
      // The download stops Profit's call when the caller goes away.
      const abort = new AbortController();
      const onClose = () => {
        if (!res.writableFinished) abort.abort();
      };
      res.once('close', onClose);
      let file: ProfitFile;
      try {
        file = await fetchFile(credential.client, ref, { signal: abort.signal });
      } catch (error) {
        if (abort.signal.aborted) return;
        if (!(error instanceof ProfitError)) {
          logger.error(
            `download of a ${ref.kind} file failed: ${error instanceof Error ? error.stack : String(error)}`,
          );
          sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
          return;
        }
        const mapped = httpError(error);
        if (mapped.status >= 500)
          logger.warn(`download of a ${ref.kind} file: Profit ${error.kind} (${mapped.status})`);
        sendError(res, mapped.status, mapped.code, mapped.message, mapped.headers ?? {});
        return;
      } finally {
        res.off('close', onClose);
      }
      const mimeType = MIME_TYPE.test(file.mimeType) ? file.mimeType : 'application/octet-stream';
      res.writeHead(200, {
        'content-type': mimeType,
        'content-length': file.data.length,
        'content-disposition': contentDisposition(downloadName(ref, file)),
        'cache-control': 'private, no-store',
        'x-content-type-options': 'nosniff',
        // Opened directly in a browser tab, an HTML or SVG file must not run scripts on this origin.
        'content-security-policy': "default-src 'none'; sandbox",
        'referrer-policy': 'no-referrer',
      });
      res.end(req.method === 'HEAD' ? undefined : file.data);
    },
  };
}

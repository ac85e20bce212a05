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
 * | request names another tenant (tenants.ts) | 403    | TENANT_MISMATCH     |
 * | Profit: 401 (credential no longer valid) | 401    | UNAUTHENTICATED     |
 * | Profit: connector not granted, IP block  | 403    | FORBIDDEN           |
 * | Profit: 404 (no such file, or no rights) | 404    | NOT_FOUND           |
 * | Profit: 503 maintenance                  | 503    | PROFIT_UNAVAILABLE (+ Retry-After) |
 * | Profit: timeout / network                | 504 / 502 | PROFIT_UNREACHABLE |
 * | Profit: anything else                    | 502    | PROFIT_REJECTED / PROFIT_BAD_RESPONSE |
 *
 * Errors are JSON in the GraphQL error shape; they name no upstream URL, and nothing here logs a ticket.
 *
 * Streaming: Profit sends a file as base64 inside JSON; the client decodes it as it arrives
 * (src/profit/file-body.ts), and the route passes the bytes on with back-pressure both ways, so memory stays at a
 * few chunks whatever the file's size. The first 64 KiB are read before the status: a file that fits goes out
 * with its `Content-Length`, and a failure within them still gets its status above. A longer file is sent
 * chunked; if Profit's answer breaks off after that, the transfer is cut without its final chunk, so the client
 * sees a failed download rather than a short file. A report is read whole first: Profit sends its `mimetype`
 * after its `filedata`.
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Config } from '../config/index.js';
import { downloadName, type FileLinks, type FileRef, openFile } from '../graphql/files/index.js';
import { ProfitError, type ProfitFileStream } from '../profit/index.js';
import type { CredentialResolver } from './credentials.js';
import { scrubUpstream } from './errors.js';
import { openTicket, randomTicketKey, sealTicket } from './files-ticket.js';
import { sendError } from './http.js';
import type { Logger } from './log.js';

export const FILES_PREFIX = '/files/';

/**
 * Decoded bytes read before the status goes out: a file up to this size is sent whole with its
 * `Content-Length`, and only a longer one is streamed (chunked) while Profit is still sending it.
 */
export const COMMIT_AFTER_BYTES = 64 * 1024;

/** Where a ticket's download runs: its environment's credentials, or why this request may not open it. */
export type TicketEnvironment =
  | { readonly ok: true; readonly resolveCredential: CredentialResolver; readonly timeoutMs: number }
  | { readonly ok: false; readonly status: number; readonly code: string; readonly message: string };

export interface FileRouteOptions {
  readonly config: Config;
  /**
   * The environment of the ticket's tenant (undefined: the one environment), as the download request may open it
   * (a request that names another tenant may not: src/server/tenants.ts).
   */
  readonly environmentOf: (tenant: string | undefined, req: IncomingMessage) => TicketEnvironment;
  readonly logger: Logger;
  /** The service's own URL once it listens, for links when neither PUBLIC_URL nor a Host header says better. */
  readonly localUrl: () => string;
  /** @default Date.now */
  readonly now?: () => number;
  /** Called once for each Profit failure a download answers with or breaks off on (the service logs it). */
  readonly onProfitFailure?: (error: ProfitError, req: IncomingMessage) => void;
  /** Called with the size of each chunk of file bytes sent to the caller (the metrics). */
  readonly onBytes?: (bytes: number) => void;
}

export interface FileRoute {
  /**
   * Links for one GraphQL request: its Host header, the credential a link carries (the caller's Authorization in
   * pass-through mode; undefined in service mode, where the service's own credential serves the download) and
   * its tenant (several environments).
   */
  linksFor(host: string | undefined, authorization: string | undefined, tenant?: string): FileLinks;
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
  const { config, environmentOf, logger, onProfitFailure, onBytes } = options;
  const now = options.now ?? Date.now;
  if (config.files.ticketSecret === undefined && config.production) {
    logger.warn(
      'FILE_TICKET_SECRET is not set: download links work only on the instance that issued them (set it when running several)',
    );
  }
  const key = config.files.ticketSecret ?? randomTicketKey();

  const baseUrl = (host: string | undefined): string => {
    if (config.files.publicUrl !== undefined) return config.files.publicUrl;
    if (host !== undefined && HOST.test(host)) return `http://${host}`;
    return options.localUrl();
  };

  return {
    linksFor(host, authorization, tenant) {
      const base = baseUrl(host);
      return {
        inlineMaxBytes: config.files.inlineMaxBytes,
        downloadUrl(ref: FileRef) {
          const ticket = sealTicket(
            {
              ref,
              expiresAt: now() + config.files.ticketTtlSeconds * 1000,
              ...(authorization ? { authorization: authorization.trim() } : {}),
              ...(tenant !== undefined ? { tenant } : {}),
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
      const { ref, authorization, tenant } = opened.payload;
      const environment = environmentOf(tenant, req);
      if (!environment.ok) {
        sendError(res, environment.status, environment.code, environment.message);
        return;
      }
      const credential = environment.resolveCredential(authorization, req);
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
      const failed = (error: unknown): void => {
        if (abort.signal.aborted || res.headersSent) return;
        if (!(error instanceof ProfitError)) {
          logger.error(
            `download of a ${ref.kind} file failed: ${error instanceof Error ? error.stack : String(error)}`,
          );
          sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
          return;
        }
        const mapped = httpError(error);
        if (onProfitFailure) onProfitFailure(error, req);
        else if (mapped.status >= 500)
          logger.warn(`download of a ${ref.kind} file: Profit ${error.kind} (${mapped.status})`);
        sendError(res, mapped.status, mapped.code, mapped.message, mapped.headers ?? {});
      };

      let file: ProfitFileStream;
      try {
        file = await openFile(credential.client, ref, { signal: abort.signal });
      } catch (error) {
        res.off('close', onClose);
        failed(error);
        return;
      }
      // The head of the file is read before the status is sent: a small file goes out whole with its length,
      // and an answer that breaks off early still gets a proper error status.
      const chunks = file.data[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
      const head: Buffer[] = [];
      let headBytes = 0;
      let complete = false;
      try {
        while (headBytes < COMMIT_AFTER_BYTES) {
          const next = await chunks.next();
          if (next.done) {
            complete = true;
            break;
          }
          head.push(next.value);
          headBytes += next.value.length;
        }
      } catch (error) {
        res.off('close', onClose);
        failed(error);
        return;
      }
      res.off('close', onClose);
      // From here the response owns the Profit call: closing one ends the other.
      res.once('close', () => {
        if (!file.data.destroyed) file.data.destroy();
      });
      const mimeType = MIME_TYPE.test(file.mimeType) ? file.mimeType : 'application/octet-stream';
      res.writeHead(200, {
        'content-type': mimeType,
        ...(complete ? { 'content-length': headBytes } : {}),
        'content-disposition': contentDisposition(downloadName(ref, file)),
        'cache-control': 'private, no-store',
        'x-content-type-options': 'nosniff',
        // Opened directly in a browser tab, an HTML or SVG file must not run scripts on this origin.
        'content-security-policy': "default-src 'none'; sandbox",
        'referrer-policy': 'no-referrer',
      });
      if (req.method === 'HEAD') {
        res.end();
        return;
      }
      // A reader that stops reading for as long as Profit may stay silent is let go, which frees the Profit call.
      res.setTimeout(environment.timeoutMs, () => res.destroy());
      res.once('finish', () => res.setTimeout(0));
      async function* body(): AsyncGenerator<Buffer> {
        for (const chunk of head) {
          onBytes?.(chunk.length);
          yield chunk;
        }
        if (complete) return;
        for (let next = await chunks.next(); !next.done; next = await chunks.next()) {
          onBytes?.(next.value.length);
          yield next.value;
        }
      }
      try {
        await pipeline(Readable.from(body(), { objectMode: false }), res);
      } catch (error) {
        // Headers are out: the transfer is cut (no final chunk), so the client sees an incomplete download,
        // never a short file that looks whole.
        if (error instanceof ProfitError) {
          if (onProfitFailure) onProfitFailure(error, req);
          else logger.warn(`download of a ${ref.kind} file broke off after the headers: Profit ${error.kind}`);
        }
        res.destroy();
      }
    },
  };
}

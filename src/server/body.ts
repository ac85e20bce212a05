/**
 * Reading a request body: its size limit, its deadline, and its `Content-Encoding`.
 *
 * Apollo Router compresses what it sends to a subgraph when its traffic shaping asks for it (`gzip`, `deflate`,
 * `br`). Such a body is decoded here, streaming (node:zlib), and the limit counts the DECODED bytes: a few
 * kilobytes of gzip can expand into gigabytes, so decoding stops, and the request is refused, the moment the
 * output passes the limit. The encoded bytes are held to the same limit, so nothing is read without a bound.
 */
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { Readable, Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { printable, quoted } from './http.js';

export type BodyResult =
  | { kind: 'ok'; body: Buffer }
  /** `encoded`: the limit was passed by the decoded bytes of a compressed body. */
  | { kind: 'too-large'; encoded: boolean }
  | { kind: 'aborted' }
  | { kind: 'timeout' }
  /** A body that cannot be read as sent (its encoding unknown or corrupt): answer it as given. */
  | { kind: 'refused'; status: number; code: string; message: string; headers: OutgoingHttpHeaders };

/**
 * The decoders of the content codings a body may carry (RFC 9110 §8.4.1). `deflate` is the zlib format (RFC
 * 1950), as the HTTP coding is defined and as Apollo Router sends it; `x-gzip` is gzip (RFC 9110 §8.4.1.3).
 */
const DECODERS: Readonly<Record<string, () => Transform>> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

/** The codings a request body may use, as the 415 answer and docs/http.md name them. */
export const SUPPORTED_ENCODINGS = ['gzip', 'deflate', 'br', 'identity'] as const;

/** At most this many codings stacked on one body (`gzip, br`): a longer chain is no client's, only work. */
const MAX_CODINGS = 2;

/**
 * The codings of a `Content-Encoding` header in the order they were applied (`identity` dropped), or the answer
 * refusing it: 415 naming the supported codings, with `Accept-Encoding` listing them (RFC 9110 §15.5.16).
 */
export function contentCodings(
  header: string | undefined,
): { kind: 'ok'; codings: string[] } | Extract<BodyResult, { kind: 'refused' }> {
  const codings = (header ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c !== '' && c !== 'identity');
  const unknown = codings.find((c) => !Object.hasOwn(DECODERS, c));
  if (unknown === undefined && codings.length <= MAX_CODINGS) return { kind: 'ok', codings };
  return {
    kind: 'refused',
    status: 415,
    code: 'UNSUPPORTED_CONTENT_ENCODING',
    message:
      unknown === undefined
        ? `Content-Encoding ${quoted(header ?? '')} stacks more than ${MAX_CODINGS} codings; send one of ${SUPPORTED_ENCODINGS.join(', ')}`
        : `Content-Encoding ${quoted(unknown)} is not supported; send the body as ${SUPPORTED_ENCODINGS.join(', ')}`,
    headers: { 'accept-encoding': SUPPORTED_ENCODINGS.filter((c) => c !== 'identity').join(', '), connection: 'close' },
  };
}

/**
 * What a request's headers say its body holds once decoded: its `content-length`, unless the body carries a
 * coding, whose length says nothing of what it expands to. `undefined` when unknown (chunked, or compressed).
 */
export function declaredBodyBytes(req: IncomingMessage): number | undefined {
  const parsed = contentCodings(req.headers['content-encoding']);
  if (parsed.kind === 'ok' && parsed.codings.length > 0) return undefined;
  const declared = Number(req.headers['content-length']);
  return Number.isFinite(declared) ? declared : undefined;
}

/**
 * Reads the whole body, decoded, up to `maxBytes`. A declared or actual size beyond it resolves `too-large` at once
 * and discards the rest of the upload, so a huge body costs neither memory nor waiting. A body not complete within
 * `timeoutMs` resolves `timeout` and what arrived is dropped: a client trickling bytes cannot hold a request (and
 * its memory) open for minutes. An unknown coding resolves `refused` (415) before a byte is read; data its decoder
 * rejects resolves `refused` (400), with the decoder's own words and never the bytes.
 */
export function readBody(req: IncomingMessage, maxBytes: number, timeoutMs?: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      req.resume();
      resolve({ kind: 'too-large', encoded: false });
      return;
    }
    const parsed = contentCodings(req.headers['content-encoding']);
    if (parsed.kind === 'refused') {
      req.resume();
      resolve(parsed);
      return;
    }
    const encoded = parsed.codings.length > 0;
    // Decoding undoes the codings in the reverse of the order they were applied.
    const decoders = parsed.codings
      .reverse()
      .map((coding) => ({ coding, stream: (DECODERS[coding] as () => Transform)() }));
    const chunks: Buffer[] = [];
    let rawSize = 0;
    let size = 0;
    let done = false;
    const timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            chunks.length = 0;
            finish({ kind: 'timeout' });
          }, timeoutMs);
    const finish = (result: BodyResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (result.kind !== 'ok' && encoded) {
        // Decoding stops here; whatever else the client sends is read and dropped (the answer closes the connection).
        req.unpipe();
        for (const d of decoders) d.stream.destroy();
        req.resume();
      }
      resolve(result);
    };
    let body: Readable = req;
    for (const { coding, stream } of decoders) {
      body.pipe(stream);
      body = stream;
      stream.on('error', (error: Error) =>
        finish({
          kind: 'refused',
          status: 400,
          code: 'INVALID_CONTENT_ENCODING',
          message: `The request body is not valid ${coding} data (Content-Encoding ${quoted(req.headers['content-encoding'] ?? '')}): ${printable(error.message)}`,
          headers: { connection: 'close' },
        }),
      );
    }
    if (encoded) {
      // The bytes on the wire are held to the limit too (incompressible data grows a little when compressed).
      req.on('data', (chunk: Buffer) => {
        rawSize += chunk.length;
        if (rawSize > maxBytes) finish({ kind: 'too-large', encoded: false });
      });
    }
    body.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > maxBytes) {
        chunks.length = 0;
        finish({ kind: 'too-large', encoded });
        return;
      }
      chunks.push(chunk);
    });
    body.on('end', () => finish({ kind: 'ok', body: Buffer.concat(chunks) }));
    req.on('error', () => finish({ kind: 'aborted' }));
    req.on('close', () => {
      if (!req.complete) finish({ kind: 'aborted' });
    });
  });
}

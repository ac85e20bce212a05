/**
 * Profit's file answers, read as they arrive. The Subject, File, Image and Report connectors answer
 * `{"filename": …, "mimetype": …, "filedata": "<base64>"}` (the ReportConnector's documented example puts
 * `filedata` first and has no `filename`). `FileBodyDecoder` scans that JSON one chunk at a time and decodes
 * `filedata` as it goes, so a file reaches its reader while Profit is still sending it, in memory proportional to
 * a chunk rather than to the file.
 *
 * The decoder is pure and synchronous (bytes in, bytes out); `openFileBody` drives it from a byte stream.
 */
import { Readable } from 'node:stream';
import { Base64Groups } from './base64-groups.js';
import type { ProfitFile } from './results.js';

/** The JSON is not a file answer (malformed, wrong shape, or `filedata` is not base64). */
export class FileBodyError extends Error {
  override readonly name = 'FileBodyError';
}

/** A file with its bytes still arriving. */
export interface ProfitFileStream {
  /** Profit's `filename`, when it came before `filedata` (the Report connector sends none). */
  readonly fileName?: string;
  /** Profit's `mimetype`, or `application/octet-stream` when it sent none. */
  readonly mimeType: string;
  /**
   * The decoded bytes. Read it to the end or destroy it: until then the call holds one of the connection's
   * parallel slots. Fails with the stream's error when Profit's answer breaks off or turns out malformed.
   */
  readonly data: Readable;
  /** The decoded size, known when the whole answer was read before `data` was handed out; else undefined. */
  readonly size?: number;
}

/**
 * What `openFileBody` drives: bytes of an answer in, the file's decoded bytes out, throwing `FileBodyError` at the
 * first sign the answer is not a file answer. `FileBodyDecoder` reads REST's JSON; the SOAP transport has its own
 * (soap/attachment.ts).
 */
export interface FileDecoder {
  /** The file's type is known: its bytes may be handed out. */
  readonly headReady: boolean;
  /** The whole answer has been read (what follows must be nothing). */
  readonly done: boolean;
  readonly fileName: string | undefined;
  readonly mimeType: string;
  readonly decodedBytes: number;
  write(chunk: Uint8Array): Buffer[];
  end(): Buffer[];
}

/** Field names and values other than `filedata` are small; one longer than this is not a file answer. */
const MAX_FIELD_BYTES = 1024 * 1024;

const BOM = [0xef, 0xbb, 0xbf];
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isJsonSpace(b: number): boolean {
  return b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d;
}

type State =
  | 'start'
  | 'key-or-end' // after `{`
  | 'key' // after `,`
  | 'in-key'
  | 'colon'
  | 'value'
  | 'in-other'
  | 'in-data'
  | 'after-value'
  | 'end';

/**
 * Incremental reader of one file answer. `write` each chunk in order and then `end`; both return the bytes of
 * `filedata` decoded so far (base64 is decoded per complete group of four characters, the rest waits for the
 * next chunk). Throws `FileBodyError` at the first sign the answer is not a file answer.
 */
export class FileBodyDecoder implements FileDecoder {
  #state: State = 'start';
  #offset = 0;
  /** Raw bytes of the key or non-`filedata` value being read. */
  #raw: Buffer[] = [];
  #rawBytes = 0;
  #key = '';
  #depth = 0;
  #inString = false;
  #escaped = false;
  /** `filedata`'s base64, decoded in whole groups of four. */
  readonly #base64 = new Base64Groups((what) => this.#fail(what), 'filedata');
  /** An escape sequence inside `filedata` split across chunks: `\`, `\u`, `\u0`… */
  #escape = '';
  #bom = 0;
  #dataStarted = false;
  #dataDone = false;
  readonly #fields = new Map<string, unknown>();

  /** True once `filedata` has begun with `mimetype` already read: the file's type is known before its bytes. */
  get headReady(): boolean {
    return (this.#dataStarted && this.#fields.has('mimetype')) || this.#state === 'end';
  }

  get done(): boolean {
    return this.#state === 'end';
  }

  get fileName(): string | undefined {
    const v = this.#fields.get('filename');
    return typeof v === 'string' ? v : undefined;
  }

  get mimeType(): string {
    const v = this.#fields.get('mimetype');
    return typeof v === 'string' && v !== '' ? v : 'application/octet-stream';
  }

  /** Decoded bytes handed out so far. */
  get decodedBytes(): number {
    return this.#base64.decodedBytes;
  }

  write(chunk: Uint8Array): Buffer[] {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const out: Buffer[] = [];
    let i = 0;
    while (i < buf.length) {
      if (this.#state === 'in-data') {
        i = this.#data(buf, i, out);
        continue;
      }
      if (this.#state === 'in-key' || this.#state === 'in-other') {
        i = this.#collect(buf, i);
        continue;
      }
      const b = buf[i] as number;
      i += 1;
      this.#offset += 1;
      if (isJsonSpace(b)) continue;
      this.#structural(b);
    }
    return out;
  }

  /** The input is complete: checks the answer ended properly and returns the last decoded bytes. */
  end(): Buffer[] {
    if (this.#state !== 'end') {
      throw new FileBodyError(
        this.#state === 'start'
          ? 'the answer is empty'
          : `the answer ends in the middle of its JSON (after ${this.#offset} bytes)`,
      );
    }
    return [];
  }

  #fail(what: string): never {
    throw new FileBodyError(`${what} at byte ${this.#offset}`);
  }

  /** One significant byte outside strings and non-`filedata` values. */
  #structural(b: number): void {
    switch (this.#state) {
      case 'start':
        // A UTF-8 byte order mark is tolerated, as text decoders do.
        if (this.#bom < 3 && b === BOM[this.#bom] && this.#offset === this.#bom + 1) {
          this.#bom += 1;
          return;
        }
        if (this.#bom > 0 && this.#bom < 3) this.#fail('incomplete byte order mark');
        if (b !== 0x7b) this.#fail('expected a JSON object');
        this.#state = 'key-or-end';
        return;
      case 'key-or-end':
      case 'key':
        if (b === 0x7d && this.#state === 'key-or-end') {
          this.#finish();
          return;
        }
        if (b !== QUOTE) this.#fail('expected a field name');
        this.#startRaw(b);
        this.#state = 'in-key';
        return;
      case 'colon':
        if (b !== 0x3a) this.#fail("expected ':'");
        this.#state = 'value';
        return;
      case 'value':
        if (this.#key === 'filedata') {
          if (b !== QUOTE) this.#fail('filedata is not a string');
          if (this.#dataStarted) this.#fail('filedata appears twice');
          this.#dataStarted = true;
          this.#state = 'in-data';
          return;
        }
        if (b === 0x2c || b === 0x7d || b === 0x5d || b === 0x3a) this.#fail('expected a value');
        this.#startRaw(b);
        this.#depth = b === 0x7b || b === 0x5b ? 1 : 0;
        this.#inString = b === QUOTE;
        this.#state = 'in-other';
        return;
      case 'after-value':
        if (b === 0x2c) this.#state = 'key';
        else if (b === 0x7d) this.#finish();
        else this.#fail("expected ',' or '}'");
        return;
      case 'end':
        this.#fail('unexpected data after the JSON object');
        return;
      default:
        this.#fail('unexpected byte');
    }
  }

  #finish(): void {
    if (!this.#dataDone) throw new FileBodyError('the answer has no filedata');
    this.#state = 'end';
  }

  #startRaw(first: number): void {
    this.#raw = [Buffer.of(first)];
    this.#rawBytes = 1;
    this.#escaped = false;
  }

  /** Reads a key (a string) or a non-`filedata` value (any JSON) until it ends; returns the next index. */
  #collect(buf: Buffer, from: number): number {
    const key = this.#state === 'in-key';
    let i = from;
    let ended = false;
    for (; i < buf.length; i++) {
      const b = buf[i] as number;
      if (key || this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (b === BACKSLASH) this.#escaped = true;
        else if (b === QUOTE) {
          if (key || this.#depth === 0) {
            i += 1;
            ended = true;
            break;
          }
          this.#inString = false;
        }
        continue;
      }
      if (b === QUOTE) this.#inString = true;
      else if (b === 0x7b || b === 0x5b) this.#depth += 1;
      else if (b === 0x7d || b === 0x5d || b === 0x2c) {
        if (this.#depth === 0) {
          // The value's terminator belongs to the object: left for `after-value`.
          ended = true;
          break;
        }
        if (b !== 0x2c) {
          this.#depth -= 1;
          if (this.#depth === 0) {
            i += 1;
            ended = true;
            break;
          }
        }
      }
    }
    this.#raw.push(buf.subarray(from, i));
    this.#rawBytes += i - from;
    this.#offset += i - from;
    if (this.#rawBytes > MAX_FIELD_BYTES) this.#fail(`a field other than filedata is over ${MAX_FIELD_BYTES} bytes`);
    if (!ended) return i;
    const text = Buffer.concat(this.#raw).toString('utf8');
    this.#raw = [];
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.#fail(key ? 'malformed field name' : 'malformed value');
    }
    if (key) {
      this.#key = value as string;
      this.#state = 'colon';
    } else {
      this.#fields.set(this.#key, value);
      this.#state = 'after-value';
    }
    return i;
  }

  /** Reads `filedata` characters, decoding every complete group of four; returns the next index. */
  #data(buf: Buffer, from: number, out: Buffer[]): number {
    let i = from;
    while (i < buf.length && this.#escape !== '') {
      this.#escape += String.fromCharCode(buf[i] as number);
      i += 1;
      this.#offset += 1;
      this.#unescape();
    }
    if (i >= buf.length) return i;
    const quote = buf.indexOf(QUOTE, i);
    const backslash = buf.indexOf(BACKSLASH, i);
    let stop = buf.length;
    if (quote >= 0) stop = quote;
    if (backslash >= 0 && backslash < stop) stop = backslash;
    if (stop > i) this.#appendRaw(buf.toString('latin1', i, stop));
    this.#offset += stop - i;
    this.#emit(out, false);
    if (stop === buf.length) return stop;
    this.#offset += 1;
    if (stop === quote) {
      this.#emit(out, true);
      this.#dataDone = true;
      this.#state = 'after-value';
    } else {
      this.#escape = '\\';
    }
    return stop + 1;
  }

  /** Completes an escape sequence inside `filedata` once it has all its characters. */
  #unescape(): void {
    const e = this.#escape;
    if (e.length < 2) return;
    const c = e[1];
    if (c === 'u') {
      if (e.length < 6) return;
      if (!/^[0-9A-Fa-f]{4}$/.test(e.slice(2))) this.#fail('malformed \\u escape in filedata');
      const code = Number.parseInt(e.slice(2), 16);
      if (!isJsonSpace(code)) this.#append(String.fromCharCode(code));
    } else if (c === '/') this.#append('/');
    else if (c === 'n' || c === 'r' || c === 't') {
      // An escaped line break: base64 wrapped in lines (MIME style); skipped.
    } else this.#fail(`'\\${c}' in filedata, which must be base64`);
    this.#escape = '';
  }

  /** Characters of `filedata` as sent: printable ASCII only (JSON allows no raw control characters in strings). */
  #appendRaw(text: string): void {
    if (/[^\x20-\x7e]/.test(text)) this.#fail('control or non-ASCII character in filedata');
    this.#append(text.includes(' ') ? text.replace(/ +/g, '') : text);
  }

  #append(t: string): void {
    this.#base64.append(t);
  }

  /** Decodes the complete groups of four (all of it when `last`). */
  #emit(out: Buffer[], last: boolean): void {
    if (last && this.#escape !== '') this.#fail('filedata ends inside an escape');
    this.#base64.emit(out, last);
  }
}

/**
 * Reads a file answer from `source` until its type is known (normally: until `filedata` begins), then hands out
 * the rest as `data`, decoded while it arrives, with back-pressure from `data`'s reader down to `source`.
 * When `filedata` comes before `mimetype`, the whole answer is read first (the type is not known until then).
 *
 * `fail` turns an error of `source` into the error to report. Decoding errors become `invalid(message)`.
 * `decoder` reads the answer's format: REST's JSON unless told otherwise.
 */
export async function openFileBody<E extends Error>(
  source: Readable,
  fail: (cause: unknown) => E,
  invalid: (message: string, cause: FileBodyError) => E,
  decoder: FileDecoder = new FileBodyDecoder(),
): Promise<ProfitFileStream> {
  const iterator = source[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const ready: Buffer[] = [];
  let finished = false;

  const translate = (e: unknown): E => (e instanceof FileBodyError ? invalid(e.message, e) : fail(e));
  /** One chunk more into `ready`; false once the answer is complete. Throws what the source or decoder threw. */
  const pull = async (): Promise<boolean> => {
    const next = await iterator.next();
    if (next.done) {
      ready.push(...decoder.end());
      finished = true;
      return false;
    }
    ready.push(...decoder.write(next.value));
    return true;
  };

  try {
    while (!decoder.headReady && (await pull()));
    if (decoder.done && !finished) {
      // The object is complete: drain the end of the stream to check nothing follows it.
      while (await pull());
    }
  } catch (e) {
    source.destroy();
    throw translate(e);
  }

  const size = finished ? decoder.decodedBytes : undefined;
  let pulling = false;
  const data: Readable = new Readable({
    read() {
      pump();
    },
    // Destroyed before its end (the reader went away): stop reading Profit's answer at once, which frees the
    // slot. (A `Readable.from(generator)` would wait for the pending chunk first: forever, if Profit stalls.)
    destroy(error, callback) {
      if (!finished) source.destroy();
      callback(error);
    },
  });
  function pump(): void {
    while (ready.length > 0) {
      if (!data.push(ready.shift())) return;
    }
    if (finished) {
      data.push(null);
      return;
    }
    if (pulling || data.destroyed) return;
    pulling = true;
    pull().then(
      () => {
        pulling = false;
        pump();
      },
      (e: unknown) => {
        pulling = false;
        data.destroy(translate(e));
      },
    );
  }
  return {
    ...(decoder.fileName !== undefined ? { fileName: decoder.fileName } : {}),
    mimeType: decoder.mimeType,
    data,
    ...(size !== undefined ? { size } : {}),
  };
}

/** Reads a whole file stream into memory. */
export async function collectFileStream(file: ProfitFileStream): Promise<ProfitFile> {
  const chunks: Buffer[] = [];
  for await (const chunk of file.data) chunks.push(chunk as Buffer);
  return {
    ...(file.fileName !== undefined ? { fileName: file.fileName } : {}),
    mimeType: file.mimeType,
    data: Buffer.concat(chunks),
  };
}

/**
 * A dossier item attachment over SOAP: `AppConnectorSubject.asmx` `GetAttachment(token, subjectID, fileId)`, whose
 * `GetAttachmentResult` is the file's bytes as base64 text and nothing else (MegaChriz/afasprofit
 * `src/Core/Connector/SubjectConnector.php` and `SubjectConnectorInterface.php`: "The base64-encoded file").
 *
 * The answer carries no file name and no MIME type, where REST's `SubjectConnector` JSON has `filename` and
 * `mimetype` (endpoint-subjectconnector-get.md). The client does not guess them from the bytes or from a name: the
 * file comes out as `application/octet-stream` without `fileName`, as a REST answer without those fields would.
 * (`GetSubjectAttachmentInfo` lists a subject's file names, per the same source; the client does not call it, the
 * emulator does not serve it, and its shape is unconfirmed.)
 *
 * `AttachmentDecoder` reads the envelope as it arrives, so a file reaches its reader while Profit is still sending
 * it, in memory proportional to a chunk, as REST's file answers are read (file-body.ts). Pure and synchronous.
 */
import { Base64Groups } from '../base64-groups.js';
import { FileBodyError, type FileDecoder } from '../file-body.js';
import type { SoapCall } from './envelope.js';

/** The `GetAttachment` call; a fault that is neither a token's nor a grant's means the file is absent. Pure. */
export function getAttachmentCall(subjectId: string, fileId: string): SoapCall {
  return {
    service: 'AppConnectorSubject',
    operation: 'GetAttachment',
    params: [
      ['subjectID', subjectId],
      ['fileId', fileId],
    ],
    notFoundOnFault: true,
  };
}

/** The envelope around the base64 is small: more than this before or after it is not such an answer. */
const MAX_ENVELOPE_PART = 64 * 1024;
const RESULT_OPEN = /<(?:[A-Za-z_][\w.-]*:)?GetAttachmentResult(?:\s[^<>]*?)?(\/?)>/;
const RESULT_CLOSE = /^<\/(?:[A-Za-z_][\w.-]*:)?GetAttachmentResult\s*>/;
const ENVELOPE_CLOSE = /<\/(?:[A-Za-z_][\w.-]*:)?Envelope\s*>\s*$/;
/** A character that is neither base64, its padding, white space, nor the start of a reference or of the close tag. */
const NOT_DATA = /[^A-Za-z0-9+/=\s]/g;
const SPACE = /\s+/g;
/** A character reference; inside the base64 only white space may be one (.NET writes a CR as `&#xD;`). */
const REFERENCE = /^&#(?:x([0-9A-Fa-f]{1,6})|(\d{1,7}));$/;
const MAX_REFERENCE = 12;

function isSpaceReference(text: string): boolean {
  const m = REFERENCE.exec(text);
  if (m === null) return false;
  const code = m[1] !== undefined ? Number.parseInt(m[1], 16) : Number(m[2]);
  return code === 0x9 || code === 0xa || code === 0xd || code === 0x20;
}

type State = 'head' | 'data' | 'tail';

/** Incremental reader of a `GetAttachmentResponse` envelope: see the file comment. */
export class AttachmentDecoder implements FileDecoder {
  #state: State = 'head';
  /** The envelope before the result (`head`), or after it (`tail`), as text. */
  #text = '';
  /** The result's base64, decoded in whole groups of four (alphabet and padding checked). */
  readonly #base64 = new Base64Groups((what) => {
    throw new FileBodyError(what);
  }, 'GetAttachmentResult');
  /** A character reference inside the base64 split across chunks. */
  #reference = '';
  #resultClosed = false;
  #done = false;

  get headReady(): boolean {
    return this.#state !== 'head';
  }

  get done(): boolean {
    return this.#done;
  }

  readonly fileName = undefined;
  readonly mimeType = 'application/octet-stream';

  get decodedBytes(): number {
    return this.#base64.decodedBytes;
  }

  write(chunk: Uint8Array): Buffer[] {
    // The envelope around the base64 is ASCII in practice; latin1 keeps one character per byte, so a UTF-8
    // sequence split between chunks cannot break the text (only ASCII matters to what is read).
    const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
    const out: Buffer[] = [];
    this.#read(text, out);
    return out;
  }

  end(): Buffer[] {
    if (this.#state === 'head') throw new FileBodyError('the answer has no GetAttachmentResult');
    if (this.#state === 'data') throw new FileBodyError('the answer ends inside GetAttachmentResult');
    if (!this.#done) throw new FileBodyError('the answer ends before its SOAP envelope closes');
    return [];
  }

  #read(text: string, out: Buffer[]): void {
    if (this.#state === 'head') {
      this.#text += text;
      const open = RESULT_OPEN.exec(this.#text);
      if (open === null) {
        if (this.#text.length > MAX_ENVELOPE_PART) throw new FileBodyError('no GetAttachmentResult in the answer');
        return;
      }
      const rest = this.#text.slice(open.index + open[0].length);
      this.#text = '';
      if (open[1] === '/') {
        // An empty result: a file of no bytes (unconfirmed that Profit writes one so).
        this.#state = 'tail';
        this.#resultClosed = true;
        this.#text = rest;
        this.#checkTail();
        return;
      }
      this.#state = 'data';
      text = rest;
    }
    if (this.#state === 'data') text = this.#data(text, out);
    if (this.#state === 'tail' && text !== '') {
      this.#text += text;
      this.#checkTail();
    }
  }

  /** Reads base64 up to the `<` that ends it; returns the text after the base64 (`''` while it goes on). */
  #data(text: string, out: Buffer[]): string {
    let at = 0;
    while (at < text.length) {
      if (this.#reference !== '') {
        const semi = text.indexOf(';', at);
        const end = semi < 0 ? text.length : semi + 1;
        this.#reference += text.slice(at, end);
        at = end;
        if (semi < 0) {
          if (this.#reference.length > MAX_REFERENCE)
            throw new FileBodyError('a character reference inside the base64');
          break;
        }
        if (!isSpaceReference(this.#reference)) {
          throw new FileBodyError(`${this.#reference} inside the base64`);
        }
        this.#reference = '';
        continue;
      }
      NOT_DATA.lastIndex = at;
      const stop = NOT_DATA.exec(text);
      const until = stop === null ? text.length : stop.index;
      this.#append(text.slice(at, until));
      if (stop === null) break;
      if (stop[0] === '&') {
        this.#reference = '&';
        at = until + 1;
        continue;
      }
      if (stop[0] !== '<') throw new FileBodyError(`${JSON.stringify(stop[0])} inside the base64`);
      this.#emit(out, true);
      this.#state = 'tail';
      return text.slice(until);
    }
    this.#emit(out, false);
    return '';
  }

  /** Checks the text after the base64: the result's close tag, then the rest of the envelope to its end. */
  #checkTail(): void {
    if (this.#text.length > MAX_ENVELOPE_PART) throw new FileBodyError('too much text after GetAttachmentResult');
    if (!this.#resultClosed) {
      if (!RESULT_CLOSE.test(this.#text)) {
        // Markup inside the result (an element, CDATA) is no base64 text; an unfinished tag waits for more.
        if (this.#text.includes('>')) throw new FileBodyError('GetAttachmentResult holds more than base64 text');
        return;
      }
      this.#resultClosed = true;
    }
    this.#done = ENVELOPE_CLOSE.test(this.#text);
  }

  /** Adds base64 characters (white space dropped). */
  #append(run: string): void {
    if (run === '') return;
    this.#base64.append(run.replace(SPACE, ''));
  }

  /** Decodes the complete groups of four (all of it when `last`). */
  #emit(out: Buffer[], last: boolean): void {
    if (last && this.#reference !== '') throw new FileBodyError('the base64 ends inside a character reference');
    this.#base64.emit(out, last);
  }
}

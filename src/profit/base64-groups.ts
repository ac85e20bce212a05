/**
 * A file's base64 decoded as it arrives, in whole groups of four characters, with the alphabet and the padding
 * checked: the JSON `filedata` of the file connectors (file-body.ts) and SOAP's `GetAttachmentResult`
 * (soap/attachment.ts). Node's base64 decoder skips characters outside the alphabet silently; this refuses them.
 */
const BASE64_RUN = /^[A-Za-z0-9+/]*$/;
const PADDING_RUN = /^=*$/;

export class Base64Groups {
  /** Base64 characters not yet decoded (fewer than four between calls, plus padding). */
  #pending = '';
  #padding = 0;
  #decodedBytes = 0;

  constructor(
    /** Throws the decoder's own error. */
    private readonly fail: (what: string) => never,
    /** What the text is called in errors (`filedata`). */
    private readonly name: string,
  ) {}

  /** Decoded bytes handed out so far. */
  get decodedBytes(): number {
    return this.#decodedBytes;
  }

  /** Adds base64 characters (white space already dropped). */
  append(t: string): void {
    if (t === '') return;
    if (this.#padding > 0 || t.includes('=')) {
      const at = t.indexOf('=');
      const tail = at < 0 ? t : t.slice(at);
      if ((this.#padding > 0 && at !== 0) || !PADDING_RUN.test(tail) || !BASE64_RUN.test(t.slice(0, Math.max(0, at)))) {
        this.fail(`${this.name} is not base64 (characters after its padding)`);
      }
      this.#padding += tail.length;
      if (this.#padding > 2) this.fail(`${this.name} is not base64 (more than two padding characters)`);
    } else if (!BASE64_RUN.test(t)) {
      this.fail(`${this.name} is not base64`);
    }
    this.#pending += t;
  }

  /** Decodes the complete groups of four into `out` (all of it when `last`). */
  emit(out: Buffer[], last: boolean): void {
    const p = this.#pending;
    if (last) {
      const bare = p.replace(/=+$/, '');
      if (bare.length % 4 === 1 || (this.#padding > 0 && p.length % 4 !== 0)) {
        this.fail(`${this.name} is not base64 (its length is not a whole number of bytes)`);
      }
      this.#pending = '';
      if (bare.length > 0) this.#push(out, Buffer.from(bare, 'base64'));
      return;
    }
    // After padding only the final group is left: decoded when the text ends.
    if (this.#padding > 0) return;
    const n = p.length - (p.length % 4);
    if (n === 0) return;
    this.#pending = p.slice(n);
    this.#push(out, Buffer.from(n === p.length ? p : p.slice(0, n), 'base64'));
  }

  #push(out: Buffer[], bytes: Buffer): void {
    this.#decodedBytes += bytes.length;
    out.push(bytes);
  }
}

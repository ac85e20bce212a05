/**
 * The cap on large uploads in progress: at most `maxConcurrent` at once, and together at most `memoryBytes` of
 * body (each reserves its declared `content-length`, or the largest upload allowed when it declares none), so
 * parallel 75 MB uploads cannot take the process's memory. A request beyond either bound is refused at once
 * (503 `TOO_MANY_UPLOADS`) before its body is read, instead of waiting with its bytes piling up.
 */
export interface UploadSlotsOptions {
  /** Uploads in progress at once. @default 2 */
  readonly maxConcurrent: number;
  /** Body bytes reserved by all uploads in progress together. @default 167_772_160 (160 MiB) */
  readonly memoryBytes: number;
}

export class UploadSlots {
  #active = 0;
  #reserved = 0;

  constructor(readonly options: UploadSlotsOptions) {}

  /** Uploads in progress and the bytes they reserve. */
  get load(): { readonly active: number; readonly reservedBytes: number } {
    return { active: this.#active, reservedBytes: this.#reserved };
  }

  /**
   * Takes a slot reserving `bytes`, and returns its (idempotent) release; `undefined` when the upload does not fit
   * now. One upload alone is never refused for memory: its size is bounded by `MAX_UPLOAD_BYTES` already.
   */
  acquire(bytes: number): (() => void) | undefined {
    if (this.#active >= this.options.maxConcurrent) return undefined;
    if (this.#active > 0 && this.#reserved + bytes > this.options.memoryBytes) return undefined;
    this.#active++;
    this.#reserved += bytes;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#active--;
      this.#reserved -= bytes;
    };
  }
}

/**
 * The seeded randomness behind the demo company. Everything the company generates comes from one `Random`
 * built from the seed, so the same seed always yields the same company (no `Math.random`, no clock).
 */
import { createHash } from 'node:crypto';

/** mulberry32: a tiny 32-bit PRNG, good enough for demo data and fast at scale 100. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max] (both inclusive). */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** A child generator, so that adding rows to one table does not shift the values of another. */
  fork(label: string): Random {
    return new Random(this.int(0, 0xffffffff) ^ hash32(label));
  }
}

/** FNV-1a, for deriving sub-seeds from labels. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Upper-case hex of SHA-256 over the parts: stable ids (tokens, file ids) derived from the seed. */
export function stableHex(length: number, ...parts: readonly (string | number)[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, length).toUpperCase();
}

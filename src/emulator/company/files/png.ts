/**
 * A minimal PNG encoder (signature, IHDR, PLTE, IDAT, IEND; CRC-32 over type and data), so that the demo company
 * carries real images without binary fixtures. Images are palette-based with a simple pattern: an original of
 * 1600×1200 stays a few kilobytes after deflate.
 */
import { deflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

export function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

export type Rgb = readonly [number, number, number];

export interface PatternImage {
  readonly width: number;
  readonly height: number;
  /** Background and foreground colours. */
  readonly colours: readonly [Rgb, Rgb];
  /** Width of the diagonal stripes in pixels. @default a tenth of the smaller side */
  readonly stripe?: number;
}

/** Encodes a two-colour diagonal-stripe image as an 8-bit palette PNG. */
export function encodePng(image: PatternImage): Buffer {
  const { width, height, colours } = image;
  const stripe = Math.max(1, image.stripe ?? Math.floor(Math.min(width, height) / 10));
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 3; // colour type: palette
  ihdr[10] = 0; // deflate
  ihdr[11] = 0; // adaptive filtering
  ihdr[12] = 0; // no interlace
  const palette = Buffer.from([...colours[0], ...colours[1]]);
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width + 1);
    raw[row] = 0; // filter: none
    for (let x = 0; x < width; x++) raw[row + 1 + x] = Math.floor((x + y) / stripe) % 2;
  }
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('PLTE', palette),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Width and height from a PNG's IHDR, or undefined when the bytes are no PNG. */
export function pngSize(data: Buffer): { width: number; height: number } | undefined {
  if (data.length < 24 || !data.subarray(0, 8).equals(SIGNATURE) || data.toString('ascii', 12, 16) !== 'IHDR') {
    return undefined;
  }
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

/** A colour from a hue (0–359), saturated and mid-light: distinct colours for distinct files. */
export function hueColour(hue: number): Rgb {
  const h = (((hue % 360) + 360) % 360) / 60;
  const x = Math.round(200 * (1 - Math.abs((h % 2) - 1)));
  const c = 200;
  const table: Rgb[] = [
    [c, x, 40],
    [x, c, 40],
    [40, c, x],
    [40, x, c],
    [x, 40, c],
    [c, 40, x],
  ];
  return table[Math.floor(h) % 6] ?? [c, c, c];
}

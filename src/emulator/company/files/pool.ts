/**
 * The demo company's file contents. Tens of thousands of attachments share a small pool of real files (PDFs per
 * document kind, PNGs in 24 colours), built once per company; uploads through KnSubjectAttachment are kept as sent.
 * The ImageConnector's images are rendered on first use, since their originals are large.
 */
import { StoredFile } from '../types.js';
import { encodePdf } from './pdf.js';
import { encodePng, hueColour } from './png.js';

export const PNG_VARIANTS = 24;

export interface DocumentKind {
  readonly key: string;
  readonly title: string;
  readonly lines: readonly string[];
}

export const DOCUMENT_KINDS: readonly DocumentKind[] = [
  {
    key: 'payslip',
    title: 'Loonstrook',
    lines: [
      'Periode: maand',
      'Bruto salaris          4.123,45',
      'Loonheffing            1.012,30',
      'Netto     3.111,15',
    ],
  },
  {
    key: 'contract',
    title: 'Arbeidsovereenkomst',
    lines: ['Partijen:', "Demo Holding B.V., gevestigd te 's-Hertogenbosch", 'en werknemer.'],
  },
  {
    key: 'letter',
    title: 'Brief',
    lines: ['Geachte heer, mevrouw,', 'Hierbij ontvangt u de jaarstukken; zie bijlage.', 'Met vriendelijke groet,'],
  },
  {
    key: 'invoice',
    title: 'Inkoopfactuur',
    lines: ['Factuurnummer PUR000232', 'Bedrag excl. btw     1.250,00', 'Btw 21%                262,50'],
  },
  { key: 'report', title: 'Projectrapportage', lines: ['Status: op schema', 'Uren besteed: 120', "Risico's: geen"] },
];

export interface FilePool {
  png(variant: number): Buffer;
  pdf(kind: string): Buffer;
}

export function createFilePool(): FilePool {
  const pngs = Array.from({ length: PNG_VARIANTS }, (_, i) =>
    encodePng({ width: 150, height: 150, colours: [[250, 250, 250], hueColour(i * 15)], stripe: 10 + (i % 4) * 5 }),
  );
  const pdfs = new Map(DOCUMENT_KINDS.map((kind) => [kind.key, encodePdf({ title: kind.title, lines: kind.lines })]));
  return {
    png: (variant) => pngs[((variant % PNG_VARIANTS) + PNG_VARIANTS) % PNG_VARIANTS] as Buffer,
    pdf: (kind) => pdfs.get(kind) ?? (pdfs.get('letter') as Buffer),
  };
}

const MIME_TYPES: Readonly<Record<string, string>> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  txt: 'text/plain',
  csv: 'text/csv',
  xml: 'application/xml',
  json: 'application/json',
  zip: 'application/zip',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** The MIME type Profit answers for a file name, by extension; unknown extensions are `application/octet-stream`. */
export function mimeTypeOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  const extension = dot < 0 ? '' : fileName.slice(dot + 1).toLowerCase();
  return MIME_TYPES[extension] ?? 'application/octet-stream';
}

export function storedFile(fileName: string, data: Buffer): StoredFile {
  return { fileName, mimeType: mimeTypeOf(fileName), data };
}

/** Sizes of the ImageConnector's formats: 0 original, 1 thumbnail (≤64 px), 2 medium (≤1000 px). */
export const IMAGE_SIZES: readonly (readonly [number, number])[] = [
  [1600, 1200],
  [64, 48],
  [1000, 750],
];

export function renderImage(hue: number, format: 0 | 1 | 2): Buffer {
  const [width, height] = IMAGE_SIZES[format] ?? [64, 48];
  return encodePng({ width, height, colours: [[255, 255, 255], hueColour(hue)] });
}

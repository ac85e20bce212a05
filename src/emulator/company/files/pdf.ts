/**
 * A minimal PDF 1.4 writer: Helvetica text lines on A4 pages, a correct cross-reference table and trailer.
 * Enough for dossier attachments and report output that any PDF reader opens.
 */

const PAGE_WIDTH = 595; // A4 in points
const PAGE_HEIGHT = 842;
const LINES_PER_PAGE = 60;

export interface PdfDocument {
  readonly title: string;
  readonly lines: readonly string[];
}

/**
 * A string literal in WinAnsiEncoding: Latin-1 characters as octal escapes, others (such as `ı` in Yılmaz) as `?`.
 */
function pdfString(text: string): string {
  let out = '(';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 63;
    if (char === '(' || char === ')' || char === '\\') out += `\\${char}`;
    else if (code >= 32 && code < 127) out += char;
    else if (code >= 160 && code <= 255) out += `\\${code.toString(8).padStart(3, '0')}`;
    else out += '?';
  }
  return `${out})`;
}

export function encodePdf(doc: PdfDocument): Buffer {
  const pages: string[][] = [];
  const body = [...doc.lines];
  do pages.push(body.splice(0, LINES_PER_PAGE));
  while (body.length > 0);

  // Object numbers: 1 catalog, 2 pages, 3 font, 4 info, then per page: page object and content stream.
  const objects: string[] = [];
  const pageIds = pages.map((_, i) => 5 + i * 2);
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`;
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';
  objects[4] = `<< /Title ${pdfString(doc.title)} /Producer (profit-subgraph demo company) >>`;
  pages.forEach((lines, index) => {
    const pageId = pageIds[index] ?? 0;
    const ops = ['BT', '/F1 14 Tf', `50 ${PAGE_HEIGHT - 60} Td`, `${pdfString(doc.title)} Tj`, '/F1 9 Tf', '0 -24 Td'];
    for (const line of lines) ops.push(`${pdfString(line)} Tj`, '0 -12 Td');
    ops.push(`${pdfString(`Pagina ${index + 1} van ${pages.length}`)} Tj`, 'ET');
    const stream = ops.join('\n');
    objects[pageId] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE_WIDTH} ${PAGE_HEIGHT}] ` +
      `/Resources << /Font << /F1 3 0 R >> >> /Contents ${pageId + 1} 0 R >>`;
    objects[pageId + 1] = `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`;
  });

  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = Buffer.byteLength(out, 'latin1');
    out += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xrefOffset = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) out += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length} /Root 1 0 R /Info 4 0 R >>\nstartxref\n${xrefOffset}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

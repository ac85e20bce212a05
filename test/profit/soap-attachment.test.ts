/**
 * The SOAP GetAttachment answer read as it arrives (src/profit/soap/attachment.ts): the file's bytes out of the
 * base64 in `GetAttachmentResult`, whatever the chunking, and a clear `FileBodyError` for anything else. Pure.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { FileBodyError } from '../../src/profit/file-body.js';
import { AttachmentDecoder, getAttachmentCall } from '../../src/profit/soap/attachment.js';
import { buildEnvelope, type SoapFault } from '../../src/profit/soap/envelope.js';
import { errorFromFault } from '../../src/profit/soap/faults.js';

function envelope(result: string, prefix = ''): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/">' +
    `<soap:Body><GetAttachmentResponse xmlns="urn:Afas.Profit.Services">${result === '' ? `<${prefix}GetAttachmentResult/>` : `<${prefix}GetAttachmentResult>${result}</${prefix}GetAttachmentResult>`}` +
    '</GetAttachmentResponse></soap:Body></soap:Envelope>'
  );
}

/** Feeds `text` in chunks of `size` bytes and returns the decoded bytes. */
function decode(text: string, size: number): Buffer {
  const decoder = new AttachmentDecoder();
  const bytes = Buffer.from(text, 'utf8');
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(...decoder.write(bytes.subarray(i, i + size)));
  out.push(...decoder.end());
  expect(decoder.done).toBe(true);
  return Buffer.concat(out);
}

describe('GetAttachment call', () => {
  it('names subjectID and fileId after the token, as MegaChriz/afasprofit sends them', () => {
    const xml = buildEnvelope(getAttachmentCall('49946', '5C05'), '<token/>');
    expect(xml).toContain(
      '<GetAttachment xmlns="urn:Afas.Profit.Services"><token>&lt;token/&gt;</token><subjectID>49946</subjectID><fileId>5C05</fileId></GetAttachment>',
    );
  });
});

describe('AttachmentDecoder', () => {
  const file = randomBytes(1000);
  const base64 = file.toString('base64');

  it('gives the same bytes whether the answer comes whole, in odd chunks or byte by byte', () => {
    for (const size of [1_000_000, 7, 1]) expect(decode(envelope(base64), size).equals(file)).toBe(true);
  });

  it('skips line breaks in the base64, raw or as character references split across chunks', () => {
    const wrapped = base64.replace(/(.{76})/g, '$1&#xD;\n');
    expect(decode(envelope(wrapped), 3).equals(file)).toBe(true);
    expect(decode(envelope(base64.replace(/(.{60})/g, '$1&#13;&#10;&#x0d;')), 5).equals(file)).toBe(true);
  });

  it('reads a prefixed result element and an empty one (a file of no bytes)', () => {
    expect(
      decode(
        envelope(base64, 'p:').replace('<GetAttachmentResponse', '<GetAttachmentResponse xmlns:p="urn:x"'),
        64,
      ).equals(file),
    ).toBe(true);
    expect(decode(envelope(''), 64).length).toBe(0);
  });

  it('knows the type once the base64 begins: no name, application/octet-stream', () => {
    const decoder = new AttachmentDecoder();
    decoder.write(Buffer.from(envelope(base64).slice(0, 300)));
    expect(decoder.headReady).toBe(true);
    expect(decoder.fileName).toBeUndefined();
    expect(decoder.mimeType).toBe('application/octet-stream');
  });

  it.each([
    ['no result element', '<soap:Envelope><soap:Body><Other/></soap:Body></soap:Envelope>', /no GetAttachmentResult/],
    ['a character that is not base64', envelope('QUJD!'), /"!" inside the base64/],
    ['markup inside the result', envelope('QUJD<x>1</x>'), /more than base64 text/],
    ['base64 after its padding', envelope('QQ==QUJD'), /after its padding/],
    ['an incomplete last group', envelope('QUJDR'), /not a whole number of bytes/],
    ['another reference inside the base64', envelope('QUJD&amp;'), /&amp; inside the base64/],
  ])('refuses %s', (_, text, message) => {
    expect(() => decode(text, 5)).toThrow(FileBodyError);
    expect(() => decode(text, 5)).toThrow(message);
  });

  it('refuses an answer that ends before its envelope closes', () => {
    const text = envelope(base64);
    expect(() => decode(text.slice(0, text.length - 20), 64)).toThrow(/before its SOAP envelope closes/);
    expect(() => decode(text.slice(0, 400), 64)).toThrow(/ends inside GetAttachmentResult/);
  });
});

describe('GetAttachment faults', () => {
  const fault = (message: string): SoapFault => ({
    faultCode: 'soap:Server',
    faultString: message,
    errorNumber: -2147180999,
    message,
    detail: undefined,
    logReference: 'ABC123DEF',
  });
  const ctx = { method: 'GET', path: '/SubjectConnector/1/F', nowMs: 0, notFoundOnFault: true };

  it('reads Profit’s own fault as REST’s bare 404: not-found, status 404, no Profit text or log reference', () => {
    const error = errorFromFault(500, fault('An unexpected error has occurred.'), '', ctx);
    expect([error.kind, error.status, error.externalMessage, error.profitLogReference]).toEqual([
      'not-found',
      404,
      undefined,
      undefined,
    ]);
  });

  it('keeps a token’s fault unauthorized, a grant’s not-granted, a 503 unavailable and a non-SOAP 500 rejected', () => {
    expect(errorFromFault(500, fault('The token is not valid.'), '', ctx).kind).toBe('unauthorized');
    const refused = 'SubjectConnector not supported for this app or the user is not authorized';
    expect(errorFromFault(500, fault(refused), '', ctx).kind).toBe('not-granted');
    expect(errorFromFault(503, undefined, '', ctx).kind).toBe('unavailable');
    expect(errorFromFault(500, undefined, '<html>oops</html>', ctx).kind).toBe('rejected');
  });

  it('leaves other calls’ faults rejected', () => {
    const { notFoundOnFault: _, ...plain } = ctx;
    expect(errorFromFault(500, fault('An unexpected error has occurred.'), '', plain).kind).toBe('rejected');
  });
});

/** Download tickets, Content-Disposition and the files settings: pure functions, no HTTP. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import type { FileRef } from '../../src/graphql/files/index.js';
import { contentDisposition } from '../../src/server/files.js';
import { openTicket, randomTicketKey, sealTicket } from '../../src/server/files-ticket.js';

const REF: FileRef = { kind: 'subject', subjectId: '49946', fileId: '5C055C034516ED67972E0A852E03C5B9' };
const AUTH = `AfasToken ${Buffer.from('<token><version>1</version><data>ABCDEF</data></token>').toString('base64')}`;

describe('tickets', () => {
  const key = randomTicketKey();
  const now = 1_800_000_000_000;

  it('open to exactly what was sealed, until they expire', () => {
    const ticket = sealTicket({ ref: REF, authorization: AUTH, expiresAt: now + 600_000 }, key);
    expect(ticket).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(openTicket(ticket, key, now)).toEqual({
      ok: true,
      payload: { ref: REF, authorization: AUTH, expiresAt: now + 600_000 },
    });
    expect(openTicket(ticket, key, now + 600_000)).toEqual({ ok: false, reason: 'expired' });
  });

  it('show nothing of the credential, and differ each time (a fresh IV)', () => {
    const a = sealTicket({ ref: REF, authorization: AUTH, expiresAt: now }, key);
    const b = sealTicket({ ref: REF, authorization: AUTH, expiresAt: now }, key);
    expect(a).not.toBe(b);
    const b64 = AUTH.split(' ')[1]!;
    for (let i = 0; i + 8 <= b64.length; i++) expect(a).not.toContain(b64.slice(i, i + 8));
    expect(Buffer.from(a, 'base64url').toString('latin1')).not.toMatch(/ABCDEF|AfasToken|subject/);
  });

  it('are forged when any byte changes, or under another key', () => {
    const ticket = sealTicket({ ref: REF, expiresAt: now + 1000 }, key);
    const bytes = Buffer.from(ticket, 'base64url');
    for (let i = 1; i < bytes.length; i++) {
      const changed = Buffer.from(bytes);
      changed[i] = (changed[i] ?? 0) ^ 0x01;
      expect(openTicket(changed.toString('base64url'), key, now)).toEqual({ ok: false, reason: 'forged' });
    }
    expect(openTicket(ticket, randomTicketKey(), now)).toEqual({ ok: false, reason: 'forged' });
  });

  it('are malformed when not base64url, too short, of another version or too long', () => {
    const ticket = sealTicket({ ref: REF, expiresAt: now + 1000 }, key);
    const other = Buffer.from(ticket, 'base64url');
    other[0] = 2;
    for (const text of ['', 'a b', 'AAAA', other.toString('base64url'), 'A'.repeat(20_000), `${ticket}=`]) {
      expect(openTicket(text, key, now)).toEqual({ ok: false, reason: 'malformed' });
    }
  });

  it('carry no credential in service mode', () => {
    const opened = openTicket(sealTicket({ ref: REF, expiresAt: now + 1 }, key), key, now);
    expect(opened).toEqual({ ok: true, payload: { ref: REF, expiresAt: now + 1 } });
  });
});

describe('contentDisposition', () => {
  it('gives ASCII names as they are', () => {
    expect(contentDisposition('Loonstrook 2026-01.pdf')).toBe(
      `attachment; filename="Loonstrook 2026-01.pdf"; filename*=UTF-8''Loonstrook%202026-01.pdf`,
    );
  });

  it('encodes non-ASCII per RFC 8187 and falls back to _ in the plain filename', () => {
    expect(contentDisposition('Zoë’s foto (1).png')).toBe(
      `attachment; filename="Zo__s foto (1).png"; filename*=UTF-8''Zo%C3%AB%E2%80%99s%20foto%20%281%29.png`,
    );
  });

  it('leaves no quote, CR, LF or path separator that could end the header or name a directory', () => {
    const header = contentDisposition('..\\..\r\nSet-Cookie: x="1"/a.txt');
    expect(header).not.toMatch(/[\r\n\\/]/);
    expect(header.match(/"/g)).toHaveLength(2);
    expect(header).toBe(
      `attachment; filename=".._..__Set-Cookie: x=_1__a.txt"; filename*=UTF-8''.._..__Set-Cookie%3A%20x%3D%221%22_a.txt`,
    );
  });

  it('names an empty name "download"', () => {
    expect(contentDisposition('')).toContain('filename="download"');
    expect(contentDisposition('  ')).toContain('filename="download"');
  });
});

describe('files settings', () => {
  it('default to a 10-minute ticket, a 5 MiB inline cap, no public URL, a per-process key and no extra reports', () => {
    expect(loadConfig({}).files).toEqual({
      publicUrl: undefined,
      ticketSecret: undefined,
      ticketTtlSeconds: 600,
      inlineMaxBytes: 5_242_880,
      reports: [],
    });
  });

  it('read PROFIT_REPORTS as <reportId>=<GetConnector> pairs, and refuse anything else naming the bad item', () => {
    expect(loadConfig({ PROFIT_REPORTS: 'AB12=Profit_Employees, CD34=Profit_Organisations' }).files.reports).toEqual([
      { id: 'AB12', source: 'Profit_Employees' },
      { id: 'CD34', source: 'Profit_Organisations' },
    ]);
    for (const bad of ['AB12', 'AB12=', '=Profit_Employees', 'AB12=Profit_Employees=x', 'A:B=Profit_Employees']) {
      expect(() => loadConfig({ PROFIT_REPORTS: bad })).toThrow(ConfigError);
    }
  });

  it('read FILE_TICKET_SECRET as 64 hex digits or base64 of 32 bytes, never echoing a bad one', () => {
    const key = randomTicketKey();
    expect(loadConfig({ FILE_TICKET_SECRET: key.toString('hex') }).files.ticketSecret?.equals(key)).toBe(true);
    expect(loadConfig({ FILE_TICKET_SECRET: key.toString('base64') }).files.ticketSecret?.equals(key)).toBe(true);
    expect(loadConfig({ FILE_TICKET_SECRET: key.toString('base64url') }).files.ticketSecret?.equals(key)).toBe(true);
    expect(() => loadConfig({ FILE_TICKET_SECRET: 'hunter2-hunter2' })).toThrow(ConfigError);
    expect(() => loadConfig({ FILE_TICKET_SECRET: 'hunter2-hunter2' })).toThrow(/^(?!.*hunter2)/);
  });

  it('take PUBLIC_URL without a trailing slash, and refuse one with credentials or a query', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://api.example.com/profit/' }).files.publicUrl).toBe(
      'https://api.example.com/profit',
    );
    expect(() => loadConfig({ PUBLIC_URL: 'https://u:p@api.example.com' })).toThrow(ConfigError);
    expect(() => loadConfig({ PUBLIC_URL: 'https://api.example.com/?a=1' })).toThrow(ConfigError);
    expect(() => loadConfig({ PUBLIC_URL: 'ftp://api.example.com' })).toThrow(ConfigError);
  });
});

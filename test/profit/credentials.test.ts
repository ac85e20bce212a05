import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  afasToken,
  authorizationHeader,
  buildAfasTokenHeader,
  credentialFingerprint,
  oauthClient,
  ProfitError,
  profitBaseUrl,
} from '../../src/profit/index.js';

const DATA = 'ADE370BE8DAF40D0A17FFB914E42675E9998C2D546A2F4FA3E4F3ABFA867B96F';
const XML = `<token><version>1</version><data>${DATA}</data></token>`;
// AFAS's own example header for this token (get-connector.md).
const EXPECTED =
  'AfasToken PHRva2VuPjx2ZXJzaW9uPjE8L3ZlcnNpb24+PGRhdGE+QURFMzcwQkU4REFGNDBEMEExN0ZGQjkxNEU0MjY3NUU5OTk4QzJENTQ2QTJGNEZBM0U0RjNBQkZBODY3Qjk2RjwvZGF0YT48L3Rva2VuPg==';

describe('classic token', () => {
  it('builds AfasToken <base64 of the XML> from the XML or from its data part alike', () => {
    expect(buildAfasTokenHeader(XML)).toBe(EXPECTED);
    expect(buildAfasTokenHeader(DATA)).toBe(EXPECTED);
    expect(buildAfasTokenHeader(`  ${XML}\n`)).toBe(EXPECTED);
  });

  it('reads the XML as pasted from a file: with a declaration, a BOM, line breaks and indentation', () => {
    const pasted = `\uFEFF<?xml version="1.0" encoding="utf-8"?>\r\n<token>\r\n  <version>1</version>\r\n  <data>${DATA}</data>\r\n</token>\r\n`;
    expect(buildAfasTokenHeader(pasted)).toBe(EXPECTED);
  });

  it('refuses malformed tokens with a clear error that does not echo the token', () => {
    for (const bad of [
      '',
      DATA.slice(1),
      `${DATA}00`,
      `<token><version>2</version><data>${DATA}</data></token>`,
      `<token><version>1</version><data>${DATA}</data>`,
      `<token><version>1</version><data>${DATA}</data><data>${DATA}</data></token>`,
      `<other><version>1</version><data>${DATA}</data></other>`,
      `<token><version>1</version><data>${DATA.slice(2)}</data></token>`,
      'Z'.repeat(64),
    ]) {
      try {
        buildAfasTokenHeader(bad);
        throw new Error('expected a ProfitError');
      } catch (e) {
        expect(e).toBeInstanceOf(ProfitError);
        expect((e as ProfitError).kind).toBe('invalid-argument');
        if (bad.length > 3) expect((e as Error).message).not.toContain(bad);
      }
    }
  });
});

describe('redaction', () => {
  const secret = 'super-secret-value';
  const creds = [
    afasToken(DATA),
    oauthClient({ clientId: 'app', clientSecret: secret }),
    authorizationHeader(`Bearer ${secret}`),
  ];

  it('never shows the secret in String(), JSON.stringify() or util.inspect()', () => {
    for (const c of creds) {
      for (const text of [String(c), JSON.stringify(c), inspect(c, { showHidden: true, depth: 5 }), inspect({ c })]) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain(DATA);
        expect(text).not.toContain(EXPECTED.slice(10));
      }
    }
  });
});

describe('fingerprint', () => {
  it('is a stable sha256 hex, equal for the same token however given', () => {
    const a = credentialFingerprint(afasToken(DATA));
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(credentialFingerprint(afasToken(XML))).toBe(a);
    expect(credentialFingerprint(authorizationHeader(EXPECTED))).toBe(a);
    expect(credentialFingerprint(afasToken(DATA.replace('A', 'B')))).not.toBe(a);
  });

  it('differs per OAuth secret', () => {
    const a = oauthClient({ clientId: 'app', clientSecret: 's1' }).fingerprint;
    expect(oauthClient({ clientId: 'app', clientSecret: 's1' }).fingerprint).toBe(a);
    expect(oauthClient({ clientId: 'app', clientSecret: 's2' }).fingerprint).not.toBe(a);
  });
});

describe('OAuth and pass-through', () => {
  it('builds the client-credentials form body', () => {
    const body = new URLSearchParams(oauthClient({ clientId: 'my app', clientSecret: 'a&b=c' }).tokenRequestBody());
    expect(Object.fromEntries(body)).toEqual({
      grant_type: 'client_credentials',
      client_id: 'my app',
      client_secret: 'a&b=c',
    });
  });

  it('passes a caller’s Authorization value through unchanged', () => {
    expect(authorizationHeader('Bearer abc.def').authorization()).toBe('Bearer abc.def');
    expect(authorizationHeader(EXPECTED).authorization()).toBe(EXPECTED);
    expect(() => authorizationHeader('Basic abc')).toThrow(ProfitError);
    expect(() => authorizationHeader('Bearer abc\r\nX: y')).toThrow(ProfitError);
  });
});

describe('addressing', () => {
  it('maps environment number and type to the REST host', () => {
    expect(profitBaseUrl({ id: 12345 })).toBe('https://12345.rest.afas.online/ProfitRestServices');
    expect(profitBaseUrl({ id: '12345', type: 'test' })).toBe('https://12345.resttest.afas.online/ProfitRestServices');
    expect(profitBaseUrl({ id: 12345, type: 'accept' })).toBe(
      'https://12345.restaccept.afas.online/ProfitRestServices',
    );
    expect(() => profitBaseUrl({ id: '12345.evil.com/x' })).toThrow(ProfitError);
  });
});

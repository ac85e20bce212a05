/**
 * The whole run's credential check (test/support/log-capture*.ts) finds what it is meant to find, and only that.
 */
import { describe, expect, it } from 'vitest';
import { createCompany } from '../../src/emulator/company/index.js';
import { credentials } from '../../src/emulator/index.js';
import { authorizationHeader } from '../../src/profit/index.js';
import { findLeaks } from '../support/log-capture.js';

describe('the log capture’s credential check', () => {
  const [admin] = credentials(createCompany({ seed: 20261124 }));
  const header = admin!.users[0]!.authorization;
  const tokenData = /<data>([0-9A-F]+)<\/data>/.exec(Buffer.from(header.split(' ')[1]!, 'base64').toString())![1]!;

  it('finds a demo token header, its token data, and a demo OAuth client secret', () => {
    const lines = [
      JSON.stringify({ msg: `calling with ${header}` }),
      JSON.stringify({ msg: 'token', data: tokenData }),
      JSON.stringify({ msg: `secret ${admin!.oauthClients[0]!.clientSecret}` }),
    ].join('\n');
    expect(findLeaks(lines).map((l) => l.line)).toEqual([1, 2, 3]);
  });

  it('finds any AFAS token header, JWT or private key, whatever its seed', () => {
    const other = authorizationHeader(
      `AfasToken ${Buffer.from('<token><version>1</version><data>AB</data></token>').toString('base64')}`,
    );
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4eXoxMjM0NSJ9.c2lnbmF0dXJl';
    const text = [other.authorization(), `bearer ${jwt}`, '-----BEGIN PRIVATE KEY-----'].join('\n');
    expect(findLeaks(text).map((l) => l.what)).toEqual(['an AFAS token header', 'a JWT', 'a private key']);
  });

  it('passes what the service does log: fingerprints, paths, kinds', () => {
    const line = JSON.stringify({
      msg: 'request',
      caller: authorizationHeader(header).fingerprint,
      profit: { byConnector: { Profit_Employees: 1 } },
    });
    expect(findLeaks(line)).toEqual([]);
  });
});

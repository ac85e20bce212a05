/**
 * Every failure the emulator can produce, as the client reports it: one `ProfitError` kind per cause, with the
 * exact number of requests that reached the emulator. (400 `bad-request` and 403 `forbidden` are not reachable
 * through the client: it only sends well-formed JSON, and the emulator has no IP restrictions.)
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ORGANISATION_LIST_REPORT } from '../../src/emulator/company/reports.js';
import { afasToken, type ProfitClient, type ProfitConnection } from '../../src/profit/index.js';
import { calls, expectProfitError, type Harness, startHarness } from './support.js';

/** The emulator refuses bodies above this with 413 (Profit's limit is 75 MB; a small one keeps the test fast). */
const MAX_BODY_BYTES = 64 * 1024;

let harness: Harness;
let connection: ProfitConnection;
let admin: ProfitClient;

beforeAll(async () => {
  harness = await startHarness({ maxBodyBytes: MAX_BODY_BYTES });
  connection = harness.connect();
  admin = connection.client(harness.token('admin'));
});
afterAll(() => harness?.close());
beforeEach(() => harness.reset());

async function logged(): Promise<string[]> {
  return (await harness.log.entries()).map((e) => `${calls([e])[0]} ${e.status}`);
}

describe('answers from Profit', () => {
  it('unauthorized: a token Profit does not know (401), asked once, without the token in the message', async () => {
    const data = 'ABCDEF0123456789'.repeat(4);
    const error = await expectProfitError(connection.client(afasToken(data)).get('Profit_Persons'), 'unauthorized');
    expect(error.status).toBe(401);
    expect(error.message).not.toContain(data);
    expect(error.message).not.toContain(afasToken(data).authorization().slice(10));
    expect(await logged()).toEqual(['GET /connectors/Profit_Persons 401']);
  });

  it('not-granted: the hr app connector reading Profit_Projects, asked once', async () => {
    const error = await expectProfitError(connection.client(harness.token('hr')).get('Profit_Projects'), 'not-granted');
    expect(error.notGranted).toBe(true);
    expect(error.externalMessage).toBe('GetConnector not supported for this app or the user is not authorized');
    expect(await logged()).toEqual(['GET /connectors/Profit_Projects 500']);
  });

  it('answers in the language the connection asks for (Accept-Language), and is recognised as not-granted in Dutch too', async () => {
    const dutch = harness.connect({ acceptLanguage: 'nl-nl' });
    const paging = await expectProfitError(
      dutch.client(harness.token('admin')).get('Profit_Persons', { orderBy: [{ field: 'Nope' }] }),
      'rejected',
    );
    expect(paging.externalMessage).toBe("Connectorveld 'Nope' niet gevonden");
    const english = await expectProfitError(admin.get('Profit_Persons', { orderBy: [{ field: 'Nope' }] }), 'rejected');
    expect(english.externalMessage).toBe("Connector field 'Nope' not found");
    const refused = await expectProfitError(
      dutch.client(harness.token('portal')).subjectAttachment(54286, '0'.repeat(32)),
      'not-granted',
    );
    expect(refused.externalMessage).toBe(
      'SubjectConnector wordt niet ondersteund voor deze app of de gebruiker is niet geautoriseerd',
    );
    const bsn = await expectProfitError(
      dutch
        .client(harness.token('admin'))
        .insert('KnPerson', { fields: { MatchPer: '7', LaNm: 'Fout', SoSe: '123456789' } }),
      'rejected',
    );
    expect(bsn.externalMessage).toBe(
      "Het burgerservicenummer '123456789' is ongeldig: het voldoet niet aan de elfproef.",
    );
    expect(await logged()).toEqual([
      'GET /connectors/Profit_Persons 500',
      'GET /connectors/Profit_Persons 500',
      `GET /SubjectConnector/54286/${'0'.repeat(32)} 500`,
      'POST /connectors/KnPerson 500',
    ]);
  });

  it('not-found: a missing attachment, file or report (404), each asked once', async () => {
    await expectProfitError(admin.subjectAttachment(54286, '0'.repeat(32)), 'not-found');
    await expectProfitError(admin.file('0'.repeat(32), 'nergens.pdf'), 'not-found');
    const error = await expectProfitError(admin.report('0'.repeat(32)), 'not-found');
    expect(error.status).toBe(404);
    expect(await logged()).toEqual([
      `GET /SubjectConnector/54286/${'0'.repeat(32)} 404`,
      `GET /FileConnector/${'0'.repeat(32)}/nergens.pdf 404`,
      `GET /ReportConnector/${'0'.repeat(32)} 404`,
    ]);
    expect(ORGANISATION_LIST_REPORT).not.toBe('0'.repeat(32));
  });

  it('rejected: a KnPerson whose BSN fails the 11-test, with Profit’s message, error number and log reference', async () => {
    const error = await expectProfitError(
      admin.insert('KnPerson', { fields: { MatchPer: '7', LaNm: 'Fout', SoSe: '123456789' } }),
      'rejected',
    );
    expect(error.status).toBe(500);
    expect(error.externalMessage).toBe(
      "The citizen service number '123456789' is not valid: it fails the eleven test.",
    );
    expect(error.errorNumber).toBe(-2147220469);
    expect(error.profitLogReference).toMatch(/^[0-9A-F]{8,}$/i);
    expect(error.message).toContain(error.profitLogReference);
    expect(error.requestSent).toBe(true);
    expect(await logged()).toEqual(['POST /connectors/KnPerson 500']);
  });

  it('rejected: a filter on a field the connector does not have, not retried', async () => {
    const error = await expectProfitError(
      admin.get('Profit_Persons', { filter: [[{ field: 'Salaris', op: 'eq', value: '1' }]] }),
      'rejected',
    );
    expect(error.externalMessage).toBe("Connector field 'Salaris' not found");
    expect(await logged()).toEqual(['GET /connectors/Profit_Persons 500']);
  });

  it('unavailable: maintenance asking to wait longer than the cap fails fast, after one request', async () => {
    harness.emulator.faults.maintenance(7200);
    // Fails fast: no wait for the 7200 s, which the single request in the log below shows.
    const error = await expectProfitError(admin.get('Profit_Persons'), 'unavailable');
    expect(error.status).toBe(503);
    expect(error.retryAfterSeconds).toBe(7200);
    expect(error.message).toContain('about 2 h');
    expect(await logged()).toEqual(['GET /connectors/Profit_Persons 503']);
  });

  it('too-large: a body above what the server accepts (413), sent once', async () => {
    const big = Buffer.alloc(MAX_BODY_BYTES, 7).toString('base64');
    const error = await expectProfitError(
      admin.insert(
        'KnSubject',
        {
          keys: { SbId: 54286 },
          objects: { KnSubjectAttachment: { fields: { FileName: 'groot.bin', FileStream: big } } },
        },
        { subObject: 'KnSubjectAttachment' },
      ),
      'too-large',
    );
    expect(error.status).toBe(413);
    expect(await logged()).toEqual(['POST /connectors/KnSubject/KnSubjectAttachment 413']);
  });

  it('invalid-response: a 200 whose body is not valid JSON, not retried', async () => {
    harness.emulator.faults.once({ kind: 'malformed', path: 'Profit_Persons' });
    const error = await expectProfitError(admin.get('Profit_Persons'), 'invalid-response');
    expect(error.status).toBe(200);
    expect(await logged()).toEqual(['GET /connectors/Profit_Persons 200']);
  });
});

describe('no answer from Profit', () => {
  it('timeout: no answer within timeoutMs, on every one of the 3 attempts', async () => {
    harness.emulator.faults.once({ kind: 'timeout', path: 'Profit_Persons', count: 3 });
    const error = await expectProfitError(admin.get('Profit_Persons', {}, { timeoutMs: 150 }), 'timeout');
    expect(error.requestSent).toBe(true);
    expect(error.message).toContain('150 ms');
    expect(await logged()).toEqual(Array(3).fill('GET /connectors/Profit_Persons timeout'));
  });

  it('network: the connection reset on every one of the 3 attempts', async () => {
    harness.emulator.faults.once({ kind: 'reset', path: 'Profit_Persons', count: 3 });
    const error = await expectProfitError(admin.get('Profit_Persons'), 'network');
    expect(error.requestSent).toBe(true);
    expect(await logged()).toEqual(Array(3).fill('GET /connectors/Profit_Persons reset'));
  });

  it('aborted: the caller’s signal fires while Profit is still working, and nothing is retried', async () => {
    harness.emulator.faults.set({ latency: { fixedMs: 500 } });
    const controller = new AbortController();
    const call = admin.get('Profit_Persons', {}, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expectProfitError(call, 'aborted');
    expect(await logged()).toEqual(['GET /connectors/Profit_Persons timeout']);
  });
});

describe('refused before sending', () => {
  it('too-large: a body just over 75 000 000 bytes (75 MB as AFAS states it, less than 75 MiB) is not uploaded', async () => {
    const error = await expectProfitError(
      admin.insert('KnSubject', {
        keys: { SbId: 54286 },
        objects: { KnSubjectAttachment: { fields: { FileName: 'big.bin', FileStream: 'A'.repeat(75_000_000) } } },
      }),
      'too-large',
    );
    expect(error.requestSent).toBe(false);
    expect(await logged()).toEqual([]);
  });

  it('invalid-argument: a paging pair Profit answers with an unexpected error (skip 2, take -1)', async () => {
    const error = await expectProfitError(admin.get('Profit_Persons', { skip: 2, take: -1 }), 'invalid-argument');
    expect(error.requestSent).toBe(false);
    expect(await logged()).toEqual([]);
  });

  it('too-large: a body over Profit’s 75 MB is refused without uploading it', async () => {
    const huge = 'A'.repeat(76 * 1024 * 1024);
    const error = await expectProfitError(
      admin.insert('KnSubject', {
        keys: { SbId: 54286 },
        objects: { KnSubjectAttachment: { fields: { FileName: 'huge.bin', FileStream: huge } } },
      }),
      'too-large',
    );
    expect(error.requestSent).toBe(false);
    expect(error.status).toBeUndefined();
    expect(await logged()).toEqual([]);
  });
});

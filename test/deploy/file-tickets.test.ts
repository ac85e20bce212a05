/**
 * Download links behind a router: the replica that mints a link is rarely the one that opens it. Three service
 * processes on one emulator, as replicas of one Deployment: two share FILE_TICKET_SECRET (the Secret the manifests
 * in deploy/ mount), the third has a key of its own, as a replica started without the Secret would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoStore } from '../../src/emulator/company/index.js';
import { credentials, type Emulator, startEmulator } from '../../src/emulator/index.js';
import type { Service } from '../../src/server/index.js';
import { graphql, http, startTestService } from '../server/helpers.js';

const SHARED_KEY = 'a1'.repeat(32);
const OTHER_KEY = Buffer.alloc(32, 7).toString('base64');
/** AFAS's documented payslip (howto-bijlage-dossier.md): dossier item 49946, attachment 20175. */
const PAYSLIP = { subjectId: 49946, fileId: '5C055C034516ED67972E0A852E03C5B9' };
const ATTACHMENTS = `query ($id: ID!) {
  dossierItem(dossierItemId: $id) { attachments { edges { node { fileId downloadUrl } } } }
}`;

describe('download links across replicas', () => {
  let emulator: Emulator;
  let minter: Service;
  let sibling: Service;
  let stranger: Service;
  let admin: string;

  beforeAll(async () => {
    emulator = await startEmulator({});
    const profit = { PROFIT_BASE_URL: emulator.baseUrl };
    [minter, sibling, stranger] = await Promise.all([
      startTestService({ ...profit, FILE_TICKET_SECRET: SHARED_KEY }),
      startTestService({ ...profit, FILE_TICKET_SECRET: SHARED_KEY }),
      startTestService({ ...profit, FILE_TICKET_SECRET: OTHER_KEY }),
    ]);
    const user = credentials(emulator.company)
      .flatMap((app) => app.users)
      .find((u) => u.name === 'admin');
    if (!user) throw new Error('the emulator has no admin user');
    admin = user.authorization;
  });
  afterAll(async () => {
    await Promise.all([minter?.close(), sibling?.close(), stranger?.close()]);
    await emulator?.close();
  });

  /** A link minted by `minter`, moved to `replica`'s address as a router would send it there. */
  async function linkOpenedOn(replica: Service): Promise<string> {
    const reply = await graphql(minter, ATTACHMENTS, {
      authorization: admin,
      variables: { id: String(PAYSLIP.subjectId) },
    });
    expect(reply.json.errors).toBeUndefined();
    const url = new URL(reply.json.data.dossierItem.attachments.edges[0].node.downloadUrl as string);
    return `${replica.url}${url.pathname}`;
  }

  const fileCalls = () =>
    emulator.log.entries().filter((e) => e.path.toLowerCase().startsWith('/profitrestservices/subjectconnector/'));

  it('opens a link minted by one replica on another replica with the same FILE_TICKET_SECRET', async () => {
    const link = await linkOpenedOn(sibling);
    emulator.log.clear();
    const reply = await http(link);
    expect(reply.status).toBe(200);
    const stored = (emulator.company.store as DemoStore).subjectFile(String(PAYSLIP.subjectId), PAYSLIP.fileId);
    expect(stored).toBeDefined();
    expect(reply.body.equals(stored!.data)).toBe(true);
    expect(fileCalls().map((e) => e.path)).toEqual([
      `/ProfitRestServices/SubjectConnector/${PAYSLIP.subjectId}/${PAYSLIP.fileId}`,
    ]);
  });

  it('refuses that link on a replica with another key, without calling Profit', async () => {
    const link = await linkOpenedOn(stranger);
    emulator.log.clear();
    const reply = await http(link);
    expect(reply.status).toBe(403);
    expect(reply.json.errors[0].extensions.code).toBe('INVALID_TICKET');
    expect(fileCalls()).toEqual([]);
  });
});

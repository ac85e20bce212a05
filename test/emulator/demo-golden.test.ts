/**
 * The demo company's GetConnectors, byte for byte: a SHA-256 per answer of `GET /metainfo/get/{id}` and of every
 * row (`connectors/{id}?skip=-1&take=-1`) at the default seed and scale, as the admin user (every field). The
 * hashes were recorded before the GetConnector definitions became data (src/emulator/company/get/), so any change
 * in a label, a length, a field's order or a row value shows up here. A deliberate change to the demo updates the
 * hash: run with `PRINT_DEMO_GOLDEN=1` and copy the printed table.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { afasTokenHeader } from '../../src/emulator/auth.js';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { call } from './helpers.js';

/** `GET /metainfo` as the admin user: every connector's id and description, in order. */
const GOLDEN_ROOT = '2776302a3faed30b2a1bc01272853a4c10156d3b34e226aee787e4b34a8c21ab';

const GOLDEN: Readonly<Record<string, { readonly metainfo: string; readonly rows: string }>> = {
  Profit_OrgPer: {
    metainfo: '12fd63d4a13e8ad143a6e827de5c29d42b22822c17aed35db90d1f220cf28682',
    rows: '05bb221a71791faec168045c22a202ba984963069e890d58c1bf5bb15b3d18f9',
  },
  Profit_Address: {
    metainfo: '67ac5010f14e1d267010c93751ada0c0bd0ab0e415829d1c9173f22af17f6061',
    rows: 'e255af013f802fe0ff436eea19be72edf028a9b0fd4371ef8dfabe234028bcbf',
  },
  Profit_Organisations: {
    metainfo: '828eb7f26a5c446b4a6d857cef3a9aa7f3ccda859c13180f16413003edec4bd9',
    rows: '99430a74e5c2e244da01b53a4844e0b46f401265391fa79ce58416cb54b86e6f',
  },
  Profit_Persons: {
    metainfo: '52fe7131c02f395320a687d22408f3eae131773b8f1058c3b485fc9aac3ebb93',
    rows: '50caa3ec28344299e3badf7b4a45aec38b3ba52d0f2e71d8fb256845d3f5764e',
  },
  Profit_Employees: {
    metainfo: '6fc8a88f9569db381d0c3210ed09bc470b8b6a1d4e4af7cd384c0abc5d8b0af2',
    rows: 'a291423adff22aae044664d7c075ad00615ed9149dc12eb6826adb1327bb51ec',
  },
  Profit_Projects: {
    metainfo: 'c22cb8c3075c110dbbc05b727c9e23c31892beed1be32e48e2dafc7d12713626',
    rows: '130410b1de8b1a0da11b077cf2bc370f9d536819e64f5c53e5e264eb539dd1b4',
  },
  Profit_Leaves: {
    metainfo: '22e18918d6d945cb64b842aaf0ec6d937d19a4a67804f4bb855e6c5dac8ab9ed',
    rows: '4c9729ad5603be512802b9462c6be0e7332e442aebf8d02caa754b4c27b44fd8',
  },
  Profit_LeaveBalance: {
    metainfo: '10b007a49b04af10f7e45d73592ae65edbd7295d7a1b27db51404fc6da347cf2',
    rows: '4c60d3bf3e61dfb52bc328e0b1a19f025d11828e5566fc28820409327dc23915',
  },
  ProfitSubjects: {
    metainfo: '94b8e0f44a160b629f71fcf4a2910468ffb83a6855f7ba723437e862dfb05bf1',
    rows: '8f34a00a68661b7bb4c58f4ba38b8a180a8509dc5c4ba28d0ed4e6033dee2e93',
  },
  Profit_Subject_Attachments: {
    metainfo: 'f4d2c10d47269050c3415465094c56ba0945383983578acf109349a544f32b2b',
    rows: 'ed791832da43409909e3c1d7d0e377d510faf3899e3fa309d2f3d797f0e8de68',
  },
  Profit_Administrations: {
    metainfo: 'fb1b2a4df2f7411ba9c418692f23cb7c99a15844c2c0573fc291b84b697f318e',
    rows: '9f5d87b8899a9672b570ea8a13d2fd613c233d40a51e9ccd14651485d0a2774d',
  },
  Profit_Accounts: {
    metainfo: '0f95d46af12e86ef1de053a2403376c71448168735feb4d27dbb8d4b88d534f2',
    rows: 'b8d8e03ccb79d2ad6d98db0dab8cb26d46308d29286354610f9af0825ea7098f',
  },
  Profit_Functions: {
    metainfo: 'd02158a3bd1b42a3a75f3611d7b52553710883a14302898bcfe9f13f6e668d6e',
    rows: 'fa27bda32c548ad849e8dd4bc9676607b66251c0462da4dd05ea9b4683e506e1',
  },
};

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('the demo company answers exactly as recorded', () => {
  let emu: Emulator;
  let auth: string;
  const answers: Record<string, { metainfo: string; rows: string }> = {};
  let root = '';
  beforeAll(async () => {
    emu = await startEmulator();
    const admin = emu.company.appConnectors.find((a) => a.id === 'admin');
    auth = afasTokenHeader(admin?.users[0]?.tokenData ?? '');
    root = sha256((await call(emu, 'GET', '/metainfo', { auth })).text);
    for (const id of emu.company.getConnectors.keys()) {
      const metainfo = await call(emu, 'GET', `/metainfo/get/${id}`, { auth });
      const rows = await call(emu, 'GET', `/connectors/${id}?skip=-1&take=-1`, { auth });
      expect([metainfo.status, rows.status], id).toEqual([200, 200]);
      answers[id] = { metainfo: sha256(metainfo.text), rows: sha256(rows.text) };
    }
    if (process.env.PRINT_DEMO_GOLDEN) console.log(JSON.stringify({ root, answers }, null, 2));
  });
  afterAll(() => emu?.close());

  it('lists its connectors in GET /metainfo unchanged', () => {
    expect(root).toBe(GOLDEN_ROOT);
  });

  it('offers the thirteen recorded GetConnectors, in the recorded order', () => {
    expect(Object.keys(answers)).toEqual(Object.keys(GOLDEN));
  });

  it.each(Object.keys(GOLDEN))('answers the metainfo and every row of %s unchanged', (id) => {
    expect(answers[id]).toEqual(GOLDEN[id]);
  });
});

/**
 * Runs the HTTP layer against the real demo company (src/emulator/company/index.ts) once it exists: every demo
 * user of every app connector can read its metainfo and every granted GetConnector, and the rows match the
 * metainfo. A contract test between the two halves of the emulator.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { afasTokenHeader } from '../../src/emulator/auth.js';
import type { Company } from '../../src/emulator/company/types.js';
import { type Emulator, startEmulator } from '../../src/emulator/server.js';
import { call } from './helpers.js';

const present = existsSync(fileURLToPath(new URL('../../src/emulator/company/index.ts', import.meta.url)));

const SHAPES: Record<string, (v: unknown) => boolean> = {
  int: (v) => Number.isInteger(v),
  decimal: (v) => typeof v === 'number',
  boolean: (v) => typeof v === 'boolean',
  date: (v) => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(v),
  string: (v) => typeof v === 'string' && v !== '',
  blob: (v) => typeof v === 'string',
};

describe.skipIf(!present)('the demo company behind the HTTP layer', () => {
  let emu: Emulator;
  let company: Company;
  beforeAll(async () => {
    emu = await startEmulator();
    company = emu.company;
  });
  afterAll(() => emu?.close());

  it('grants only connectors that exist, and withholds only fields that exist', () => {
    for (const app of company.appConnectors) {
      for (const [id, withheld] of Object.entries(app.getConnectors)) {
        const def = company.getConnectors.get(id);
        expect(def, `${app.id} grants unknown GetConnector ${id}`).toBeDefined();
        for (const f of withheld)
          expect(
            def?.fields.some((d) => d.id === f),
            `${id}.${f}`,
          ).toBe(true);
      }
      for (const id of app.updateConnectors) expect(company.updateConnectors.has(id), `${app.id}: ${id}`).toBe(true);
    }
  });

  it('answers metainfo, and rows that match it, to every demo user', async () => {
    for (const app of company.appConnectors) {
      for (const user of app.users) {
        const auth = afasTokenHeader(user.tokenData);
        const meta = await call(emu, 'GET', '/metainfo', { auth });
        expect(meta.status).toBe(200);
        expect(meta.json.getConnectors.map((c: { id: string }) => c.id).sort()).toEqual(
          Object.keys(app.getConnectors).sort(),
        );
        for (const { id } of meta.json.getConnectors as { id: string }[]) {
          const fields = (await call(emu, 'GET', `/metainfo/get/${id}`, { auth })).json.fields as {
            id: string;
            dataType: string;
          }[];
          const r = await call(emu, 'GET', `/connectors/${id}?take=20&orderbyfieldids=${fields[0]?.id ?? ''}`, {
            auth,
          });
          expect(r.status, `${app.id}/${user.name} ${id}: ${r.text.slice(0, 200)}`).toBe(200);
          for (const row of r.json.rows as Record<string, unknown>[]) {
            expect(Object.keys(row)).toEqual(fields.map((f) => f.id));
            for (const f of fields) {
              const v = row[f.id];
              if (v !== null)
                expect(SHAPES[f.dataType]?.(v), `${id}.${f.id} (${f.dataType}) = ${JSON.stringify(v)}`).toBe(true);
            }
          }
        }
        for (const { id } of meta.json.updateConnectors as { id: string }[]) {
          const u = await call(emu, 'GET', `/metainfo/update/${id}`, { auth });
          expect(u.status, `${id}`).toBe(200);
        }
      }
    }
  });

  it('issues OAuth tokens to every demo client', async () => {
    for (const app of company.appConnectors) {
      for (const c of app.oauthClients) {
        const body = new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: c.clientId,
          client_secret: c.clientSecret,
        });
        const r = await call(emu, 'POST', '/oauth/token', {
          auth: null,
          body: body.toString(),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        });
        expect(r.status, c.clientId).toBe(200);
      }
    }
  });
});

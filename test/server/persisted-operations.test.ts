/**
 * Persisted operations (PERSISTED_OPERATIONS, PERSISTED_OPERATIONS_ONLY): an Apollo persisted query manifest every
 * replica reads at start; operations by id; the manifest as a safelist, refusing the rest before Profit is called.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';
import type { Service } from '../../src/server/index.js';
import { demoAuthorization, graphql, http, startTestService } from './helpers.js';

const LISTED = '{ employees(first: 2) { edges { node { employeeId } } } }';
const NAMED = 'query Departments { organisations(first: 1) { edges { node { name } } } }';
const UNLISTED = '{ persons(first: 1) { edges { node { personId } } } }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

const dir = mkdtempSync(join(tmpdir(), 'persisted-'));
const manifest = join(dir, 'manifest.json');
writeFileSync(
  manifest,
  JSON.stringify({
    format: 'apollo-persisted-query-manifest',
    version: 1,
    operations: [
      { id: sha256(LISTED), body: LISTED, name: 'Employees', type: 'query' },
      // An id of the team's own choosing, not the body's hash.
      { id: 'departments-v1', body: NAMED, name: 'Departments', type: 'query' },
    ],
  }),
);

function byId(service: Service, id: string) {
  return http(service.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: demoAuthorization(service) },
    body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: id } } }),
  });
}

describe('persisted operations', () => {
  let open: Service;
  let safelist: Service;
  beforeAll(async () => {
    open = await startTestService({ PERSISTED_OPERATIONS: manifest });
    safelist = await startTestService({ PERSISTED_OPERATIONS: manifest, PERSISTED_OPERATIONS_ONLY: 'true' });
  });
  afterAll(async () => {
    await open.close();
    await safelist.close();
  });

  it('runs a listed operation sent by its id alone, the body hash or an id of its own', async () => {
    for (const service of [open, safelist]) {
      const employees = await byId(service, sha256(LISTED));
      expect(employees.status).toBe(200);
      expect(employees.json.data.employees.edges).toHaveLength(2);
      const departments = await byId(service, 'departments-v1');
      expect(departments.status).toBe(200);
      expect(departments.json.data.organisations.edges).toHaveLength(1);
    }
  });

  it('as a safelist, refuses an operation whose text is not listed with 400 and no Profit call', async () => {
    const emulator = safelist.emulator;
    if (!emulator) throw new Error('expected the embedded emulator');
    emulator.log.clear();
    const reply = await graphql(safelist, UNLISTED, { authorization: demoAuthorization(safelist) });
    expect(reply.status).toBe(400);
    expect(reply.json.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    expect(reply.json.data).toBeUndefined();
    expect(emulator.log.entries()).toHaveLength(0);
    // The listed text itself passes, sent in full.
    const listed = await graphql(safelist, LISTED, { authorization: demoAuthorization(safelist) });
    expect(listed.status).toBe(200);
    expect(listed.json.data.employees.edges).toHaveLength(2);
  });

  it('as a safelist, refuses registering an unlisted operation through automatic persisted queries', async () => {
    const reply = await http(safelist.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: demoAuthorization(safelist) },
      body: JSON.stringify({
        query: UNLISTED,
        extensions: { persistedQuery: { version: 1, sha256Hash: sha256(UNLISTED) } },
      }),
    });
    expect(reply.status).toBe(400);
    expect(reply.json.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
  });

  it('without PERSISTED_OPERATIONS_ONLY, other operations still run', async () => {
    const reply = await graphql(open, UNLISTED, { authorization: demoAuthorization(open) });
    expect(reply.status).toBe(200);
    expect(reply.json.data.persons.edges).toHaveLength(1);
  });

  it('an unknown id is what automatic persisted queries answer: PERSISTED_QUERY_NOT_FOUND', async () => {
    const reply = await byId(safelist, sha256('{ __typename }'));
    expect(reply.json.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
  });

  it('refuses a safelist without a manifest, and a manifest that is missing or not one, in one line', async () => {
    expect(() => loadConfig({ PERSISTED_OPERATIONS_ONLY: 'true' })).toThrow(ConfigError);
    await expect(startTestService({ PERSISTED_OPERATIONS: join(dir, 'missing.json') })).rejects.toThrow(
      /^PERSISTED_OPERATIONS: .*missing\.json: no such file$/,
    );
    const wrong = join(dir, 'wrong.json');
    writeFileSync(wrong, JSON.stringify({ operations: [] }));
    await expect(startTestService({ PERSISTED_OPERATIONS: wrong })).rejects.toThrow(
      /is not an Apollo persisted query manifest/,
    );
  });
});

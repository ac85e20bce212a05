/**
 * Authorization and hardening through the running service over HTTP: the 401 gate for a credential Profit
 * refuses, request limits (before any Profit call), two credentials interleaved under concurrency, `me`, the SDL
 * a router reads, production switches, and no credential in any log line.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Service } from '../../src/server/index.js';
import type { Logger } from '../../src/server/log.js';
import { demoAuthorization, graphql, startTestService } from '../server/helpers.js';

const lines: string[] = [];
const capture =
  (level: string) =>
  (...args: unknown[]) => {
    lines.push(`${level} ${args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : String(a))).join(' ')}`);
  };
const logger: Logger = {
  debug: capture('debug'),
  info: capture('info'),
  warn: capture('warn'),
  error: capture('error'),
};

let service: Service;
let admin: string;
let hr: string;
let portal: string;
beforeAll(async () => {
  service = await startTestService({ LOG_LEVEL: 'debug' }, { logger });
  admin = demoAuthorization(service, 'admin');
  hr = demoAuthorization(service, 'hr');
  portal = demoAuthorization(service, 'portal');
});
afterAll(() => service?.close());

const profitCalls = () => service.emulator!.log.entries().filter((e) => e.path.startsWith('/ProfitRestServices'));
const paths = () => profitCalls().map((e) => e.path.replace('/ProfitRestServices', ''));

describe('credentials', () => {
  it('answers 401 before any resolver runs for a credential Profit refuses: one /metainfo call, nothing else', async () => {
    service.emulator!.log.clear();
    const reply = await graphql(service, '{ employees { edges { cursor } } organisations { edges { cursor } } }', {
      authorization: 'AfasToken bm9wZQ==',
    });
    expect(reply.status).toBe(401);
    expect(reply.json.data).toBeUndefined();
    expect(reply.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(paths()).toEqual(['/metainfo']);
  });

  it('reads a caller’s grant once per TTL: the second request makes only its data call', async () => {
    const query = '{ projects(first: 1) { edges { node { projectId } } } }';
    await graphql(service, query, { authorization: portal });
    service.emulator!.log.clear();
    const reply = await graphql(service, query, { authorization: portal });
    expect(reply.json.errors).toBeUndefined();
    expect(paths()).toEqual(['/connectors/Profit_Projects']);
  });
});

describe('partial data', () => {
  it('returns the other fields and items of a list intact around a denied field', async () => {
    const query = '{ employees(first: 5) { edges { node { employeeId name salary } } } }';
    const asAdmin = (await graphql(service, query, { authorization: admin })).json;
    const asHr = (await graphql(service, query, { authorization: hr })).json;
    const adminNodes = asAdmin.data.employees.edges.map((e: { node: unknown }) => e.node);
    const hrNodes = asHr.data.employees.edges.map((e: { node: unknown }) => e.node);
    expect(hrNodes).toEqual(adminNodes.map((n: { salary: unknown }) => ({ ...n, salary: null })));
    expect(asHr.errors).toHaveLength(5);
    asHr.errors.forEach((e: { path: unknown[]; extensions: Record<string, unknown> }, i: number) => {
      expect(e.path).toEqual(['employees', 'edges', i, 'node', 'salary']);
      expect(e.extensions).toMatchObject({ code: 'FORBIDDEN', connector: 'Profit_Employees', field: 'Salary' });
    });
  });

  it('keeps a granted root field when another is denied', async () => {
    const reply = await graphql(
      service,
      '{ projects(first: 1) { edges { cursor } } employees(first: 1) { edges { cursor } } }',
      {
        authorization: portal,
      },
    );
    expect(reply.status).toBe(200);
    expect(reply.json.data.projects.edges).toHaveLength(1);
    expect(reply.json.data.employees).toBeNull();
    expect(reply.json.errors[0]).toMatchObject({
      path: ['employees'],
      extensions: { code: 'FORBIDDEN', reason: 'not-granted', connector: 'Profit_Employees' },
    });
  });
});

describe('two credentials interleaved under concurrency', () => {
  it('never serve one caller’s data to the other', async () => {
    const query = '{ employees(first: 20) { edges { node { employeeId salary iban } } } }';
    const baseline = (await graphql(service, query, { authorization: admin })).json.data;
    expect(baseline.employees.edges.some((e: { node: { salary: unknown } }) => e.node.salary !== null)).toBe(true);
    const callers = Array.from({ length: 24 }, (_, i) => (i % 2 === 0 ? 'admin' : 'hr'));
    const replies = await Promise.all(
      callers.map((who) => graphql(service, query, { authorization: who === 'admin' ? admin : hr })),
    );
    replies.forEach((reply, i) => {
      if (callers[i] === 'admin') {
        expect(reply.json.errors).toBeUndefined();
        expect(reply.json.data).toEqual(baseline);
      } else {
        for (const e of reply.json.data.employees.edges) {
          expect(e.node.salary).toBeNull();
          expect(e.node.iban).toBeNull();
        }
        expect(
          reply.json.errors.every((e: { extensions: { code: string } }) => e.extensions.code === 'FORBIDDEN'),
        ).toBe(true);
      }
    });
  });
});

describe('limits, before any Profit call', () => {
  // A known caller: its credential's grant is already cached, so whichever test runs first, a refusal costs no call.
  beforeAll(async () => {
    const warm = await graphql(service, '{ employees(first: 1) { edges { node { employeeId } } } }', {
      authorization: admin,
    });
    expect(warm.json.errors).toBeUndefined();
  });

  const refused = async (query: string, code: string, variables?: Record<string, unknown>) => {
    service.emulator!.log.clear();
    const reply = await graphql(service, query, { authorization: admin, ...(variables ? { variables } : {}) });
    expect(reply.status).toBe(400);
    expect(reply.json.errors[0].extensions.code).toBe(code);
    expect(profitCalls()).toHaveLength(0);
    return reply.json.errors[0];
  };

  it('refuses a query deeper than MAX_QUERY_DEPTH', async () => {
    // employees › edges › node › person, three times, then employees › edges › node › employeeId: 16 levels.
    const hop = (inner: string) => `employees { edges { node { person { ${inner} } } } }`;
    const deep = `{ ${hop(hop(hop('employees { edges { node { employeeId } } }')))} }`;
    const error = await refused(deep, 'QUERY_TOO_DEEP');
    expect(error.extensions).toMatchObject({ limit: 15, actual: 16 });
  });

  it('refuses more aliases than MAX_ALIASES', async () => {
    const many = `{ ${Array.from({ length: 51 }, (_, i) => `a${i}: employee(employeeId: "${i}") { employeeId }`).join(' ')} }`;
    await refused(many, 'TOO_MANY_ALIASES');
  });

  it('refuses a query whose estimated cost is over MAX_QUERY_COST: lists multiply by first', async () => {
    const error = await refused(
      '{ organisations(first: 500) { edges { node { employees(first: 500) { edges { node { person { name } } } } } } } }',
      'QUERY_TOO_COMPLEX',
    );
    // 1 + 500 × (1 + 500 × 1)
    expect(error.extensions.actual).toBe(250_501);
  });

  it('counts `first` given as a variable', async () => {
    await refused(
      'query ($n: Int) { organisations(first: $n) { edges { node { employees(first: $n) { edges { node { person { name } } } } } } } }',
      'QUERY_TOO_COMPLEX',
      { n: 100 },
    );
  });

  it('refuses more _entities representations than MAX_ENTITY_REPRESENTATIONS', async () => {
    const representations = Array.from({ length: 1001 }, (_, i) => ({ __typename: 'Employee', employeeId: String(i) }));
    await refused(
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Employee { employeeId } } }',
      'TOO_MANY_REPRESENTATIONS',
      { r: representations },
    );
  });

  it('lets the Playground’s example and 500 _entities through', async () => {
    const representations = Array.from({ length: 500 }, (_, i) => ({ __typename: 'Employee', employeeId: String(i) }));
    const reply = await graphql(
      service,
      'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Employee { employeeId person { name } } } }',
      { authorization: admin, variables: { r: representations } },
    );
    expect(reply.status).toBe(200);
    expect(reply.json.errors).toBeUndefined();
  });
});

describe('me', () => {
  it('tells each caller what it may read and write, for one /metainfo call', async () => {
    const query = '{ me { appName getConnectors updateConnectors scopes operations { name allowed } } }';
    service.emulator!.log.clear();
    await graphql(service, '{ __typename }', { authorization: portal });
    const reply = await graphql(service, query, { authorization: portal });
    expect(reply.json.errors).toBeUndefined();
    const me = reply.json.data.me;
    expect(me.appName).toBe('Demo klantportaal');
    expect(me.updateConnectors).toEqual([]);
    expect(me.scopes).toContain('profit:get:Profit_Projects');
    const allowed = Object.fromEntries(
      me.operations.map((o: { name: string; allowed: boolean }) => [o.name, o.allowed]),
    );
    expect(allowed).toMatchObject({ projects: true, organisations: true, employees: false, leaves: false });
    for (const [name, ok] of Object.entries(allowed)) if (name.startsWith('create')) expect(ok).toBe(false);
    // The grant was cached by the earlier requests of this caller: no call at all.
    expect(paths().filter((p) => p.startsWith('/connectors/'))).toEqual([]);
  });

  it('lists readable and denied fields per type, reading /metainfo/get only for granted connectors', async () => {
    const reply = await graphql(service, '{ me { types { type readable fields deniedFields } } }', {
      authorization: hr,
    });
    const types = Object.fromEntries(reply.json.data.me.types.map((t: { type: string }) => [t.type, t])) as Record<
      string,
      { readable: boolean; fields: string[]; deniedFields: string[] }
    >;
    expect(types.Employee!.readable).toBe(true);
    expect(types.Employee!.deniedFields.sort()).toEqual(['hourlyRate', 'iban', 'salary']);
    expect(types.Employee!.fields).toContain('name');
    expect(types.Employee!.fields).toContain('person');
    expect(types.Project!.readable).toBe(false);
    expect(types.Project!.fields).toEqual([]);
    expect(types.Organisation!.deniedFields).toContain('projects');
    const metaGets = profitCalls().filter((e) => e.user === 'hr' && e.path.includes('/metainfo/get/'));
    expect(metaGets.some((e) => e.path.endsWith('Profit_Projects'))).toBe(false);
  });
});

describe('the SDL a router reads', () => {
  it('declares @requiresScopes on bound fields, root queries, relations and mutations, and @authenticated on me', async () => {
    const reply = await graphql(service, '{ _service { sdl } }');
    const sdl: string = reply.json.data._service.sdl;
    expect(sdl).toContain('federation/v2.6');
    expect(sdl).toMatch(/salary: Decimal @requiresScopes\(scopes: \[\["profit:get:Profit_Employees"\]\]\)/);
    expect(sdl).toMatch(/person: Person @requiresScopes\(scopes: \[\["profit:get:Profit_Persons"\]\]\)/);
    expect(sdl).toMatch(
      /createPerson\(input: CreatePersonInput!\): Person @requiresScopes\(scopes: \[\["profit:update:KnPerson"\]\]\)/,
    );
    expect(sdl).toMatch(/me: Access! @authenticated/);
  });
});

describe('logs', () => {
  it('never carry a credential', async () => {
    await graphql(service, '{ employees { edges { cursor } } }', { authorization: 'AfasToken c2VjcmV0LXRva2Vu' });
    await graphql(service, '{ employees(first: 9999) { edges { cursor } } }', { authorization: admin });
    const secrets = [admin, hr, portal, 'c2VjcmV0LXRva2Vu'].map((a) => a.replace(/^\S+ /, ''));
    for (const line of lines) for (const s of secrets) expect(line).not.toContain(s);
  });
});

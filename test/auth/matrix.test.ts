/**
 * The authorization matrix over the emulator's demo users (admin, hr, portal): every bound field, relation and
 * entity reference is allowed or denied exactly as each user's app connector says, a denial is null with FORBIDDEN
 * naming the connector (and field) while everything else is returned, and the emulator's log shows no call to a
 * connector the user lacks, not even a metainfo call.
 */
import type { GraphQLFormattedError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogEntry } from '../../src/emulator/log.js';
import { PermissionStore } from '../../src/graphql/auth/index.js';
import { bindingOf, createRequestContext, type EntityBinding, entityBindings } from '../../src/graphql/index.js';
import { type DemoUser, type Harness, startHarness } from '../graphql/helpers.js';
import { canRead, type Grant, grantOf, pathsOf, USERS } from './helpers.js';

let h: Harness;
const stores = new Map<DemoUser, PermissionStore>();
const grants = new Map<DemoUser, Grant>();
beforeAll(async () => {
  h = await startHarness({ scale: 2 });
  // The harness warms its own cache; these tests count their own stores' calls from here on.
  h.emulator.log.clear();
  for (const u of USERS) {
    stores.set(u, new PermissionStore());
    grants.set(u, grantOf(h.emulator, u));
  }
});
afterAll(() => h?.close());

const bindings = () => entityBindings().sort((a, b) => a.name.localeCompare(b.name));

/** Runs as `user` with that user's own grant cache (so its metainfo calls show in the log). */
function run(user: DemoUser, source: string, variables?: Record<string, unknown>) {
  const context = createRequestContext({ client: h.client(user), permissions: stores.get(user) });
  return h.run<Record<string, unknown>>(source, variables, { context });
}

type Node = Record<string, unknown>;
const nodesOf = (data: unknown, list: string): Node[] =>
  ((data as Record<string, { edges: { node: Node }[] } | null>)?.[list]?.edges ?? []).map((e) => e.node);

function listName(b: EntityBinding): string {
  if (!b.queries) throw new Error(`${b.name} has no root queries`);
  return b.queries.list;
}

const fieldsOf = (b: EntityBinding) => [...b.fields.keys()].join(' ');
const forbidden = (errors: readonly GraphQLFormattedError[] | undefined) =>
  (errors ?? []).filter((e) => e.extensions?.code === 'FORBIDDEN');

describe.each(USERS)('%s', (user) => {
  const grant = () => grants.get(user)!;

  it('reads every field of every type its app connector grants; the others are null with FORBIDDEN', async () => {
    for (const b of bindings()) {
      const list = listName(b);
      const { result, calls } = await run(user, `{ ${list}(first: 3) { edges { node { ${fieldsOf(b)} } } } }`);
      if (!canRead(grant(), b)) {
        expect(result.data?.[list]).toBeNull();
        expect(result.errors).toHaveLength(1);
        expect(result.errors?.[0]).toMatchObject({
          path: [list],
          extensions: { code: 'FORBIDDEN', reason: 'not-granted', connector: b.connector },
        });
        expect(result.errors?.[0]?.message).toContain(b.connector);
        expect(pathsOf(calls).filter((p) => p.includes(b.connector))).toEqual([]);
        continue;
      }
      const nodes = nodesOf(result.data, list);
      expect(nodes.length).toBeGreaterThan(0);
      const admin = nodesOf(
        (await run('admin', `{ ${list}(first: 3) { edges { node { ${fieldsOf(b)} } } } }`)).result.data,
        list,
      );
      const withheld = [...b.fields.keys()].filter((p) => !canRead(grant(), b, p));
      expect(forbidden(result.errors)).toHaveLength(withheld.length * nodes.length);
      expect(result.errors ?? []).toHaveLength(withheld.length * nodes.length);
      nodes.forEach((node, i) => {
        for (const p of b.fields.keys()) {
          if (withheld.includes(p)) {
            expect(node[p]).toBeNull();
            const error = result.errors?.find((e) => e.path?.join('.') === `${list}.edges.${i}.node.${p}`);
            expect(error?.extensions).toMatchObject({
              code: 'FORBIDDEN',
              reason: 'field-not-granted',
              connector: b.connector,
              field: b.fields.get(p)!.connectorField,
            });
            expect(error?.message).toContain(`${b.connector}.${b.fields.get(p)!.connectorField}`);
          } else {
            // The other fields and items are intact: the same values admin reads.
            expect(node[p]).toEqual(admin[i]?.[p]);
          }
        }
      });
    }
  });

  it('resolves a relation only when the target connector is granted, without calling it otherwise', async () => {
    for (const b of bindings()) {
      if (!canRead(grant(), b)) continue;
      for (const relation of b.relations.values()) {
        const target = bindingOf(relation.target());
        const key = b.key.join(' ');
        const sub = relation.list ? `{ edges { node { ${target.key.join(' ')} } } }` : `{ ${target.key.join(' ')} }`;
        const list = listName(b);
        const { result, calls } = await run(
          user,
          `{ ${list}(first: 3) { edges { node { ${key} ${relation.property} ${sub} } } } }`,
        );
        const nodes = nodesOf(result.data, list);
        expect(nodes.length).toBeGreaterThan(0);
        if (canRead(grant(), target)) {
          expect(result.errors, `${b.name}.${relation.property}`).toBeUndefined();
          continue;
        }
        for (const node of nodes) expect(node[relation.property]).toBeNull();
        expect(result.errors).toHaveLength(nodes.length);
        for (const e of result.errors ?? []) {
          expect(e.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'not-granted', connector: target.connector });
        }
        expect(pathsOf(calls).filter((p) => p.includes(target.connector))).toEqual([]);
      }
    }
  });

  it('treats _entities like any other entry point: the connector and each field are checked', async () => {
    for (const b of bindings()) {
      const list = listName(b);
      const keys = nodesOf(
        (await run('admin', `{ ${list}(first: 2) { edges { node { ${b.key.join(' ')} } } } }`)).result.data,
        list,
      );
      const representations = keys.map((k) => ({ __typename: b.name, ...k }));
      const { result, calls } = await run(
        user,
        `query ($r: [_Any!]!) { _entities(representations: $r) { ... on ${b.name} { ${fieldsOf(b)} } } }`,
        { r: representations },
      );
      const entities = result.data?._entities as (Node | null)[];
      expect(entities).toHaveLength(representations.length);
      if (!canRead(grant(), b)) {
        expect(entities.every((e) => e === null)).toBe(true);
        expect(result.errors).toHaveLength(representations.length);
        for (const e of result.errors ?? []) {
          expect(e.extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'not-granted', connector: b.connector });
        }
        expect(pathsOf(calls).filter((p) => p.includes(b.connector))).toEqual([]);
        continue;
      }
      const withheld = [...b.fields.keys()].filter((p) => !canRead(grant(), b, p));
      for (const e of entities) {
        expect(e).not.toBeNull();
        for (const p of withheld) expect(e?.[p]).toBeNull();
      }
      expect(forbidden(result.errors)).toHaveLength(withheld.length * entities.length);
    }
  });

  it('refuses where and orderBy on a withheld field before calling Profit', async () => {
    for (const b of bindings()) {
      if (!canRead(grant(), b)) continue;
      const withheld = [...b.fields.values()].filter((f) => !canRead(grant(), b, f.property) && f.filterable);
      for (const f of withheld) {
        const list = listName(b);
        for (const args of [`where: { ${f.property}: { isEmpty: false } }`, `orderBy: [{ field: ${f.property} }]`]) {
          const { result, calls } = await run(user, `{ ${list}(${args}) { edges { cursor } } }`);
          expect(result.data?.[list]).toBeNull();
          expect(result.errors?.[0]?.extensions).toMatchObject({
            code: 'FORBIDDEN',
            reason: 'field-not-granted',
            connector: b.connector,
            field: f.connectorField,
          });
          expect(result.errors?.[0]?.message).toContain(`${b.name}.${f.property}`);
          expect(pathsOf(calls).filter((p) => p.startsWith('/connectors/'))).toEqual([]);
        }
      }
    }
  });

  it('reads its grant once over every entry point and never calls a connector it lacks: one /metainfo, one /metainfo/get per connector', async () => {
    // Its own sweep with its own grant cache, so it holds whatever ran before it (the order of tests is free).
    const store = new PermissionStore();
    const calls: LogEntry[] = [];
    const sweep = async (source: string, variables?: Record<string, unknown>) => {
      const context = createRequestContext({ client: h.client(user), permissions: store });
      calls.push(...(await h.run(source, variables, { context })).calls);
    };
    for (const b of bindings()) {
      const list = listName(b);
      const relations = [...b.relations.values()].map((relation) => {
        const target = bindingOf(relation.target()).key.join(' ');
        return `${relation.property} ${relation.list ? `{ edges { node { ${target} } } }` : `{ ${target} }`}`;
      });
      await sweep(`{ ${list}(first: 2) { edges { node { ${fieldsOf(b)} ${relations.join(' ')} } } } }`);
      // Keys read as admin through the harness's own (warm) grant cache: not part of this sweep's calls.
      const keys = nodesOf(
        (await h.run(`{ ${list}(first: 2) { edges { node { ${b.key.join(' ')} } } } }`)).result.data,
        list,
      );
      await sweep(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on ${b.name} { ${fieldsOf(b)} } } }`, {
        r: keys.map((k) => ({ __typename: b.name, ...k })),
      });
    }
    const paths = pathsOf(calls);
    const granted = new Set([...grant().get.keys()].map((c) => c.toLowerCase()));
    for (const p of paths) {
      const m = /^\/(?:connectors|metainfo\/get)\/([^/?]+)/i.exec(p);
      if (m?.[1]) expect(granted.has(m[1].toLowerCase()), p).toBe(true);
    }
    expect(paths.filter((p) => p === '/metainfo')).toHaveLength(1);
    const touched = bindings().filter((b) => canRead(grant(), b));
    for (const b of touched) expect(paths.filter((p) => p === `/metainfo/get/${b.connector}`)).toHaveLength(1);
    expect(paths.filter((p) => p.startsWith('/metainfo/get/'))).toHaveLength(touched.length);
    expect(store.stats).toEqual({ metainfo: 1, connectorMetainfo: touched.length });
  });
});

/**
 * What the response cache may keep, read from the document alone (src/server/response-cache/policy.ts), and the
 * bound of its in-memory store.
 */
import { type GraphQLSchema, parse } from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildExecutableSubgraph, entityBindings, writeBindings } from '../../src/graphql/index.js';
import { writtenEntities } from '../../src/graphql/write/binding.js';
import { loadModel } from '../../src/models.js';
import { type CachedEntity, CachePolicy, MemoryResponseStore } from '../../src/server/response-cache/index.js';

let schema: GraphQLSchema;
let entities: CachedEntity[];
beforeAll(async () => {
  schema = (await loadModel('demo').then(buildExecutableSubgraph)).schema;
  entities = entityBindings().map((e) => ({ name: e.name, maxAge: e.cacheControl?.maxAge }));
});

const planOf = (query: string, hints: Record<string, number> = {}, ttl = 60) =>
  new CachePolicy(
    schema,
    entities.map((e) => ({ ...e, maxAge: hints[e.name] ?? e.maxAge })),
    ttl,
  ).plan(schema, parse(query));

describe('the plan of a query', () => {
  it('caches a list for the TTL and names the entities it reads, relations included', () => {
    expect(
      planOf('{ employees { edges { node { employeeId person { personId } } } pageInfo { hasNextPage } } }'),
    ).toEqual({ maxAge: 60, entities: ['Employee', 'Person'] });
  });

  it('takes the smallest hint among the entities read, at most the TTL', () => {
    expect(planOf('{ employees { edges { node { person { personId } } } } }', { Person: 5, Employee: 600 })).toEqual({
      maxAge: 5,
      entities: ['Employee', 'Person'],
    });
  });

  it('caches nothing that reads an entity whose hint is 0', () => {
    expect(planOf('{ employees { edges { node { person { personId } } } } }', { Person: 0 })).toBeUndefined();
  });

  it('sees the entity of a federation lookup through its fragment', () => {
    const query = 'query ($r: [_Any!]!) { _entities(representations: $r) { ... on Leave { leaveId } } }';
    expect(planOf(query)).toEqual({ maxAge: 60, entities: ['Leave'] });
  });

  it('follows named fragments', () => {
    const query = '{ employees { edges { node { ...E } } } } fragment E on Employee { employer { organisationId } }';
    expect(planOf(query)).toEqual({ maxAge: 60, entities: ['Employee', 'Organisation'] });
  });

  it('keeps nothing it has no hint for: access, files, introspection, the service SDL, or no entity at all', () => {
    expect(planOf('{ me { appName } }')).toBeUndefined();
    expect(planOf('{ employees { edges { node { employeeId } } } me { appName } }')).toBeUndefined();
    expect(planOf('{ image(imageId: "1") { downloadUrl } }')).toBeUndefined();
    expect(planOf('{ __schema { queryType { name } } }')).toBeUndefined();
    expect(planOf('{ _service { sdl } }')).toBeUndefined();
    expect(planOf('{ __typename }')).toBeUndefined();
  });
});

describe('the entities a write changes', () => {
  const written = (connector: string) => writtenEntities(writeBindings().find((b) => b.connector === connector)!);

  it('names the entity of every UpdateConnector a write carries as a sub-object', () => {
    expect(written('KnEmployee')).toEqual(['Employee', 'Person']);
  });

  it('names only its own entity when it carries no other', () => {
    expect(written('HrAbsenceID')).toEqual(['Leave']);
  });
});

describe('the in-memory store', () => {
  it('drops the least recently used answers beyond its bound (two of 10 bytes fit in 25), and expired ones', async () => {
    let now = 0;
    const store = new MemoryResponseStore({ maxBytes: 25, now: () => now });
    await store.answers.set('a', 'x'.repeat(9), { ttl: 10 });
    await store.answers.set('b', 'y'.repeat(9), { ttl: 10 });
    expect(await store.answers.get('a')).toBe('x'.repeat(9));
    await store.answers.set('c', 'z'.repeat(9), { ttl: 1 });
    expect(await store.answers.get('b')).toBeUndefined();
    expect(await store.answers.get('a')).toBe('x'.repeat(9));
    now = 1_000;
    expect(await store.answers.get('c')).toBeUndefined();
    expect(await store.answers.get('a')).toBe('x'.repeat(9));
  });

  it('bumps an entity’s generation and no other', async () => {
    const store = new MemoryResponseStore({ maxBytes: 1024 });
    await store.bump(['Employee']);
    expect(await store.generations(['Employee', 'Person'])).toEqual(['1', '0']);
  });
});

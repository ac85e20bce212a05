import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkFilterGroups, encodeGetQuery, type FilterGroup, type GetQuery } from '../../src/profit/index.js';
import { filterGroup } from './filter-arbitraries.js';

/**
 * `chunkFilterGroups` hands each chunk's encoding, assembled from the parts it encoded to size the chunk, to
 * `encodeGetQuery` (found by query object). A copy of the chunk is not known to it and is encoded afresh: both must
 * be the same to the character.
 */
const fresh = (query: GetQuery) => encodeGetQuery({ ...query });

describe('the encoding chunkFilterGroups keeps for each chunk', () => {
  const group = filterGroup;

  it('equals encoding the chunk afresh, in either form, under any base filter, with or without paging', () => {
    fc.assert(
      fc.property(
        fc.array(group, { maxLength: 2 }),
        fc.array(group, { maxLength: 60 }),
        fc.boolean(),
        fc.integer({ min: 200, max: 2049 }),
        (base, groups, paging, max) => {
          const query: GetQuery = {
            ...(base.length > 0 ? { filter: base } : {}),
            ...(paging ? { skip: 20, take: 1000, orderBy: [{ field: 'EmployeeId', descending: true }] } : {}),
          };
          let chunks: GetQuery[];
          try {
            chunks = chunkFilterGroups(query, groups, { maxLength: max });
          } catch {
            return; // too long or invalid: covered by test/profit/encode-query.test.ts
          }
          for (const chunk of chunks) expect(encodeGetQuery(chunk)).toEqual(fresh(chunk));
        },
      ),
      { numRuns: 500 },
    );
  });

  it("equals encoding afresh for groups of one condition each (the loaders' keys), packed as the general path packs", () => {
    // One condition per group, mostly list-safe values (the short path), some that need filterjson (the general one).
    const key = fc.record({
      field: fc.constantFrom('EmployeeId', 'BcCo', 'U1A2B3C4D5E6F7A8B9C0D1E2F3A4B5C6D7'),
      op: fc.constantFrom('eq' as const, 'ne' as const, 'contains' as const),
      value: fc.oneof(
        fc.stringMatching(/^[A-Za-z0-9]{1,12}$/),
        fc.constantFrom('x y', '100%', 'a+b', 'a&b=c', '~(ok)!', '*', 'é', 'a,b'),
        fc.integer({ min: -5000, max: 500000 }),
      ),
    });
    fc.assert(
      fc.property(
        fc.array(key, { minLength: 1, maxLength: 150 }),
        fc.integer({ min: 120, max: 2049 }),
        (conditions, max) => {
          const groups: FilterGroup[] = conditions.map((c) => [c]);
          const query: GetQuery = { skip: 0, take: 1000, orderBy: [{ field: 'EmployeeId' }] };
          let chunks: GetQuery[];
          try {
            chunks = chunkFilterGroups(query, groups, { maxLength: max });
          } catch {
            return; // one key too long alone: covered by test/profit/encode-query.test.ts
          }
          expect(chunks.flatMap((c) => c.filter ?? [])).toHaveLength(groups.length);
          for (const chunk of chunks) {
            expect(encodeGetQuery(chunk)).toEqual(fresh(chunk));
            expect(encodeGetQuery(chunk).queryString.length).toBeLessThanOrEqual(max);
          }
          // Greedy: no chunk could have taken the next chunk's first group of the same form.
          for (let i = 0; i + 1 < chunks.length; i++) {
            const a = chunks[i] as GetQuery;
            const next = (chunks[i + 1] as GetQuery).filter?.[0] as FilterGroup;
            if (encodeGetQuery(a).filterForm !== encodeGetQuery({ filter: [next] }).filterForm) continue;
            const grown = { ...a, filter: [...(a.filter ?? []), next] };
            expect(fresh(grown).queryString.length).toBeGreaterThan(max);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('sends 100 keys in the list form, every key once, as the memo key the loaders read', () => {
    const groups: FilterGroup[] = Array.from({ length: 100 }, (_, i) => [
      { field: 'EmployeeId', op: 'eq', value: `E${1000 + i}` },
    ]);
    const chunks = chunkFilterGroups({ take: 1000, orderBy: [{ field: 'EmployeeId' }] }, groups);
    expect(chunks).toHaveLength(1);
    const encoded = encodeGetQuery(chunks[0]);
    expect(encoded.filterForm).toBe('lists');
    expect(encoded).toEqual(fresh(chunks[0] as GetQuery));
    expect(encoded.queryString).toMatch(
      /^\?skip=0&take=1000&orderbyfieldids=EmployeeId&filterfieldids=EmployeeId;EmployeeId;/,
    );
  });

  it('keeps the JSON form exact for values that need it, ASCII only', () => {
    const groups: FilterGroup[] = [
      [{ field: 'Nm', op: 'eq', value: 'Jansen, é' }],
      [{ field: 'Nm', op: 'contains', value: "d'Artagnan; €" }],
    ];
    const base: FilterGroup[] = [[{ field: 'Blocked', op: 'eq', value: false }]];
    const [chunk] = chunkFilterGroups({ filter: base }, groups);
    const encoded = encodeGetQuery(chunk);
    expect(encoded.filterForm).toBe('json');
    expect(encoded).toEqual(fresh(chunk as GetQuery));
    expect(encoded.queryString).toMatch(/^\?[\x21-\x7e]+$/);
  });
});

/**
 * Every mutation needs its UpdateConnector: declared to a router (`@requiresScopes(profit:update:X)`) and enforced
 * before the resolver runs, so a demo user whose app connector lacks X gets FORBIDDEN and Profit sees no call to X.
 */
import {
  type GraphQLInputType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermissionStore, parseGrant, requiredScopes } from '../../src/graphql/auth/index.js';
import { createRequestContext } from '../../src/graphql/index.js';
import { type Harness, startHarness } from '../graphql/helpers.js';
import { grantOf, pathsOf, USERS } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ scale: 1 });
});
afterAll(() => h?.close());

/** A value GraphQL accepts for `type` (required fields only): enough to reach the resolver. */
function sample(type: GraphQLInputType): unknown {
  const t = getNullableType(type);
  if (isListType(t)) return [sample(t.ofType)];
  if (isEnumType(t)) return t.getValues()[0]?.value;
  if (isInputObjectType(t)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(t.getFields())) if (isNonNullType(f.type)) out[f.name] = sample(f.type);
    return out;
  }
  if (isScalarType(t)) {
    return (
      { Int: 1, Float: 1, Boolean: false, Date: '2020-01-01', DateTime: '2020-01-01', Decimal: '1' }[t.name] ?? '999999'
    );
  }
  return null;
}

const mutations = () => Object.values(h.schema.getMutationType()?.getFields() ?? {});

describe('mutations', () => {
  it('each declares the UpdateConnector it needs as @requiresScopes(profit:update:…)', () => {
    expect(mutations().length).toBeGreaterThan(0);
    for (const m of mutations()) {
      const scopes = requiredScopes(m);
      expect(scopes, m.name).toHaveLength(1);
      expect(parseGrant(scopes[0]!).kind, m.name).toBe('update');
    }
  });

  describe.each(USERS)('as %s', (user) => {
    it('is refused with FORBIDDEN, and no call, exactly when the app connector lacks its UpdateConnector', async () => {
      const grant = grantOf(h.emulator, user);
      const store = new PermissionStore();
      for (const m of mutations()) {
        const connector = parseGrant(requiredScopes(m)[0]!).connector;
        const vars = m.args.map((a, i) => `$a${i}: ${String(a.type)}`).join(', ');
        const args = m.args.map((a, i) => `${a.name}: $a${i}`).join(', ');
        const source = `mutation${vars ? `(${vars})` : ''} { ${m.name}${args ? `(${args})` : ''} { __typename } }`;
        const variables = Object.fromEntries(m.args.map((a, i) => [`a${i}`, sample(a.type)]));
        const context = createRequestContext({ client: h.client(user), permissions: store });
        const { result, calls } = await h.run(source, variables, { context });
        const denial = result.errors?.find((e) => e.extensions?.code === 'FORBIDDEN');
        if (grant.update.has(connector)) {
          expect(denial, `${user} ${m.name}`).toBeUndefined();
          continue;
        }
        expect(denial?.extensions, `${user} ${m.name}`).toMatchObject({
          reason: 'not-granted',
          connector,
          scope: `profit:update:${connector}`,
        });
        expect(denial?.message).toContain(`UpdateConnector ${connector}`);
        expect(pathsOf(calls).filter((p) => p.startsWith('/connectors/'))).toEqual([]);
      }
    });
  });
});

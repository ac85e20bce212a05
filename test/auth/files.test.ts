/**
 * Files: an attachment's file needs its connector and the ids that address it, a person's photo the person's
 * ImageId, both checked before any file call; Profit itself decides the Subject-, File-, Image- and
 * ReportConnectors, which its metainfo does not list.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PermissionStore } from '../../src/graphql/auth/index.js';
import { createRequestContext } from '../../src/graphql/index.js';
import { type DemoUser, type Harness, startHarness } from '../graphql/helpers.js';
import { pathsOf } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ scale: 1 });
});
afterAll(() => h?.close());

const run = (user: DemoUser, source: string, store = new PermissionStore()) =>
  h.run(source, undefined, { context: createRequestContext({ client: h.client(user), permissions: store }) });

describe('files', () => {
  it('serves a person’s photo to a caller whose grant has Profit_Persons.ImageId', async () => {
    const { result } = await run(
      'portal',
      '{ persons(first: 20) { edges { node { personId image { downloadUrl } } } } }',
    );
    expect(result.errors?.filter((e) => e.extensions?.code === 'FORBIDDEN') ?? []).toEqual([]);
  });

  it('refuses the photo, without an ImageConnector call, when the grant withholds ImageId', async () => {
    const portal = h.emulator.company.appConnectors.find((a) => a.id === 'portal')!;
    const grants = portal.getConnectors as Record<string, string[]>;
    const saved = grants.Profit_Persons!;
    grants.Profit_Persons = [...saved, 'ImageId'];
    try {
      const { result, calls } = await run(
        'portal',
        '{ persons(first: 3) { edges { node { personId image { contentBase64 } } } } }',
      );
      const persons = result.data?.persons as { edges: { node: { personId: string; image: unknown } }[] } | undefined;
      const nodes = persons?.edges ?? [];
      expect(nodes).toHaveLength(3);
      for (const { node } of nodes) expect(node.image).toBeNull();
      expect(result.errors?.map((e) => e.extensions)).toEqual(
        Array.from({ length: 3 }, () =>
          expect.objectContaining({ code: 'FORBIDDEN', reason: 'field-not-granted', field: 'ImageId' }),
        ),
      );
      expect(pathsOf(calls).filter((p) => /imageconnector/i.test(p))).toEqual([]);
    } finally {
      grants.Profit_Persons = saved;
    }
  });

  it('declares an attachment’s file fields to a router with the attachment connector’s scope', () => {
    const type = h.schema.getType('DossierItemAttachment') as import('graphql').GraphQLObjectType;
    for (const name of ['downloadUrl', 'contentBase64']) {
      const directive = type.getFields()[name]?.astNode?.directives?.find((d) => d.name.value === 'requiresScopes');
      expect(directive, name).toBeDefined();
    }
  });
});

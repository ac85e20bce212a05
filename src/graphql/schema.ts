/**
 * Schema build: the type-graphql schema from the model registry, and the Federation 2 subgraph built over its
 * printed SDL (the type-graphql `apollo-federation-2` recipe) with `__resolveReference` through the loaders.
 */
import { buildSubgraphSchema as buildApolloSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { type GraphQLSchema, graphql, parse } from 'graphql';
import { buildSchema, createResolversMap } from 'type-graphql';
import '../model/index.js';
import '../model/write/index.js';
import { type EntityBinding, entityBindings, type GeneratedClass } from './binding.js';
import { PageInfo } from './connection.js';
import type { RequestContext } from './context.js';
import { translated } from './errors.js';
import type { KeyValue } from './loaders.js';
import { createEntityResolver, createEntityTypes } from './resolvers.js';
import { DateTimeScalar, DecimalScalar } from './scalars.js';
import { writeResolvers } from './write/index.js';

/**
 * The Federation 2 version and directives this subgraph uses. v2.3 is understood by every Federation 2 router and
 * gateway still in use; nothing here needs a later one.
 */
export const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])';

let resolverClasses: GeneratedClass[] | undefined;

/** Generates the input, connection and resolver classes once per process (type-graphql's metadata is global). */
function generated(): { bindings: EntityBinding[]; resolvers: GeneratedClass[] } {
  // By name, so the schema's order does not depend on the order in which ES modules in a cycle evaluate.
  const bindings = entityBindings().sort((a, b) => a.name.localeCompare(b.name));
  if (!resolverClasses) {
    const types = createEntityTypes(bindings);
    resolverClasses = [...types.values()].map((t) => createEntityResolver(t, types));
  }
  return { bindings, resolvers: resolverClasses };
}

let typeGraphQLSchema: Promise<GraphQLSchema> | undefined;
let subgraphSchema: Promise<GraphQLSchema> | undefined;

/** The plain type-graphql schema (no federation fields), e.g. for cost analysis. Built once. */
export function buildTypeGraphQLSchema(): Promise<GraphQLSchema> {
  typeGraphQLSchema ??= (async () => {
    const { resolvers } = generated();
    return buildSchema({
      resolvers: [...resolvers, ...writeResolvers()] as [GeneratedClass, ...GeneratedClass[]],
      orphanedTypes: [PageInfo],
      scalarsMap: [],
      // Federation directives (@key, @shareable) are declared by the subgraph build, not here.
      skipCheck: true,
      validate: false,
    });
  })();
  return typeGraphQLSchema;
}

/** The federated schema served at /graphql: `_service`, `_entities` and `__resolveReference` for every entity. */
export function buildSubgraphSchema(): Promise<GraphQLSchema> {
  subgraphSchema ??= (async () => {
    const schema = await buildTypeGraphQLSchema();
    const { bindings } = generated();
    const resolvers = createResolversMap(schema) as GraphQLResolverMap<unknown>;
    for (const binding of bindings) {
      const typeResolvers = (resolvers[binding.name] ?? {}) as Record<string, unknown>;
      resolvers[binding.name] = {
        ...typeResolvers,
        __resolveReference: (reference: Record<string, KeyValue>, ctx: RequestContext) =>
          translated(() => ctx.loaders.entity(binding).load(binding.key.map((k) => reference[k]))),
      } as GraphQLResolverMap<unknown>[string];
    }
    resolvers.Decimal = DecimalScalar;
    resolvers.DateTime = DateTimeScalar;
    const typeDefs = parse(`${FEDERATION_LINK}\n\n${printSchemaWithDirectives(schema)}`);
    return buildApolloSubgraphSchema({ typeDefs, resolvers });
  })();
  return subgraphSchema;
}

/** The subgraph SDL exactly as `{ _service { sdl } }` returns it (for schema/subgraph.graphql and composition). */
export async function printSubgraphSdl(): Promise<string> {
  const result = await graphql({ schema: await buildSubgraphSchema(), source: '{ _service { sdl } }' });
  const sdl = (result.data as { _service?: { sdl?: unknown } } | null | undefined)?._service?.sdl;
  if (typeof sdl !== 'string') throw new Error(`_service { sdl } failed: ${JSON.stringify(result.errors)}`);
  return sdl;
}

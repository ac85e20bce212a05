/**
 * Whether an operation's answer may be cached, and for how long: read from the document alone, before it runs.
 *
 * Apollo's cache-control plugin computes the same per resolved field (off here: 4% of CPU for a page of employees,
 * see src/server/index.ts). This walk looks at each selected field's type once per request instead:
 *
 * - an entity: cacheable for its hint's `maxAge`, at most the TTL (no hint: the TTL);
 * - the paging types built around entities (`XConnection`, `XEdge`, `PageInfo`) and federation's `_Entity`: neutral;
 * - any other object type (`Access` from `me`, `ProfitFile` with its download link, introspection, `_Service`):
 *   not cacheable. What the response cache does not know it does not keep.
 *
 * The answer is cacheable for the smallest `maxAge` among the entities it selects, and only when it selects one.
 */
import {
  type DocumentNode,
  type GraphQLSchema,
  getNamedType,
  isCompositeType,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';

/** An entity as the cache sees it: its GraphQL type name and its hint (EntityOptions.cacheControl). */
export interface CachedEntity {
  readonly name: string;
  /** Seconds; undefined: the TTL. */
  readonly maxAge: number | undefined;
}

export interface CachePlan {
  /** Seconds, > 0. */
  readonly maxAge: number;
  /** The entities the answer reads, sorted: their write generations are part of the key. */
  readonly entities: readonly string[];
}

/** The types that carry entities without holding data of their own. */
function structuralTypes(entities: Iterable<string>): Set<string> {
  const names = new Set(['PageInfo', '_Entity']);
  for (const name of entities) names.add(`${name}Connection`).add(`${name}Edge`);
  return names;
}

export class CachePolicy {
  readonly #maxAges: ReadonlyMap<string, number>;
  readonly #structural: ReadonlySet<string>;
  readonly #root: ReadonlySet<string>;

  constructor(schema: GraphQLSchema, entities: readonly CachedEntity[], ttlSeconds: number) {
    this.#maxAges = new Map(entities.map((e) => [e.name, Math.min(e.maxAge ?? ttlSeconds, ttlSeconds)]));
    this.#structural = structuralTypes(this.#maxAges.keys());
    this.#root = new Set([schema.getQueryType()?.name ?? 'Query']);
  }

  /**
   * The plan for a query document, or undefined when its answer must not be cached. Every operation and fragment in
   * the document counts (not only the one chosen): a superset is only more careful.
   */
  plan(schema: GraphQLSchema, document: DocumentNode): CachePlan | undefined {
    const typeInfo = new TypeInfo(schema);
    const entities = new Set<string>();
    let maxAge = Number.POSITIVE_INFINITY;
    let cacheable = true;
    const note = (name: string) => {
      const age = this.#classify(name);
      if (age === 'neutral') return;
      if (age === undefined) cacheable = false;
      else {
        entities.add(name);
        maxAge = Math.min(maxAge, age);
      }
    };
    visit(
      document,
      visitWithTypeInfo(typeInfo, {
        Field() {
          // The parent too: `_entities { ... on Employee { name } }` selects only scalars of the entity.
          const parent = typeInfo.getParentType();
          if (parent) note(parent.name);
          const type = typeInfo.getType();
          const named = type ? getNamedType(type) : undefined;
          if (named && isCompositeType(named)) note(named.name);
        },
      }),
    );
    if (!cacheable || entities.size === 0 || !(maxAge > 0)) return undefined;
    return { maxAge, entities: [...entities].sort() };
  }

  #classify(name: string): number | 'neutral' | undefined {
    const age = this.#maxAges.get(name);
    if (age !== undefined) return age;
    return this.#structural.has(name) || this.#root.has(name) ? 'neutral' : undefined;
  }
}

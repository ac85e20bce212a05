/**
 * Relay connections: `PageInfo`, the generated `XEdge` / `XConnection` types, opaque cursors and paging
 * arguments. Profit has no total count, so none is offered; `hasNextPage` comes from reading one row more than
 * asked for.
 */
import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { Directive, Field, ObjectType } from 'type-graphql';
import type { EntityBinding, GeneratedClass } from './binding.js';

@Directive('@shareable')
@ObjectType({ description: 'Where a page sits in its list (Relay).' })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => Boolean, { description: 'True when the page does not start at the first row.' })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface Edge<T> {
  readonly node: T;
  readonly cursor: string;
}

export interface Connection<T> {
  readonly edges: readonly Edge<T>[];
  readonly pageInfo: PageInfo;
}

export interface ConnectionTypes {
  readonly edge: GeneratedClass;
  readonly connection: GeneratedClass;
}

function namedClass(name: string): GeneratedClass {
  const holder = { [name]: class {} };
  return holder[name] as GeneratedClass;
}

/** `XEdge { node: X!, cursor: String! }` and `XConnection { edges: [XEdge!]!, pageInfo: PageInfo! }`. */
export function createConnectionTypes(binding: EntityBinding): ConnectionTypes {
  const edge = namedClass(`${binding.name}Edge`);
  Field(() => binding.target, { nullable: false })(edge.prototype, 'node');
  Field(() => String, { nullable: false, description: 'Pass as `after` to continue after this row.' })(
    edge.prototype,
    'cursor',
  );
  ObjectType(`${binding.name}Edge`)(edge);
  const connection = namedClass(`${binding.name}Connection`);
  Field(() => [edge], { nullable: false })(connection.prototype, 'edges');
  Field(() => PageInfo, { nullable: false })(connection.prototype, 'pageInfo');
  ObjectType(`${binding.name}Connection`, {
    description: `A page of ${binding.name} rows. Profit gives no total count, so there is none.`,
  })(connection);
  return { edge, connection };
}

/**
 * Most rows one page may ask for: a `first` above it is refused rather than cut, so a client never mistakes a
 * shortened page for the end of the list.
 * @default 500
 */
export const MAX_FIRST = 500;
/** @default 25 */
export const DEFAULT_FIRST = 25;

function badInput(message: string, argument: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argument } });
}

/**
 * A fingerprint of the arguments that define a list (its where, orderBy and, for a relation, the parent), so a
 * cursor cannot be used with other arguments: its offset would point into a different list.
 */
export function listFingerprint(parts: unknown): string {
  return createHash('sha256').update(canonicalJson(parts)).digest('base64url').slice(0, 12);
}

/** JSON with object keys sorted and `undefined` dropped: the same arguments give the same text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Date) return v;
    if (typeof (v as { toJSON?: unknown }).toJSON === 'function') return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) sorted[k] = x;
    }
    return sorted;
  });
}

const CURSOR_PREFIX = 'c1';

/** An opaque cursor: base64url of the row's offset in the list and the list's fingerprint. */
export function encodeCursor(offset: number, fingerprint: string): string {
  return Buffer.from(`${CURSOR_PREFIX}:${fingerprint}:${offset}`).toString('base64url');
}

/** The offset of the row after which to continue; throws BAD_USER_INPUT for a malformed or foreign cursor. */
export function decodeCursor(cursor: string, fingerprint: string): number {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^c1:([A-Za-z0-9_-]{12}):(\d{1,9})$/.exec(text);
  if (!m || Buffer.from(text).toString('base64url') !== cursor.replace(/=+$/, '')) {
    throw badInput('`after` is not a cursor from this API', 'after');
  }
  if (m[1] !== fingerprint) {
    throw badInput(
      '`after` is a cursor of a different list: use it with the same where and orderBy (and the same parent) it came from',
      'after',
    );
  }
  return Number(m[2]);
}

export interface PageRequest {
  /** Rows to skip. */
  readonly offset: number;
  /** Rows asked for. */
  readonly first: number;
  /** The list's fingerprint, computed when first asked for (a cursor to read or to write). */
  readonly fingerprint: () => string;
}

/**
 * Validates `first` / `after` and resolves the page's offset. The fingerprint may be given as a function: it is
 * then computed only when a cursor is read or written, since most pages of a nested list are never paged on.
 */
export function pageRequest(
  first: number | null | undefined,
  after: string | null | undefined,
  fingerprint: string | (() => string),
): PageRequest {
  const n = first ?? DEFAULT_FIRST;
  if (!Number.isSafeInteger(n) || n < 0) throw badInput(`\`first\` must be 0 or more, got ${n}`, 'first');
  if (n > MAX_FIRST) {
    throw badInput(`\`first\` must be at most ${MAX_FIRST}, got ${n}: page with \`after\` instead`, 'first');
  }
  const print = once(typeof fingerprint === 'string' ? () => fingerprint : fingerprint);
  const offset = after === null || after === undefined ? 0 : decodeCursor(after, print()) + 1;
  return { offset, first: n, fingerprint: print };
}

function once(compute: () => string): () => string {
  let value: string | undefined;
  return () => {
    value ??= compute();
    return value;
  };
}

/** An edge whose cursor is encoded when read: a query that selects only `node` pays nothing for it. */
class PageEdge<T> implements Edge<T> {
  constructor(
    readonly node: T,
    readonly offset: number,
    readonly page: PageRequest,
  ) {}

  get cursor(): string {
    return encodeCursor(this.offset, this.page.fingerprint());
  }
}

/** A connection whose `pageInfo` (and its cursors) is built when read. */
class Page<T> implements Connection<T> {
  readonly edges: readonly PageEdge<T>[];

  constructor(
    rows: readonly T[],
    readonly page: PageRequest,
    start: number,
  ) {
    const available = Math.max(0, rows.length - start);
    const shown = Math.min(available, page.first);
    const edges = new Array<PageEdge<T>>(shown);
    for (let i = 0; i < shown; i++) edges[i] = new PageEdge(rows[start + i] as T, page.offset + i, page);
    this.edges = edges;
    this.#hasNextPage = available > page.first;
  }

  readonly #hasNextPage: boolean;

  get pageInfo(): PageInfo {
    return {
      hasNextPage: this.#hasNextPage,
      hasPreviousPage: this.page.offset > 0,
      startCursor: this.edges[0]?.cursor ?? null,
      endCursor: this.edges.at(-1)?.cursor ?? null,
    };
  }
}

/**
 * A connection over `rows` from index `start` (default 0), which is `page.offset` of the list; a row beyond the page
 * only says there is a next page.
 */
export function toConnection<T>(rows: readonly T[], page: PageRequest, start = 0): Connection<T> {
  return new Page(rows, page, start);
}

/**
 * The Playground at `/`: GraphiQL 5 (the maintained successor of GraphQL Playground) as rendered by
 * `@graphql-yoga/render-graphiql`, one self-contained page of about 9 MB with every script, style, font, worker and
 * icon inlined. Nothing is fetched from a CDN, so it works offline and behind strict egress rules; the
 * Content-Security-Policy below makes the browser enforce that (`connect-src 'self'`).
 *
 * The page is rendered and compressed on its first request, once per process for the same options (gzip and
 * Brotli, about 2.4 and 1.9 MB, roughly 0.2 s of one core each, in parallel on libuv's pool) — not at start-up,
 * which stays fast for a service nobody opens the Playground of — and then served with a strong ETag per encoding, `Vary:
 * Accept-Encoding` and `Cache-Control: no-cache`: a browser revalidates each visit and gets a 304 while the
 * service runs the same page.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';

export interface PlaygroundOptions {
  /** @default '/graphql' */
  readonly endpoint?: string;
  /** The operation in the first tab. */
  readonly defaultQuery: string;
  /** Variables of the first tab, as JSON text. */
  readonly defaultVariables?: string;
  /** The first tab's headers, as JSON text (e.g. the demo admin's `Authorization`). */
  readonly headers: string;
  /** @default 'profit-subgraph' */
  readonly title?: string;
}

export interface Playground {
  /** Answers GET and HEAD of the page. */
  handle(req: IncomingMessage, res: ServerResponse): void;
}

type Encoding = 'br' | 'gzip' | 'identity';

/**
 * GraphiQL needs inline scripts and styles, blob: workers (Monaco's editor, JSON and GraphQL language services)
 * and data: icons. Everything else is closed, `eval` included (the browser test runs the page under this policy
 * and fails on any violation): the page may only talk to the service that served it.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'unsafe-inline' blob:",
  'worker-src blob:',
  "style-src 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/** The first encoding the client accepts, in our order of preference (br, gzip, identity). */
export function negotiateEncoding(acceptEncoding: string | undefined): Encoding {
  if (acceptEncoding === undefined) return 'identity';
  const accepted = new Map<string, number>();
  for (const part of acceptEncoding.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    accepted.set(name.trim(), q === undefined ? 1 : Number(q));
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return 'identity';
}

function matchesEtag(ifNoneMatch: string | undefined, etags: readonly string[]): boolean {
  if (ifNoneMatch === undefined) return false;
  if (ifNoneMatch.trim() === '*') return true;
  // Weak comparison (RFC 9110 §13.1.2): `W/` does not matter, and any encoding of the same page is a match.
  const wanted = ifNoneMatch.split(',').map((t) => t.trim().replace(/^W\//, ''));
  return wanted.some((t) => etags.includes(t));
}

interface Page {
  readonly variants: Record<Encoding, { readonly body: Buffer; readonly etag: string }>;
  readonly etags: readonly string[];
}

/**
 * Rendered pages by a sha256 of their options (the options carry the demo header, which never becomes a key in
 * clear text): every service of a process with the same Playground shares one rendering.
 */
const pages = new Map<string, Promise<Page>>();

function pageFor(options: PlaygroundOptions): Promise<Page> {
  const key = createHash('sha256').update(JSON.stringify(options)).digest('hex');
  let page = pages.get(key);
  if (!page) {
    page = renderPage(options);
    pages.set(key, page);
    page.catch(() => pages.delete(key));
  }
  return page;
}

async function renderPage(options: PlaygroundOptions): Promise<Page> {
  const html = Buffer.from(
    renderGraphiQL({
      endpoint: options.endpoint ?? '/graphql',
      title: options.title ?? 'profit-subgraph',
      defaultQuery: options.defaultQuery,
      headers: options.headers,
      // A token typed into the Playground stays in the tab, not in the browser's localStorage.
      shouldPersistHeaders: false,
      defaultEditorToolsVisibility: 'headers',
      ...(options.defaultVariables === undefined
        ? {}
        : {
            defaultTabs: [
              { query: options.defaultQuery, variables: options.defaultVariables, headers: options.headers },
            ],
          }),
    }),
    'utf8',
  );
  const [gzipped, brotli] = await Promise.all([
    gzipAsync(html, { level: 6 }),
    brotliAsync(html, {
      params: {
        // Quality 5 is within 15% of quality 11 on this page at 1/60 of the time (0.2 s instead of 13 s).
        [constants.BROTLI_PARAM_QUALITY]: 5,
        [constants.BROTLI_PARAM_SIZE_HINT]: html.length,
        [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      },
    }),
  ]);
  const hash = createHash('sha256').update(html).digest('base64url').slice(0, 27);
  const variants: Record<Encoding, { body: Buffer; etag: string }> = {
    identity: { body: html, etag: `"${hash}"` },
    gzip: { body: gzipped, etag: `"${hash}-gzip"` },
    br: { body: brotli, etag: `"${hash}-br"` },
  };
  return { variants, etags: Object.values(variants).map((v) => v.etag) };
}

export function createPlayground(options: PlaygroundOptions): Playground {
  return {
    handle(req, res) {
      pageFor(options).then(
        (page) => send(page, req, res),
        () => {
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
          res.end('The Playground could not be rendered.');
        },
      );
    },
  };
}

function send({ variants, etags }: Page, req: IncomingMessage, res: ServerResponse): void {
  const encoding = negotiateEncoding(req.headers['accept-encoding']);
  const variant = variants[encoding];
  const headers: OutgoingHttpHeaders = {
    etag: variant.etag,
    vary: 'Accept-Encoding',
    'cache-control': 'no-cache',
  };
  if (matchesEtag(req.headers['if-none-match'], etags)) {
    res.writeHead(304, headers).end();
    return;
  }
  res.writeHead(200, {
    ...headers,
    'content-type': 'text/html; charset=utf-8',
    'content-length': variant.body.length,
    ...(encoding === 'identity' ? {} : { 'content-encoding': encoding }),
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  res.end(variant.body);
}

/**
 * Bounds on how deeply a request nests, checked by loops (never recursion) before anything recursive sees it.
 *
 * graphql-js parses documents, and coerces input values, recursively: a `where` nested 5,000 levels in the
 * variables, or about 1,000 written inline, exhausted the stack and was answered "Maximum call stack size
 * exceeded" (INTERNAL_SERVER_ERROR, or GRAPHQL_PARSE_FAILED). These checks answer first, with a stable code:
 *
 * - a variable (a POST's or a GET's), or any other member of a JSON body, nesting more than `MAX_INPUT_NESTING`
 *   lists and objects: BAD_USER_INPUT (HTTP 400);
 * - a value written in the document (an argument, a default value, a list type) nesting more than
 *   `MAX_INPUT_NESTING`: BAD_USER_INPUT;
 * - selection sets nesting more than `MAX_SELECTION_NESTING`: QUERY_TOO_DEEP. `MAX_QUERY_DEPTH` (limits-plugin.ts)
 *   counts fields on the parsed operation, well below this; this bound only keeps the parser alive long enough
 *   for that check.
 *
 * Each check is linear in the request's size; the document's tokens are counted up to the parser's own
 * `maxTokens`.
 */
import type { HTTPGraphQLRequest } from '@apollo/server';
import { GraphQLError, Lexer, Source, TokenKind } from 'graphql';
import { limitError } from '../graphql/errors.js';
import { HttpError } from './http.js';

/**
 * The most levels of lists and objects one input value may nest. The deepest input the schema has a use for is a
 * `where` at compileWhere's 32 levels of `and` / `or` (two levels each: an object and its list) around a condition:
 * about 70. @default 100
 */
export const MAX_INPUT_NESTING = 100;

/** The most selection sets one document may nest (inline fragments count). @default 500 */
export const MAX_SELECTION_NESTING = 500;

/**
 * Whether `value` (parsed JSON) nests more than `max` lists and objects. A loop, so any depth is safe; two parallel
 * stacks (values and their depths), so walking 500 `_entities` representations allocates next to nothing.
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  const nodes: object[] = [value];
  const depths: number[] = [1];
  while (nodes.length > 0) {
    const node = nodes.pop() as object;
    const depth = depths.pop() as number;
    if (depth > max) return true;
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const child: unknown = node[i];
        if (child !== null && typeof child === 'object') {
          nodes.push(child);
          depths.push(depth + 1);
        }
      }
    } else {
      for (const key in node) {
        if (!Object.hasOwn(node, key)) continue;
        const child: unknown = (node as Record<string, unknown>)[key];
        if (child !== null && typeof child === 'object') {
          nodes.push(child);
          depths.push(depth + 1);
        }
      }
    }
  }
  return false;
}

function tooDeep(what: string): string {
  return `${what} nests deeper than ${MAX_INPUT_NESTING} levels of lists and objects`;
}

/** The message for the first variable that nests too deeply, if any. */
export function variablesNestingError(variables: Readonly<Record<string, unknown>> | undefined): string | undefined {
  for (const [name, value] of Object.entries(variables ?? {})) {
    if (nestsDeeperThan(value, MAX_INPUT_NESTING)) return tooDeep(`Variable "$${name.slice(0, 64)}"`);
  }
  return undefined;
}

/**
 * The message for a parsed JSON request body that nests too deeply, if any: the variable's name when it is one,
 * else the body as a whole (a batch, `extensions`, anything Apollo would refuse later anyway).
 */
export function bodyNestingError(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return nestsDeeperThan(body, MAX_INPUT_NESTING) ? tooDeep('The request body') : undefined;
  }
  for (const [key, value] of Object.entries(body)) {
    if (key === 'variables' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const message = variablesNestingError(value as Record<string, unknown>);
      if (message !== undefined) return message;
    } else if (nestsDeeperThan(value, MAX_INPUT_NESTING)) {
      return tooDeep('A member of the request body');
    }
  }
  return undefined;
}

/**
 * Scans a document's tokens (graphql-js's own lexer, so strings and comments are read as the parser reads them)
 * and returns the error for the first bound it crosses. Brackets inside parentheses are values (arguments,
 * variable definitions); braces outside are selection sets. Stops after `maxTokens` (the parser refuses more) and
 * at a syntax error (the parser reports it).
 */
export function documentNestingError(source: string, maxTokens: number): GraphQLError | undefined {
  const lexer = new Lexer(new Source(source));
  /** The open brackets, innermost last: `(`, a value's `{` / `[`, or a selection set's `{`. */
  const open: ('(' | 'value' | 'selection')[] = [];
  let parens = 0;
  let values = 0;
  let selections = 0;
  try {
    for (let count = 0, token = lexer.advance(); token.kind !== TokenKind.EOF && count < maxTokens; count++) {
      switch (token.kind) {
        case TokenKind.PAREN_L:
          open.push('(');
          parens += 1;
          break;
        case TokenKind.BRACE_L:
        case TokenKind.BRACKET_L:
          if (parens > 0 || token.kind === TokenKind.BRACKET_L) {
            open.push('value');
            values += 1;
            if (values > MAX_INPUT_NESTING) {
              return new GraphQLError(tooDeep(`The value at line ${token.line}, column ${token.column}`), {
                extensions: { code: 'BAD_USER_INPUT', limit: MAX_INPUT_NESTING, http: { status: 400 } },
              });
            }
          } else {
            open.push('selection');
            selections += 1;
            if (selections > MAX_SELECTION_NESTING) {
              return limitError(
                'QUERY_TOO_DEEP',
                `The selection sets nest deeper than ${MAX_SELECTION_NESTING} levels at line ${token.line}, column ${token.column} (MAX_QUERY_DEPTH limits the fields, at most ${MAX_SELECTION_NESTING} selection sets are read)`,
                MAX_SELECTION_NESTING,
                selections,
              );
            }
          }
          break;
        case TokenKind.PAREN_R:
        case TokenKind.BRACE_R:
        case TokenKind.BRACKET_R: {
          const closed = open.pop();
          if (closed === '(') parens -= 1;
          else if (closed === 'value') values -= 1;
          else if (closed === 'selection') selections -= 1;
          break;
        }
      }
      token = lexer.advance();
    }
  } catch {
    // A syntax error: the parser reports it, with its position.
  }
  return undefined;
}

/**
 * The answer for a GraphQL request over HTTP that nests too deeply, before Apollo reads it: a POST's JSON body, or
 * a GET's `query`, `variables` and `extensions` parameters. (Apollo's plugins see the source only in hooks whose
 * errors it answers as 500, so the check sits in front of it.) Undefined when the request is fine or unreadable:
 * Apollo then answers as it does.
 */
export function requestNestingError(request: HTTPGraphQLRequest, maxTokens: number): HttpError | undefined {
  const body = request.method === 'GET' ? fromSearch(request.search) : request.body;
  const values = bodyNestingError(body);
  if (values !== undefined) return new HttpError(400, 'BAD_USER_INPUT', values);
  const query = (body as { query?: unknown } | null | undefined)?.query;
  const document = typeof query === 'string' ? documentNestingError(query, maxTokens) : undefined;
  if (document === undefined) return undefined;
  return new HttpError(400, String(document.extensions.code), document.message);
}

/** A GET's parameters as the body a POST would send; a parameter that is not JSON is left for Apollo. */
function fromSearch(search: string): Record<string, unknown> {
  const params = new URLSearchParams(search);
  const json = (name: string): unknown => {
    const raw = params.get(name);
    if (raw === null) return undefined;
    try {
      return JSON.parse(raw);
    } catch {
      return undefined;
    }
  };
  return { query: params.get('query') ?? undefined, variables: json('variables'), extensions: json('extensions') };
}

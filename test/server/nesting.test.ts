import { describe, expect, it } from 'vitest';
import {
  bodyNestingError,
  documentNestingError,
  MAX_INPUT_NESTING,
  nestsDeeperThan,
} from '../../src/server/nesting.js';

/** `levels` nested lists around 1, built without recursion. */
function nestedList(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

describe('nesting of JSON values', () => {
  it('counts lists and objects, not scalars', () => {
    expect(nestsDeeperThan(1, 0)).toBe(false);
    expect(nestsDeeperThan({}, 0)).toBe(true);
    expect(nestsDeeperThan({ a: [{ b: 'x' }] }, 3)).toBe(false);
    expect(nestsDeeperThan({ a: [{ b: 'x' }] }, 2)).toBe(true);
  });

  it('measures a million levels without recursion', () => {
    expect(nestsDeeperThan(nestedList(1_000_000), MAX_INPUT_NESTING)).toBe(true);
  });

  it('names the variable that nests too deeply, and allows exactly the limit', () => {
    expect(bodyNestingError({ query: '{a}', variables: { ok: nestedList(MAX_INPUT_NESTING) } })).toBeUndefined();
    expect(bodyNestingError({ query: '{a}', variables: { deep: nestedList(MAX_INPUT_NESTING + 1) } })).toBe(
      'Variable "$deep" nests deeper than 100 levels of lists and objects',
    );
    expect(bodyNestingError(nestedList(200))).toBe(
      'The request body nests deeper than 100 levels of lists and objects',
    );
  });
});

describe('nesting in a document', () => {
  const literal = (levels: number) => `${'{a:['.repeat(levels)}1${']}'.repeat(levels)}`;

  it('allows values up to the limit and refuses one level more, with the position', () => {
    expect(documentNestingError(`{ f(x: ${literal(MAX_INPUT_NESTING / 2)}) }`, 20_000)).toBeUndefined();
    const error = documentNestingError(`{ f(x: ${literal(MAX_INPUT_NESTING / 2 + 1)}) }`, 20_000);
    expect(error?.message).toBe('The value at line 1, column 208 nests deeper than 100 levels of lists and objects');
    expect(error?.extensions.code).toBe('BAD_USER_INPUT');
  });

  it('counts list types in variable definitions as values', () => {
    const type = `${'['.repeat(150)}Int${']'.repeat(150)}`;
    expect(documentNestingError(`query($x: ${type}) { a }`, 20_000)?.extensions.code).toBe('BAD_USER_INPUT');
  });

  it('ignores brackets inside strings, block strings and comments', () => {
    const brackets = '{['.repeat(500);
    const document = `# ${brackets}\n{ f(x: "${brackets}", y: """${brackets}""") { g } }`;
    expect(documentNestingError(document, 20_000)).toBeUndefined();
  });

  it('leaves a syntax error to the parser', () => {
    expect(documentNestingError(`{ f(x: "unterminated ${'['.repeat(500)}`, 20_000)).toBeUndefined();
  });

  it('reads no further than the parser would', () => {
    expect(documentNestingError(`{ f(x: ${literal(200)}) }`, 100)).toBeUndefined();
  });
});

/**
 * The layers the README's map promises, read from the sources' import statements: src/profit knows nothing of
 * GraphQL or the server, and the core (src/graphql) imports no model.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sources(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}

/** Every `from '…'` and `import('…')` of a file, resolved against the file when relative. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g)].map((m) => m[1] as string);
  return specs.map((s) => (s.startsWith('.') ? relative(SRC, resolve(file, '..', s)) : s));
}

function offenders(folder: string, forbidden: (target: string) => boolean): string[] {
  return sources(join(SRC, folder)).flatMap((file) =>
    importsOf(file)
      .filter(forbidden)
      .map((target) => `${relative(SRC, file)} imports ${target}`),
  );
}

describe('layers', () => {
  it('the core (src/graphql) imports no model', () => {
    expect(offenders('graphql', (t) => t.startsWith('model/') || t === 'models.js')).toEqual([]);
  });

  it('src/profit imports neither GraphQL nor the service, the core or a model', () => {
    expect(
      offenders(
        'profit',
        (t) =>
          t === 'graphql' ||
          t.startsWith('graphql/') ||
          t.startsWith('@apollo/') ||
          t === 'type-graphql' ||
          /^(server|model|graphql|emulator)\//.test(t),
      ),
    ).toEqual([]);
  });
});

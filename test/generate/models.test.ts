/** PROFIT_MODEL: the composition root loads the model it names; the core imports none. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/index.js';
import { knownModels, loadModel } from '../../src/models.js';

const ROOT = resolve(import.meta.dirname, '../..');

describe('PROFIT_MODEL', () => {
  it('refuses a name that is no model with one line naming the models there are', async () => {
    const error = await loadModel('nope').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      `PROFIT_MODEL=nope is no model: use one of ${knownModels().join(', ')} (a generated model needs npm run build)`,
    );
    expect(knownModels()).toContain('demo');
  });

  it('refuses a path in place of a name', async () => {
    await expect(loadModel('../graphql')).rejects.toThrow(/^PROFIT_MODEL=\.\.\/graphql is no model/);
  });

  it('is chosen by the composition root: src/graphql imports no model', async () => {
    for (const file of ['schema.ts', 'index.ts', 'binding.ts', 'resolvers.ts']) {
      expect(await readFile(resolve(ROOT, 'src/graphql', file), 'utf8')).not.toMatch(/'\.\.\/model\//);
    }
  });
});

/**
 * `docs:config` writes docs/configuration.md from the declared variables; `docs:config:check` (CI) fails when the
 * committed file differs, as `schema:check` does for the SDL. Paths are relative to the project root (npm runs
 * scripts there).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { CONFIGURATION_FILE, configurationMarkdown } from '../config/table.js';

async function committed(): Promise<string | undefined> {
  return readFile(CONFIGURATION_FILE, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
}

/** Writes the file; resolves to exit code 0. */
export async function writeConfigurationDoc(): Promise<number> {
  const text = configurationMarkdown();
  if ((await committed()) === text) {
    console.log(`docs:config: ${CONFIGURATION_FILE} is up to date`);
    return 0;
  }
  await writeFile(CONFIGURATION_FILE, text);
  console.log(`docs:config: wrote ${CONFIGURATION_FILE}`);
  return 0;
}

/** Exit code 0 when the committed file is what the variables give, else 1 naming the first differing line. */
export async function checkConfigurationDoc(): Promise<number> {
  const want = configurationMarkdown();
  const have = await committed();
  if (have === want) {
    console.log(`docs:config:check: ${CONFIGURATION_FILE} matches src/config/variables.ts`);
    return 0;
  }
  const wantLines = want.split('\n');
  const haveLines = (have ?? '').split('\n');
  const first = wantLines.findIndex((line, i) => line !== haveLines[i]);
  // No differing line among the expected ones: the committed file has more.
  const at = first === -1 ? wantLines.length : first;
  const expected = at < wantLines.length ? JSON.stringify(wantLines[at]) : 'the end of the file';
  const where = have === undefined ? 'is missing' : `differs at line ${at + 1}: expected ${expected}`;
  console.error(`docs:config:check: ${CONFIGURATION_FILE} ${where} (run \`npm run docs:config\` and commit it)`);
  return 1;
}

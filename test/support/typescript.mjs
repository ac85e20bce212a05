/** `node --import ./test/support/typescript.mjs file.ts`: see typescript-hooks.mjs. */
import { register } from 'node:module';

register('./typescript-hooks.mjs', import.meta.url);

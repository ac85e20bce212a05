/**
 * What no log line may ever contain: the demo credentials (tokens, OAuth client secrets) of the emulator companies
 * the tests start, and anything shaped as a credential whatever its seed: an AFAS token header (its base64 always
 * opens with the same bytes, `<token><version>`), a JWT, a PEM private key.
 */
import { stableHex } from '../../src/emulator/company/random.js';

/** The seeds the tests start emulators with (the default, the fixtures', the resilience runs'). */
const SEEDS = [20261124, 7, 1, 42, 424242];
const USERS = ['admin', 'hr', 'portal'];

export interface Leak {
  readonly what: string;
  /** 1-based. */
  readonly line: number;
}

function knownSecrets(): { what: string; value: string }[] {
  const secrets: { what: string; value: string }[] = [];
  for (const seed of SEEDS) {
    for (const name of USERS) {
      const data = stableHex(64, 'token', seed, name);
      secrets.push({ what: `the demo token of ${name} (seed ${seed})`, value: data });
      secrets.push({ what: `the demo token of ${name} (seed ${seed})`, value: data.toLowerCase() });
      secrets.push({
        what: `the demo OAuth client secret of ${name} (seed ${seed})`,
        value: stableHex(40, 'oauth', seed, name).toLowerCase(),
      });
    }
  }
  return secrets;
}

const SHAPES: { what: string; pattern: RegExp }[] = [
  { what: 'an AFAS token header', pattern: /PHRva2VuPjx2ZXJzaW9u|<token>\s*<version>/ },
  { what: 'a JWT', pattern: /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\./ },
  { what: 'a private key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
];

/** The credentials found in `text`, each with the number of its line (never the line: it holds the credential). */
export function findLeaks(text: string): Leak[] {
  const secrets = knownSecrets();
  const leaks: Leak[] = [];
  text.split('\n').forEach((line, index) => {
    const secret = secrets.find((s) => line.includes(s.value));
    const shape = SHAPES.find((s) => s.pattern.test(line));
    const what = secret?.what ?? shape?.what;
    if (what !== undefined) leaks.push({ what, line: index + 1 });
  });
  return leaks;
}

/** Where an environment's REST services live. Pure. */
import { invalidArgument } from './errors.js';

export type ProfitEnvironmentType = 'production' | 'test' | 'accept';

export interface ProfitEnvironment {
  /** The environment number, e.g. `12345`. Digits only, so it can never alter the host name. */
  readonly id: string | number;
  /** @default 'production' */
  readonly type?: ProfitEnvironmentType;
}

const HOST_PART: Record<ProfitEnvironmentType, string> = {
  production: 'rest',
  test: 'resttest',
  accept: 'restaccept',
};

/** `https://{id}.rest.afas.online/ProfitRestServices` (`.resttest.` / `.restaccept.` for test / accept). */
export function profitBaseUrl(env: ProfitEnvironment): string {
  const id = String(env.id);
  if (!/^\d{1,10}$/.test(id)) invalidArgument(`a Profit environment id must be digits, got ${JSON.stringify(id)}`);
  const type = env.type ?? 'production';
  const part = HOST_PART[type];
  if (part === undefined) invalidArgument(`unknown Profit environment type ${JSON.stringify(type)}`);
  return `https://${id}.${part}.afas.online/ProfitRestServices`;
}

/**
 * Validates and normalises an explicit base URL (an emulator such as `http://127.0.0.1:8080/ProfitRestServices`,
 * or a proxy): http(s), no credentials, query or fragment; no trailing slash.
 */
export function normalizeBaseUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    return invalidArgument('the Profit base URL is not a valid absolute URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') invalidArgument('the Profit base URL must be http(s)');
  if (url.username || url.password) invalidArgument('the Profit base URL must not contain credentials');
  if (url.search || url.hash) invalidArgument('the Profit base URL must not contain a query or fragment');
  url.pathname = url.pathname.replace(/\/+$/, '');
  return url;
}

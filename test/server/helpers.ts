import { request } from 'undici';
import { loadConfig } from '../../src/config/index.js';
import { credentials, type Emulator } from '../../src/emulator/index.js';
import { type Service, type ServiceOptions, startService } from '../../src/server/index.js';

/** Starts the service in-process on a free port, quietly, without a pre-stop grace, with `env` on top of an empty environment. */
export async function startTestService(
  env: Record<string, string> = {},
  options: ServiceOptions = {},
): Promise<Service> {
  // No pre-stop grace unless a test asks: a production-mode service would otherwise wait 5 s in close().
  const config = loadConfig({ PORT: '0', LOG_LEVEL: 'silent', SHUTDOWN_DELAY_MS: '0', ...env });
  // The start's model check reads metainfo in the background: off here, so upstream call counts stay exact.
  return startService(config, { startupCheck: false, ...options });
}

/** Service-mode settings: `emulator` as Profit, reached with its admin user's OAuth client credentials. */
export function adminOAuthSettings(emulator: Emulator): Record<string, string> {
  const app = credentials(emulator.company).find((a) => a.appConnector === 'admin');
  const client = app?.oauthClients[0];
  if (!client) throw new Error('the emulator has no admin OAuth client');
  return {
    PROFIT_BASE_URL: emulator.baseUrl,
    PROFIT_OAUTH_CLIENT_ID: client.clientId,
    PROFIT_OAUTH_CLIENT_SECRET: client.clientSecret,
  };
}

/** The demo user's `Authorization` value (the embedded emulator's company). */
export function demoAuthorization(service: Service, user = 'admin'): string {
  if (!service.emulator) throw new Error('not running on the embedded emulator');
  for (const app of credentials(service.emulator.company)) {
    for (const u of app.users) if (u.name === user) return u.authorization;
  }
  throw new Error(`no demo user ${user}`);
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test convenience
  json: any;
}

export async function http(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Reply> {
  const res = await request(url, {
    method: (options.method ?? 'GET') as 'GET',
    headers: options.headers,
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  const body = Buffer.from(await res.body.arrayBuffer());
  const text = body.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, body, text, json };
}

/** A GraphQL POST with `content-type: application/json`. */
export function graphql(
  service: Service,
  query: string,
  options: { authorization?: string; variables?: Record<string, unknown>; headers?: Record<string, string> } = {},
): Promise<Reply> {
  return http(service.graphqlUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.authorization === undefined ? {} : { authorization: options.authorization }),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables: options.variables }),
  });
}

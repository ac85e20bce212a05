import { request } from 'undici';
import { afasTokenHeader } from '../../src/emulator/auth.js';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../src/emulator/server.js';
import { ADMIN_TOKEN_DATA, createFixtureCompany, PORTAL_TOKEN_DATA } from './fixture-company.js';

export const ADMIN = afasTokenHeader(ADMIN_TOKEN_DATA);
export const PORTAL = afasTokenHeader(PORTAL_TOKEN_DATA);

export function startFixtureEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({ createCompany: createFixtureCompany, ...options });
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: test convenience
  json: any;
}

/**
 * One HTTP call; `path` is appended to the emulator's base URL as is (query string included). It asks for English
 * (`Accept-Language: en-us`), the language AFAS documents Profit's texts in; a test of the language sets its own.
 */
export async function call(
  emulator: Emulator,
  method: string,
  path: string,
  options: { auth?: string | null; body?: string | object; headers?: Record<string, string>; base?: string } = {},
): Promise<Reply> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    'accept-language': 'en-us',
    ...options.headers,
  };
  const auth = options.auth === undefined ? ADMIN : options.auth;
  if (auth !== null) headers.authorization = auth;
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await request(`${options.base ?? emulator.baseUrl}${path}`, {
    method: method as 'GET',
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: res.headers, text, json };
}

/** GET a connector with a raw query string. */
export async function get(emulator: Emulator, connector: string, query = '', auth?: string): Promise<Reply> {
  return call(emulator, 'GET', `/connectors/${connector}${query}`, auth === undefined ? {} : { auth });
}

/** The ids of the rows of a GetConnector answer. */
export function ids(reply: Reply): number[] {
  return (reply.json.rows as { Id: number }[]).map((r) => r.Id);
}

export const enc = encodeURIComponent;

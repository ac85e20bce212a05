/**
 * The language of the emulator's messages follows `Accept-Language` (AFAS's OpenAPI files: en-us, nl-nl, nl-be,
 * fr-fr, de-de; without the header the environment's base language, Dutch for the demo company).
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { languageOf } from '../../src/emulator/language.js';
import type { Emulator } from '../../src/emulator/server.js';
import { ADMIN, PORTAL, startFixtureEmulator } from './helpers.js';

let emu: Emulator;
beforeAll(async () => {
  emu = await startFixtureEmulator();
});
afterAll(() => emu.close());

/** Profit's externalMessage for one call, with `Accept-Language: language` (null: no such header). */
async function messageIn(
  language: string | null,
  path = '/connectors/Fx_People?skip=2&take=-1',
  options: { method?: 'GET' | 'POST'; auth?: string; body?: object } = {},
): Promise<string> {
  const res = await request(`${emu.baseUrl}${path}`, {
    method: options.method ?? 'GET',
    headers: {
      authorization: options.auth ?? ADMIN,
      ...(language === null ? {} : { 'accept-language': language }),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  expect(res.statusCode).toBe(500);
  return ((await res.body.json()) as { externalMessage: string }).externalMessage;
}

describe('Accept-Language', () => {
  it('answers in Dutch, the environment’s base language, when the request names no language', async () => {
    expect(await messageIn(null)).toBe('Er is een onverwachte fout opgetreden.');
  });

  it('answers in Dutch for nl-nl and nl-be, in English for en-us', async () => {
    expect(await messageIn('nl-nl')).toBe('Er is een onverwachte fout opgetreden.');
    expect(await messageIn('nl-be')).toBe('Er is een onverwachte fout opgetreden.');
    expect(await messageIn('en-us')).toBe('An unexpected error has occurred.');
  });

  it('answers fr-fr and de-de in the base language, as the emulator writes no French or German', async () => {
    expect(await messageIn('fr-fr')).toBe('Er is een onverwachte fout opgetreden.');
    expect(await messageIn('de-de')).toBe('Er is een onverwachte fout opgetreden.');
  });

  it('translates every kind of message: a refused connector, an unknown field, a metainfo rule', async () => {
    const both = async (path: string, options: { method?: 'GET' | 'POST'; auth?: string; body?: object } = {}) => [
      await messageIn('nl-nl', path, options),
      await messageIn('en-us', path, options),
    ];
    expect(await both('/connectors/Fx_Codes', { auth: PORTAL })).toEqual([
      'GetConnector wordt niet ondersteund voor deze app of de gebruiker is niet geautoriseerd',
      'GetConnector not supported for this app or the user is not authorized',
    ]);
    expect(await both('/connectors/Fx_People?orderbyfieldids=Nope')).toEqual([
      "Connectorveld 'Nope' niet gevonden",
      "Connector field 'Nope' not found",
    ]);
    expect(
      await both('/connectors/FxPerson', { method: 'POST', body: { FxPerson: { Element: { Fields: {} } } } }),
    ).toEqual(["Veld 'Name' is verplicht.", "Field 'Name' is mandatory."]);
  });
});

describe('languageOf', () => {
  it('takes the first language it writes, in order of the q-values', () => {
    expect(languageOf('fr-fr, en;q=0.8, nl;q=0.5')).toBe('en');
    expect(languageOf('en-US;q=0.4, nl-NL;q=0.9')).toBe('nl');
    expect(languageOf('en;q=0, nl')).toBe('nl');
    expect(languageOf(['en-gb'])).toBe('en');
    expect(languageOf(undefined)).toBe('nl');
    expect(languageOf('')).toBe('nl');
  });
});

/** Where an environment's SOAP services live. Pure. */
import { normalizeBaseUrl, type ProfitEnvironment, profitBaseUrl } from '../address.js';
import { invalidArgument } from '../errors.js';

/**
 * `https://{id}.soap.afas.online/ProfitServices` (`.soaptest.` / `.soapaccept.` for test / accept): the host of
 * AFAS's SOAP example (integrationid.md); the test and accept hosts as PracticalAfas builds them
 * (`.soap$env.afas.online`, src/Client/SoapAppClient.php), beside REST's `.resttest.` / `.restaccept.`.
 */
export function soapBaseUrl(env: ProfitEnvironment): string {
  // The REST address checks the id and type; its host differs only in `rest` → `soap`.
  return soapBaseUrlFor(profitBaseUrl(env));
}

/**
 * The SOAP base beside a REST base: on AFAS's hosts `{id}.rest….afas.online/ProfitRestServices` →
 * `{id}.soap….afas.online/ProfitServices`; elsewhere (the emulator, a proxy) the same origin with the last path
 * segment `ProfitRestServices` → `ProfitServices`. Any other REST base needs its SOAP base given explicitly.
 */
export function soapBaseUrlFor(restBaseUrl: string): string {
  const url = normalizeBaseUrl(restBaseUrl);
  const m = /^(.*\/)ProfitRestServices$/i.exec(url.pathname);
  if (!m) {
    invalidArgument(
      'the SOAP base URL cannot be derived from a REST base URL not ending in /ProfitRestServices: give soapBaseUrl',
    );
  }
  url.pathname = `${m[1]}ProfitServices`;
  url.hostname = url.hostname.replace(/^(\d+)\.rest(test|accept)?\.afas\.online$/i, '$1.soap$2.afas.online');
  return url.toString().replace(/\/+$/, '');
}

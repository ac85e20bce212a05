/**
 * A SOAP answer that failed, as the same `ProfitError` the REST path gives (src/profit/errors.ts translates both):
 * the HTTP status decides as for REST (401 unauthorized, 403 forbidden, 404 not-found, 413 too-large, 503
 * unavailable with its `Retry-After`, 500 rejected), the fault's text and log reference become `externalMessage`
 * and `profitLogReference`, and a "not supported for this app" text is `not-granted` as on REST.
 *
 * SOAP 1.1 answers every fault with HTTP 500, so a refused token comes back as a 500 fault too. Its texts are
 * those AppConnectorTestTool (Functions.cs) recognises: "Token could not be parsed", "Ongeldige gebruikersnaam" /
 * "invalid username", "inloggegevens niet gevonden", and a token said to be invalid or expired; such a fault is
 * `unauthorized` (unconfirmed beyond those texts).
 */
import { errorFromResponse, ProfitError } from '../errors.js';
import type { SoapFault } from './envelope.js';

const AUTH_FAULT = [
  /token could not be parsed/i,
  /\bongeldige gebruikersnaam\b/i,
  /\binvalid user ?name\b/i,
  /\binloggegevens\b/i,
  /\b(invalid|unknown|expired) token\b/i,
  // "The token is not valid." / "Het token is ongeldig.": the emulator's texts (src/emulator/soap/service.ts).
  /\btoken\b.{0,20}\b(not valid|invalid|ongeldig|expired|verlopen)\b/i,
];

export function isAuthFault(fault: SoapFault): boolean {
  const text = [fault.faultString, fault.message, fault.detail].filter((t) => t !== undefined).join('\n');
  return AUTH_FAULT.some((re) => re.test(text));
}

export interface FaultContext {
  /** The logical call (`GET /connectors/Profit_Users`): what observers, metrics and messages name. */
  readonly method: string;
  readonly path: string;
  readonly retryAfterHeader?: string;
  readonly nowMs: number;
  /** `SoapCall.notFoundOnFault`. */
  readonly notFoundOnFault?: boolean;
}

/** The ProfitError of a non-2xx SOAP answer; `fault` is undefined when its body was no SOAP fault (an HTML page). */
export function errorFromFault(
  status: number,
  fault: SoapFault | undefined,
  bodyText: string,
  ctx: FaultContext,
): ProfitError {
  // The REST translation reads these names from a JSON body: handing it the fault's values keeps one translation.
  const body =
    fault === undefined
      ? bodyText
      : JSON.stringify({
          externalMessage: fault.message,
          profitLogReference: fault.logReference,
          errorNumber: fault.errorNumber,
        });
  const error = errorFromResponse(status, body, ctx);
  if (fault === undefined || error.kind !== 'rejected') return error;
  if (!isAuthFault(fault)) return ctx.notFoundOnFault === true ? notFound(ctx) : error;
  return new ProfitError(
    'unauthorized',
    `Profit ${ctx.method} ${ctx.path} answered ${status} (unauthorized): ${JSON.stringify(fault.message)}. The credential is invalid, expired or not for this environment.`,
    {
      status,
      externalMessage: fault.message,
      profitLogReference: fault.logReference,
      errorNumber: fault.errorNumber,
      method: ctx.method,
      path: ctx.path,
      requestSent: true,
    },
  );
}

/**
 * REST's error for a missing or withheld file (a bare 404, endpoint-subjectconnector-get.md / howto-bijlage-dossier.md:
 * "not available on disk or [no] rights"), for a SOAP fault that means the same: it carries the same status and no
 * fault text, so neither the caller nor its callers can tell the transports apart, nor a missing file from a
 * withheld one. unconfirmed: Profit's fault for a missing attachment (the emulator's is its generic error).
 */
function notFound(ctx: FaultContext): ProfitError {
  return new ProfitError(
    'not-found',
    `Profit ${ctx.method} ${ctx.path} answered with a SOAP fault, read as REST's 404 (not-found): the file does not exist or the credential may not read it.`,
    { status: 404, method: ctx.method, path: ctx.path, requestSent: true },
  );
}

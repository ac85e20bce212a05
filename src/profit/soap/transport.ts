/**
 * The innermost `Send` of a SOAP call (`SendRequest.soap`): writes the envelope with this attempt's credential,
 * POSTs it to `{soapBase}/{service}.asmx`, and reads the answer. Everything around it (retries of reads, OAuth
 * tokens, the cap, the deadline, observers, metrics, traces) is the same wrappers REST calls go through: the
 * request keeps its logical method and path (`GET /connectors/Profit_Users`), so they see one kind of call.
 *
 * The credential: a classic token goes in the `token` parameter, as every SOAP client of Profit sends it (see
 * envelope.ts). A Bearer token (OAuth) goes in the `Authorization` header: AFAS's SOAP example (integrationid.md)
 * sends its credential in that header, and profit-api.md lists OAuth for SOAP too; that Profit's SOAP services
 * accept a Bearer token there is unconfirmed.
 */
import type { Dispatcher } from 'undici';
import { ProfitError } from '../errors.js';
import type { Answer, Exchange, Send } from '../send/send.js';
import { exchange, streamExchange, transportError } from '../send/transport.js';
import { buildEnvelope, readEnvelope, type SoapCall, soapAction } from './envelope.js';
import { errorFromFault } from './faults.js';

export interface SoapTransportOptions {
  /** `…/ProfitServices`, without a trailing slash. */
  readonly baseUrl: string;
  readonly dispatcher: Dispatcher;
  readonly integrationId: string | undefined;
  readonly acceptLanguage: string | undefined;
  readonly now: () => number;
}

const AFAS_TOKEN = /^AfasToken (\S+)$/;

export function soapTransport(options: SoapTransportOptions): Send {
  const { baseUrl, dispatcher, integrationId, acceptLanguage, now } = options;
  return async (x) => {
    const call = x.request.soap;
    if (call === undefined) throw new ProfitError('invalid-argument', 'not a SOAP call', { requestSent: false });
    const headers: Record<string, string> = {
      'content-type': 'text/xml; charset=utf-8',
      accept: 'text/xml',
      // SOAP 1.1 writes the action as a quoted string.
      soapaction: `"${soapAction(call)}"`,
    };
    if (integrationId !== undefined) headers.IntegrationId = integrationId;
    if (acceptLanguage !== undefined) headers['accept-language'] = acceptLanguage;
    const { token, authorization } = credentialOf(x.authorization);
    if (authorization !== undefined) headers.authorization = authorization;
    const body = buildEnvelope(call, token);
    let status: number | undefined;
    if (x.stream) {
      // A file (GetAttachment): a 2xx body is handed out unread, as REST's file answers are (send/transport.ts).
      try {
        const reply = await streamExchange(
          dispatcher,
          `${baseUrl}/${call.service}.asmx`,
          { method: 'POST', headers, body },
          x,
          (s) => {
            status = s;
          },
        );
        if ('answer' in reply) return reply.answer;
        return answerOf({ ...reply, bytes: Buffer.byteLength(reply.text) }, call, x, now());
      } catch (cause) {
        throw transportError(cause, x, status);
      }
    }
    let res: Awaited<ReturnType<typeof exchange>>;
    try {
      res = await exchange(
        dispatcher,
        `${baseUrl}/${call.service}.asmx`,
        { ...x.request, method: 'POST', body },
        headers,
        x.signal,
        (s) => {
          status = s;
        },
      );
    } catch (cause) {
      throw transportError(cause, x, status);
    }
    return answerOf(res, call, x, now());
  };
}

/** A classic token's XML for the `token` parameter, or the header to send instead. */
function credentialOf(authorization: string | undefined): { token?: string; authorization?: string } {
  if (authorization === undefined) return {};
  const m = AFAS_TOKEN.exec(authorization);
  if (m === null) return { authorization };
  // The client built `AfasToken base64(<token>…</token>)` (credentials.ts): the parameter takes the XML itself.
  return { token: Buffer.from(m[1] as string, 'base64').toString('utf8') };
}

function answerOf(
  res: { status: number; headers: Record<string, string | string[] | undefined>; text: string; bytes: number },
  call: SoapCall,
  x: Exchange,
  nowMs: number,
): Answer {
  const { status, text, bytes } = res;
  const { method, path } = x.request;
  let read: ReturnType<typeof readEnvelope> | undefined;
  try {
    read = readEnvelope(text, call.operation);
  } catch (cause) {
    read = undefined;
    if (status >= 200 && status < 300) {
      const error = new ProfitError(
        'invalid-response',
        `Profit ${method} ${path} (SOAP ${call.operation}) answered with an unexpected body: ${(cause as Error).message}`,
        { method, path, status, cause },
      );
      return { status, text: '', bytes, error };
    }
  }
  if (read !== undefined && 'result' in read && status >= 200 && status < 300)
    return { status, text: read.result, bytes };
  const header = res.headers['retry-after'];
  const retryAfterHeader = Array.isArray(header) ? header[0] : header;
  // A fault with a 2xx status would be odd; it is a failure all the same, read as Profit's 500.
  const at = status >= 200 && status < 300 ? 500 : status;
  const fault = read !== undefined && 'fault' in read ? read.fault : undefined;
  const error = errorFromFault(at, fault, text, {
    method,
    path,
    nowMs,
    ...(call.notFoundOnFault === true ? { notFoundOnFault: true } : {}),
    ...(retryAfterHeader !== undefined ? { retryAfterHeader } : {}),
  });
  return { status, text: '', bytes, error };
}

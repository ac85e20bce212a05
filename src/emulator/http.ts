/**
 * One request/response exchange with the response-side faults applied: a `timeout` fault withholds the answer,
 * a `malformed` fault turns it into a 200 with a truncated body. Everything Profit answers goes through `send`.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Language, ProfitRejection } from './company/types.js';
import { languageOf } from './language.js';
import type { LogEntry } from './log.js';

/** Returned by every `send`, so that route handlers can `return x.send(…)`. */
export type Sent = 'sent';

export const JSON_TYPE = 'application/json; charset=utf-8';

/** A Profit logbook reference: 32 uppercase hex characters, as in troubleshooting.md. */
export function logReference(): string {
  return randomBytes(16).toString('hex').toUpperCase();
}

/** Profit's 500 body: `{"externalMessage","errorNumber","profitLogReference"}`, the message in `language`. */
export function rejectionBody(r: ProfitRejection, language: Language): string {
  return JSON.stringify({
    externalMessage: r.in(language),
    errorNumber: r.errorNumber,
    profitLogReference: logReference(),
  });
}

export class Exchange {
  /** Set by a `timeout` fault: the answer is computed but never sent. */
  holdForMs: number | undefined;
  /** Set by a `malformed` fault. */
  malformed = false;
  /** Set by a `stall` fault: how many body bytes go out before the stall (`undefined`: half). */
  stall: { readonly afterBytes?: number; readonly capMs: number } | undefined;
  responded = false;

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    readonly entry: LogEntry | undefined,
    private readonly onHold: (exchange: Exchange, ms: number) => void,
    private readonly onStall: (exchange: Exchange, rest: Buffer) => void = (x, rest) => x.res.end(rest),
  ) {}

  get destroyed(): boolean {
    return this.res.destroyed || this.req.socket.destroyed;
  }

  /** Sends a response; `body` undefined sends an empty body without Content-Type (as Profit's 401/404/413). */
  send(status: number, body?: string, headers: Record<string, string> = {}): Sent {
    if (this.responded) return 'sent';
    this.responded = true;
    if (this.holdForMs !== undefined) {
      this.onHold(this, this.holdForMs);
      return 'sent';
    }
    if (this.destroyed) return 'sent';
    let payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
    let code = status;
    if (this.malformed) {
      // A body cut short: a client must treat the unparsable 200 as a failure, not as data.
      const full = payload ?? Buffer.from('{"rows":[]}', 'utf8');
      payload = full.subarray(0, Math.max(1, Math.floor(full.length / 2)));
      code = 200;
    }
    const out: Record<string, string | number> = { ...headers, 'Content-Length': payload?.length ?? 0 };
    // JSON unless the caller names its own type (the SOAP services answer XML).
    if (payload !== undefined && !('Content-Type' in headers)) out['Content-Type'] = JSON_TYPE;
    this.res.writeHead(code, out);
    if (this.stall !== undefined && payload !== undefined && payload.length > 1) {
      const cut = Math.min(payload.length - 1, this.stall.afterBytes ?? Math.floor(payload.length / 2));
      this.res.write(payload.subarray(0, cut));
      this.onStall(this, payload.subarray(cut));
      return 'sent';
    }
    this.res.end(payload);
    return 'sent';
  }

  sendJson(status: number, value: unknown): Sent {
    return this.send(status, JSON.stringify(value));
  }

  /** The language the request's `Accept-Language` asks for (see language.ts). */
  get language(): Language {
    return languageOf(this.req.headers['accept-language']);
  }

  sendRejection(r: ProfitRejection): Sent {
    return this.send(500, rejectionBody(r, this.language));
  }
}

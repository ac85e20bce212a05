/**
 * The request log: one entry per Profit request (refused ones included; admin requests are not logged), so tests
 * can assert what a client sent, how often, and how many calls it had in flight at once.
 */

export interface LogEntry {
  /** 1, 2, 3… in order of arrival. */
  readonly seq: number;
  /** Arrival time (emulator clock), ISO 8601 UTC. */
  readonly time: string;
  readonly method: string;
  /** The path as received (not decoded), without the query string. */
  readonly path: string;
  /** The raw query string from `?` inclusive, or `''`. */
  readonly query: string;
  /** HTTP status; `reset` when the socket was destroyed; `timeout` when a timeout fault withheld the answer;
   * `pending` while the request is still being handled. */
  status: number | 'reset' | 'timeout' | 'pending';
  /** App connector id and demo user name of the caller, once authenticated (never the token). */
  appConnector?: string;
  user?: string;
  /** The injected fault, if any. */
  fault?: string;
  /** Set on a successful `oauth/token` call. */
  tokenIssued?: boolean;
  /** UpdateConnector POST/PUT: the body's root object (`KnPerson`, or `AfasEmployee` for KnEmployee). */
  bodyRoot?: string;
  /** A SOAP call's service and operation, e.g. `AppConnectorGet.GetDataWithOptions` (path and method are the POST). */
  soapOperation?: string;
  /** Wall-clock handling time in ms, set when the request ends. */
  durationMs?: number;
  /** Profit requests in flight when this one arrived, this one included: 1 means it ran alone. */
  readonly inFlight: number;
}

export class RequestLog {
  private items: LogEntry[] = [];
  private seq = 0;

  constructor(
    /** Oldest entries are dropped beyond this. @default 10_000 */
    private readonly limit = 10_000,
  ) {}

  /** @internal */
  start(entry: Omit<LogEntry, 'seq' | 'status'>): LogEntry {
    const e: LogEntry = { seq: ++this.seq, status: 'pending', ...entry };
    this.items.push(e);
    if (this.items.length > this.limit) this.items.splice(0, this.items.length - this.limit);
    return e;
  }

  /** A copy of the entries, oldest first. */
  entries(): LogEntry[] {
    return this.items.map((e) => ({ ...e }));
  }

  /** Number of OAuth access tokens issued (among the retained entries). */
  tokenIssuances(): number {
    return this.items.filter((e) => e.tokenIssued).length;
  }

  /** The highest `inFlight` seen: the client's effective parallelism. */
  maxInFlight(): number {
    return this.items.reduce((m, e) => Math.max(m, e.inFlight), 0);
  }

  clear(): void {
    this.items = [];
  }
}

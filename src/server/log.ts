/**
 * The service's logger: pino, JSON lines on stdout (`LOG_FORMAT=json`, the default) or pino-pretty's coloured lines
 * (`LOG_FORMAT=pretty`), at `LOG_LEVEL`. Apollo Server and the older callers use it through its `Logger` shape
 * (a message per call); the access log and the Profit failure lines use its structured side (`fields(…)`).
 *
 * Nothing should ever hand a credential to the logger: callers log kinds, fingerprints and paths, not headers. The
 * `redact` paths below are the second line of defence, for a field named like a secret that slips in anyway, and
 * the test run's log capture (test/support/log-capture.ts) is the third: it fails the run if a demo credential
 * appears in any line any service wrote.
 */
import type { ApolloServerOptions, BaseContext } from '@apollo/server';
import { type DestinationStream, multistream, type Logger as PinoLogger, pino, type StreamEntry } from 'pino';
import pinoPretty from 'pino-pretty';
import type { Config } from '../config/index.js';

/** Apollo's logger interface (debug, info, warn, error), named without depending on @apollo/utils.logger. */
export type Logger = NonNullable<ApolloServerOptions<BaseContext>['logger']>;

/** A logger with a structured side: `fields` are written as JSON keys of the line, beside `msg`. */
export interface StructuredLogger extends Logger {
  log(level: 'debug' | 'info' | 'warn' | 'error', fields: Record<string, unknown>, message: string): void;
}

/**
 * Keys whose values never reach a line (pino `redact`, censored as `[redacted]`): headers that carry credentials,
 * token and secret fields in any casing the project or Profit uses, and file content (Profit's `filedata`, the
 * schema's `contentBase64`), which is the caller's data and may be megabytes.
 */
export const REDACTED_PATHS: readonly string[] = [
  'authorization',
  'cookie',
  'set-cookie',
  'token',
  'accessToken',
  'access_token',
  'refreshToken',
  'clientSecret',
  'client_secret',
  'secret',
  'password',
  'ticket',
  'filedata',
  'fileData',
  'contentBase64',
].flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

export interface LoggerOptions {
  /** @default 'info' */
  readonly level?: Config['logLevel'];
  /** `json`: one JSON object a line; `pretty`: pino-pretty, for a terminal. @default 'json' */
  readonly format?: Config['logFormat'];
  /** Where the lines go (pretty ones too: give a Writable then). @default stdout */
  readonly destination?: DestinationStream;
}

/** Extra destinations every logger created afterwards writes to, at every level (the test run's capture). */
const captures: DestinationStream[] = [];

/**
 * Every logger created after this call also writes each of its lines, at every level and whatever `LOG_LEVEL`
 * says, to `stream`. Only the test run uses it (test/support/log-capture.ts): a service a test starts with
 * `LOG_LEVEL=silent` is then still checked for credentials in what it would have logged.
 */
export function captureLogs(stream: DestinationStream): void {
  captures.push(stream);
}

/** A pino instance with the service's settings (level, format, redaction, ISO time). */
export function createPino(options: LoggerOptions = {}): PinoLogger {
  const level = options.level ?? 'info';
  const main: DestinationStream =
    options.format === 'pretty'
      ? pinoPretty({
          colorize: options.destination === undefined && process.stdout.isTTY === true,
          destination: options.destination ?? 1,
          sync: true,
        })
      : (options.destination ?? pino.destination({ dest: 1, sync: true }));
  const settings = {
    timestamp: pino.stdTimeFunctions.isoTime,
    // No hostname: a container's name says nothing an orchestrator's labels do not, and the pid suffices locally.
    base: { pid: process.pid },
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
    formatters: { level: (label: string) => ({ level: label }) },
  };
  if (captures.length === 0) return pino({ ...settings, level }, main);
  // The capture takes every level; the main destination only LOG_LEVEL's.
  const streams: StreamEntry[] = [
    ...(level === 'silent' ? [] : [{ level, stream: main }]),
    ...captures.map((stream) => ({ level: 'debug' as const, stream })),
  ];
  return pino({ ...settings, level: 'debug' }, multistream(streams));
}

/** The service's logger (Apollo's shape plus `log` with fields) over pino. */
export function createLogger(options: LoggerOptions = {}): StructuredLogger {
  return adaptPino(createPino(options));
}

/** Apollo calls its logger with a message (or an Error); pino takes it as `msg`. */
export function adaptPino(logger: PinoLogger): StructuredLogger {
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => (message?: unknown) => {
    if (message instanceof Error) logger[level]({ err: message }, message.message);
    else logger[level](String(message));
  };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    log: (level, fields, message) => logger[level](fields, message),
  };
}

/**
 * The structured side of any Apollo-shaped logger: a StructuredLogger as it is, another (a test's own) with the
 * fields as JSON after the message.
 */
export function structured(logger: Logger): StructuredLogger {
  if ('log' in logger && typeof logger.log === 'function') return logger as StructuredLogger;
  return {
    debug: (m?: unknown) => logger.debug(m),
    info: (m?: unknown) => logger.info(m),
    warn: (m?: unknown) => logger.warn(m),
    error: (m?: unknown) => logger.error(m),
    log: (level, fields, message) => logger[level](`${message} ${JSON.stringify(fields)}`),
  };
}

/**
 * The logger itself: JSON lines by default, pino-pretty when asked, Apollo's Logger shape, and the fields it never
 * writes whatever a caller hands it.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/server/log.js';

function collect(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(
        ...String(chunk)
          .split('\n')
          .filter((l) => l !== ''),
      );
      done();
    },
  });
  return { lines, stream };
}

describe('the logger', () => {
  it('writes one JSON object a line, with the level as a word and an ISO time', () => {
    const { lines, stream } = collect();
    const logger = createLogger({ level: 'info', destination: stream });
    logger.info('started');
    logger.debug('not at info');
    logger.log('warn', { kind: 'rejected', status: 500 }, 'Profit call failed');
    expect(lines.map((l) => JSON.parse(l))).toMatchObject([
      { level: 'info', msg: 'started' },
      { level: 'warn', kind: 'rejected', status: 500, msg: 'Profit call failed' },
    ]);
    expect(JSON.parse(lines[0]!).time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('writes readable lines with LOG_FORMAT=pretty', () => {
    const { lines, stream } = collect();
    createLogger({ level: 'info', format: 'pretty', destination: stream }).log('info', { status: 200 }, 'request');
    expect(lines[0]).toMatch(/INFO.*request/);
    expect(lines.join('\n')).toMatch(/status: 200/);
    expect(() => JSON.parse(lines[0]!)).toThrow();
  });

  it('writes nothing at LOG_LEVEL=silent', () => {
    const { lines, stream } = collect();
    const logger = createLogger({ level: 'silent', destination: stream });
    logger.error('nobody hears this');
    expect(lines).toEqual([]);
  });

  it('censors credentials, secrets and file content under any of their usual names', () => {
    const { lines, stream } = collect();
    createLogger({ destination: stream }).log(
      'info',
      {
        authorization: 'AfasToken abc',
        headers: { authorization: 'Bearer abc', cookie: 'session=abc' },
        oauth: { clientSecret: 'abc', access_token: 'abc' },
        file: { contentBase64: 'abc', filedata: 'abc' },
        request: { headers: { 'set-cookie': 'abc' } },
        kept: 'visible',
      },
      'fields',
    );
    const line = JSON.parse(lines[0]!);
    expect(lines[0]).not.toContain('abc');
    expect(line.headers).toEqual({ authorization: '[redacted]', cookie: '[redacted]' });
    expect(line.file).toEqual({ contentBase64: '[redacted]', filedata: '[redacted]' });
    expect(line.kept).toBe('visible');
  });
});

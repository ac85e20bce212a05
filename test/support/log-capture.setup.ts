/**
 * vitest setupFiles: the services this test file starts write their log lines also into the run's capture folder
 * (log-capture.global.ts), one file per test file.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, inject } from 'vitest';
import { captureLogs } from '../../src/server/log.js';

const dir = inject('logCaptureDir');
if (dir) {
  const stream = pino.destination({ dest: join(dir, `${process.pid}-${randomUUID()}.log`), sync: true });
  captureLogs(stream);
  afterAll(() => stream.flushSync());
}

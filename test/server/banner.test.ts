/**
 * The start banner on stdout: stdout also carries the JSON log lines a collector ingests, so the demo users' tokens
 * are printed only for a terminal; otherwise the banner names the emulator's endpoint that lists them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeService, type Service } from '../../src/server/index.js';
import { demoAuthorization, http, startTestService } from './helpers.js';

describe('the start banner', () => {
  let service: Service;
  beforeAll(async () => {
    service = await startTestService();
  });
  afterAll(() => service.close());

  it('holds no token when stdout is not a terminal, and names where the demo users are listed', async () => {
    const lines = describeService(service);
    const text = lines.join('\n');
    for (const user of ['admin', 'hr', 'portal']) expect(text).not.toContain(demoAuthorization(service, user));
    const listed = /Demo users: GET (\S+)/.exec(text)?.[1];
    expect(listed).toBeDefined();
    const reply = await http(listed as string);
    expect(reply.status).toBe(200);
    expect(reply.text).toContain(demoAuthorization(service));
  });

  it('lists each demo user with its Authorization header for a terminal', () => {
    const text = describeService(service, true).join('\n');
    expect(text).toContain(`Authorization: ${demoAuthorization(service)}`);
  });
});

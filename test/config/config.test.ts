import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/index.js';

describe('configuration', () => {
  it('serves the embedded emulator when no Profit settings are given', () => {
    const config = loadConfig({});
    expect(config.target).toEqual({ kind: 'emulator', seed: 20261124, scale: 1, port: 0 });
    expect(config.credential).toEqual({ kind: 'pass-through' });
    expect(config.port).toBe(4000);
    expect(config.profit.maxConcurrent).toBe(4);
  });

  it('targets a real environment by number and type', () => {
    const config = loadConfig({ PROFIT_ENVIRONMENT: '12345', PROFIT_ENVIRONMENT_TYPE: 'test' });
    expect(config.target).toEqual({
      kind: 'profit',
      environmentId: '12345',
      environmentType: 'test',
      baseUrl: undefined,
    });
  });

  describe('serving', () => {
    it('opens the Playground and introspection outside production, with a 1 MiB body limit', () => {
      const config = loadConfig({});
      expect(config).toMatchObject({ production: false, playground: true, introspection: true });
      expect(config.maxRequestBytes).toBe(1_048_576);
      expect(config.maxUploadBytes).toBe(80 * 2 ** 20);
    });

    it('keeps MAX_UPLOAD_BYTES at least MAX_REQUEST_BYTES', () => {
      expect(loadConfig({ MAX_REQUEST_BYTES: '4194304', MAX_UPLOAD_BYTES: '2048' }).maxUploadBytes).toBe(4_194_304);
      expect(loadConfig({ MAX_UPLOAD_BYTES: '2097152' }).maxUploadBytes).toBe(2_097_152);
    });

    it('closes both in production', () => {
      expect(loadConfig({ NODE_ENV: 'production', EMULATOR_IN_PRODUCTION: 'true' })).toMatchObject({
        playground: false,
        introspection: false,
      });
    });

    it('opens either in production when asked, and closes either anywhere', () => {
      const config = loadConfig({
        NODE_ENV: 'production',
        EMULATOR_IN_PRODUCTION: 'true',
        PLAYGROUND: 'true',
        INTROSPECTION: '1',
      });
      expect(config).toMatchObject({ playground: true, introspection: true });
      expect(loadConfig({ PLAYGROUND: 'false', INTROSPECTION: '0' })).toMatchObject({
        playground: false,
        introspection: false,
      });
    });

    it.each([
      [{ PLAYGROUND: 'yes' }, /PLAYGROUND must be true or false, got 'yes'/],
      [{ INTROSPECTION: 'on' }, /INTROSPECTION must be true or false, got 'on'/],
      [{ MAX_REQUEST_BYTES: '10' }, /MAX_REQUEST_BYTES must be between 1024 and 104857600/],
      [{ MAX_UPLOAD_BYTES: '300000000' }, /MAX_UPLOAD_BYTES must be between 1024 and 209715200/],
    ])('refuses %j', (env, message) => {
      expect(() => loadConfig(env)).toThrow(message);
    });
  });

  it('is frozen, so no layer can change a setting at run time', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.profit)).toBe(true);
  });

  it.each([
    [{ PROFIT_ENVIRONMENT: '123' }, /5-digit/],
    [{ PORT: 'eighty' }, /PORT must be a whole number, got 'eighty'/],
    [{ PROFIT_MAX_CONCURRENT: '20' }, /between 1 and 8/],
    [{ PROFIT_OAUTH_CLIENT_ID: 'x' }, /go together/],
    [{ PROFIT_TOKEN: 't', PROFIT_OAUTH_CLIENT_ID: 'x', PROFIT_OAUTH_CLIENT_SECRET: 'y' }, /not both/],
    [{ PROFIT_ENVIRONMENT: '12345', PROFIT_ENVIRONMENT_TYPE: 'staging' }, /one of production, test, accept/],
  ])('refuses %j with a message naming the setting', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  describe('production', () => {
    const PROFIT = { PROFIT_BASE_URL: 'http://127.0.0.1:9/ProfitRestServices' };
    const TOKEN = { ...PROFIT, PROFIT_TOKEN: 'a1'.repeat(32) };

    it('refuses the demo emulator unless EMULATOR_IN_PRODUCTION=true', () => {
      expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
        'NODE_ENV=production needs PROFIT_ENVIRONMENT or PROFIT_BASE_URL; set EMULATOR_IN_PRODUCTION=true to serve the demo emulator instead',
      );
      expect(loadConfig({ NODE_ENV: 'production', EMULATOR_IN_PRODUCTION: 'true' }).target.kind).toBe('emulator');
    });

    it('refuses service mode without a JWT key unless SERVICE_MODE_WITHOUT_JWT=allow-all', () => {
      expect(() => loadConfig({ NODE_ENV: 'production', ...TOKEN })).toThrow(
        /^NODE_ENV=production with PROFIT_TOKEN but no JWT_JWKS_URL, JWT_PUBLIC_KEY or JWT_SECRET lets every caller use everything that credential grants; set one, or SERVICE_MODE_WITHOUT_JWT=allow-all/,
      );
      const oauth = { ...PROFIT, PROFIT_OAUTH_CLIENT_ID: 'c', PROFIT_OAUTH_CLIENT_SECRET: 's' };
      expect(() => loadConfig({ NODE_ENV: 'production', ...oauth })).toThrow(/with PROFIT_OAUTH_CLIENT_ID but no/);
      expect(
        loadConfig({ NODE_ENV: 'production', ...TOKEN, SERVICE_MODE_WITHOUT_JWT: 'allow-all' }).credential.kind,
      ).toBe('token');
      expect(loadConfig({ NODE_ENV: 'production', ...TOKEN, JWT_SECRET: 'x'.repeat(32) }).auth.jwt).toBeDefined();
    });

    it('accepts pass-through mode and either mode outside production as before', () => {
      expect(loadConfig({ NODE_ENV: 'production', ...PROFIT }).credential.kind).toBe('pass-through');
      expect(loadConfig({ ...TOKEN }).credential.kind).toBe('token');
      expect(loadConfig({}).target.kind).toBe('emulator');
    });

    it.each([
      [{ EMULATOR_IN_PRODUCTION: 'true', ...PROFIT }, 'EMULATOR_IN_PRODUCTION=true contradicts PROFIT_ENVIRONMENT'],
      [{ SERVICE_MODE_WITHOUT_JWT: 'allow-all', ...TOKEN, JWT_SECRET: 'x' }, 'contradicts JWT_SECRET'],
      [{ SERVICE_MODE_WITHOUT_JWT: 'allow-all' }, 'SERVICE_MODE_WITHOUT_JWT=allow-all applies to service mode only'],
      [{ SERVICE_MODE_WITHOUT_JWT: 'yes' }, "SERVICE_MODE_WITHOUT_JWT must be one of refuse, allow-all, got 'yes'"],
      [{ EMULATOR_IN_PRODUCTION: 'yes' }, "EMULATOR_IN_PRODUCTION must be true or false, got 'yes'"],
    ])('refuses %j, which says something that is not so', (env, message) => {
      expect(() => loadConfig(env)).toThrow(message);
    });
  });

  describe('every error is one line naming the variable', () => {
    it.each([
      [{ PORT: '40\n00' }, String.raw`PORT must be a whole number, got '40\n00'`],
      [{ PROFIT_INTEGRATION_ID: 'a\nb' }, 'PROFIT_INTEGRATION_ID must be a single line without control characters'],
      [{ PROFIT_ACCEPT_LANGUAGE: 'nl\r\nX: y' }, 'PROFIT_ACCEPT_LANGUAGE must be a single line'],
      [{ PROFIT_BASE_URL: 'http://[nope' }, 'PROFIT_BASE_URL must be an absolute http:// or https:// URL'],
      [{ PROFIT_BASE_URL: 'https://user:pw@example.com/ProfitRestServices' }, 'without credentials'],
      [{ PROFIT_TOKEN: 'a1'.repeat(32), JWT_PUBLIC_KEY: 'not a key' }, 'JWT_PUBLIC_KEY must be a PEM public key'],
      [{ PROFIT_TOKEN: 'a1'.repeat(32), JWT_JWKS_URL: 'https://[x' }, 'JWT_JWKS_URL must be an absolute URL'],
      [
        { PROFIT_OAUTH_CLIENT_ID: 'a\u0007', PROFIT_OAUTH_CLIENT_SECRET: 's' },
        'PROFIT_OAUTH_CLIENT_ID must be a single line',
      ],
    ])('%j', (env, message) => {
      let error: unknown;
      try {
        loadConfig(env);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toContain(message);
      expect((error as Error).message).not.toMatch(/[\n\r]/);
    });

    it('refuses a malformed PROFIT_TOKEN up front, showing its length only', () => {
      const token = '<token><version>1</version><data>secret-but-not-hex</data></token>';
      expect(() => loadConfig({ PROFIT_TOKEN: token })).toThrow(
        `PROFIT_TOKEN must be <token><version>1</version><data>…64 hex characters…</data></token> or just its 64-hex data part; got ${token.length} characters that match neither`,
      );
      expect(() => loadConfig({ PROFIT_TOKEN: token })).not.toThrow(/secret-but-not-hex/);
    });

    it('accepts a token as pasted: the XML, pretty-printed, or the data part', () => {
      const data = 'a1'.repeat(32);
      expect(loadConfig({ PROFIT_TOKEN: data }).credential).toEqual({ kind: 'token', token: data });
      const xml = `\uFEFF<token>\n  <version>1</version>\n  <data>${data}</data>\n</token>\n`;
      expect(loadConfig({ PROFIT_TOKEN: xml }).credential.kind).toBe('token');
    });
  });

  it('never echoes a token in its errors', () => {
    try {
      loadConfig({ PROFIT_TOKEN: 'secret-token', PROFIT_OAUTH_CLIENT_ID: 'x', PROFIT_OAUTH_CLIENT_SECRET: 'y' });
    } catch (error) {
      expect(String(error)).not.toContain('secret-token');
    }
  });
});

describe('REDIS_URL', () => {
  it('is absent unless set: one replica, nothing shared', () => {
    expect(loadConfig({}).redisUrl).toBeUndefined();
  });

  it('takes a redis:// or rediss:// URL as it is', () => {
    expect(loadConfig({ REDIS_URL: 'redis://:s3cret@redis:6379/2' }).redisUrl).toBe('redis://:s3cret@redis:6379/2');
    expect(loadConfig({ REDIS_URL: 'rediss://cache.example.com:6380' }).redisUrl).toBe(
      'rediss://cache.example.com:6380',
    );
  });

  it('refuses anything else in one line without echoing the value (it may hold a password)', () => {
    for (const value of ['http://redis:6379', 'redis-host:6379', 'redis://']) {
      expect(() => loadConfig({ REDIS_URL: value })).toThrow(/^REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
    }
    expect(() => loadConfig({ REDIS_URL: 'http://user:topsecret@redis' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('topsecret') }),
    );
  });
});

describe('PROFIT_VALIDATE_XML', () => {
  it('validates SOAP writes against their XSD unless turned off', () => {
    expect(loadConfig({}).profit.validateXml).toBe(true);
    expect(loadConfig({ PROFIT_TRANSPORT: 'soap', PROFIT_VALIDATE_XML: 'false' }).profit.validateXml).toBe(false);
    expect(() => loadConfig({ PROFIT_VALIDATE_XML: 'maybe' })).toThrow(/PROFIT_VALIDATE_XML must be true or false/);
  });
});

describe('PROFIT_TRANSPORT', () => {
  it('carries reads and writes over REST unless SOAP is asked for', () => {
    expect(loadConfig({}).profit.transport).toBe('rest');
    expect(loadConfig({ PROFIT_TRANSPORT: 'SOAP' }).profit.transport).toBe('soap');
    expect(
      loadConfig({ PROFIT_TRANSPORT: 'soap', PROFIT_BASE_URL: 'http://127.0.0.1:9/ProfitRestServices' }).profit
        .transport,
    ).toBe('soap');
  });

  it('refuses SOAP beside a base URL its SOAP services cannot be derived from, and an unknown transport', () => {
    expect(() => loadConfig({ PROFIT_TRANSPORT: 'soap', PROFIT_BASE_URL: 'https://proxy.example/afas' })).toThrow(
      'PROFIT_TRANSPORT=soap needs a PROFIT_BASE_URL ending in /ProfitRestServices',
    );
    expect(() => loadConfig({ PROFIT_TRANSPORT: 'xml' })).toThrow(ConfigError);
  });
});

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

  it('never echoes a token in its errors', () => {
    try {
      loadConfig({ PROFIT_TOKEN: 'secret-token', PROFIT_OAUTH_CLIENT_ID: 'x', PROFIT_OAUTH_CLIENT_SECRET: 'y' });
    } catch (error) {
      expect(String(error)).not.toContain('secret-token');
    }
  });
});

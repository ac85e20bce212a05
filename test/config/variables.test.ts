/**
 * The variable registry (src/config/variables.ts) is the one source: loadConfig reads through it, the committed
 * docs/configuration.md is exactly what it generates, and every variable the sources read is declared in it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, VARIABLES, type VariableName, variableList } from '../../src/config/index.js';
import { CONFIGURATION_FILE, configurationMarkdown } from '../../src/config/table.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('the configuration registry', () => {
  it('is what docs/configuration.md shows, to the byte (npm run docs:config writes it)', () => {
    expect(readFileSync(join(ROOT, CONFIGURATION_FILE), 'utf8')).toBe(configurationMarkdown());
  });

  it('declares every variable the sources read from the environment', () => {
    const read = new Set<string>();
    for (const file of sourceFiles(join(ROOT, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\benv(?:\.([A-Z][A-Z0-9_]+)|\[['"]([A-Z][A-Z0-9_]+)['"]\])/g)) {
        read.add(m[1] ?? m[2] ?? '');
      }
      // The emulator's CLI reads its variables by name through a helper.
      for (const m of text.matchAll(/wholeNumber\('([A-Z][A-Z0-9_]+)'/g)) read.add(m[1] ?? '');
    }
    expect(read.size).toBeGreaterThan(3);
    expect([...read].filter((name) => !(name in VARIABLES))).toEqual([]);
  });

  it('gives every integer a default within its bounds, and every choice a default among its values', () => {
    for (const v of variableList()) {
      if (v.type === 'integer') {
        for (const value of [v.default, v.productionDefault ?? v.default]) {
          expect(value, v.name).toBeGreaterThanOrEqual(v.min);
          expect(value, v.name).toBeLessThanOrEqual(v.max);
        }
      }
      if (v.type === 'enum') expect(v.values, v.name).toContain(v.default);
      expect(v.commands.length, v.name).toBeGreaterThan(0);
    }
  });

  it('reads every integer with the bounds it declares: one above the maximum is refused, naming the variable', () => {
    const integers = variableList().filter((v) => v.type === 'integer');
    expect(integers.length).toBeGreaterThan(20);
    // Without Profit settings, so the emulator's three are read too.
    for (const v of integers) {
      if (v.type !== 'integer') continue;
      const error = (() => {
        try {
          loadConfig({ [v.name]: String(v.max + 1) });
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error, v.name).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toBe(`${v.name} must be between ${v.min} and ${v.max}, got ${v.max + 1}`);
    }
  });

  it('reads every choice with the values it declares', () => {
    for (const name of ['LOG_LEVEL', 'PROFIT_ENVIRONMENT_TYPE', 'SERVICE_MODE_WITHOUT_JWT'] as const) {
      const env: Record<string, string> = { [name]: 'nonsense' };
      if (name === 'PROFIT_ENVIRONMENT_TYPE') env.PROFIT_ENVIRONMENT = '12345';
      expect(() => loadConfig(env)).toThrow(`${name} must be one of ${VARIABLES[name].values.join(', ')}`);
    }
  });

  it('lists the OpenTelemetry variables as read by the SDK, not by loadConfig', () => {
    const otel = variableList().filter((v) => v.name.startsWith('OTEL_'));
    expect(otel.map((v) => v.name)).toContain('OTEL_EXPORTER_OTLP_ENDPOINT' satisfies VariableName);
    for (const v of otel) expect(v.type, v.name).toBe('external');
    expect(configurationMarkdown()).toContain('read by the OpenTelemetry SDK');
  });
});

describe('SHUTDOWN_DELAY_MS', () => {
  it('is 0 outside production, so Ctrl-C and tests stop at once', () => {
    expect(loadConfig({}).shutdownDelayMs).toBe(0);
  });

  it('is 5 s in production, within the 30 s Kubernetes grants a pod to stop', () => {
    expect(loadConfig({ NODE_ENV: 'production', EMULATOR_IN_PRODUCTION: 'true' }).shutdownDelayMs).toBe(5_000);
    expect(
      loadConfig({ NODE_ENV: 'production', EMULATOR_IN_PRODUCTION: 'true', SHUTDOWN_DELAY_MS: '0' }).shutdownDelayMs,
    ).toBe(0);
  });
});

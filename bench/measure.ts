/** Timing, statistics and the results table for `npm run bench`. Pure apart from `time` and `memory`. */
import { createServer } from 'node:net';

/** The `q`-quantile (0–1) of the samples, interpolated between the nearest two. */
export function quantile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return (sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (at - low);
}

/** The median of the samples (the mean of the middle two for an even count). */
export function median(samples: readonly number[]): number {
  return quantile(samples, 0.5);
}

/**
 * Answers per second of a closed loop of `connections` (each answer sends the next request while any remain) over
 * the stretch where all of them were busy: from the `connections`-th answer (each has been answered once, so the
 * start's burst is over) to the answer that sent the last request (the `connections`-th from the end). NaN when
 * fewer than two answers lie between. `answeredAt`: each answer's time in ms, in order.
 */
export function steadyRate(answeredAt: readonly number[], connections: number): number {
  const from = connections - 1;
  const to = answeredAt.length - connections - 1;
  if (to - from < 2) return Number.NaN;
  const start = answeredAt[from] as number;
  const end = answeredAt[to] as number;
  return end > start ? ((to - from) * 1000) / (end - start) : Number.NaN;
}

/** Runs `task`, returning its value and its wall-clock duration in ms. */
export async function time<T>(task: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const start = performance.now();
  const value = await task();
  return { value, ms: performance.now() - start };
}

export interface Memory {
  /** Resident set size now, MiB. */
  readonly rssMiB: number;
  /** V8 heap in use now (after a full GC when `--expose-gc` is on), MiB. */
  readonly heapMiB: number;
  /** The process's peak resident set size so far, MiB. */
  readonly peakRssMiB: number;
}

export function memory(): Memory {
  (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  return {
    rssMiB: usage.rss / 2 ** 20,
    heapMiB: usage.heapUsed / 2 ** 20,
    // maxRSS is in KiB.
    peakRssMiB: process.resourceUsage().maxRSS / 2 ** 10,
  };
}

export interface Row {
  readonly scenario: string;
  readonly rows: string;
  readonly calls: number;
  readonly minimum: number;
  /** `Profit_Employees 1 + Profit_Persons 2`. */
  readonly callsByConnector: string;
  readonly minimumByConnector: string;
  readonly graphqlMs: number;
  readonly directMs: number;
  /**
   * Per measured run, its GraphQL ms over its direct ms: the two ran one after the other, so a slow moment of the
   * machine weighs on both sides of each ratio instead of on one side of the ratio of medians.
   */
  readonly pairedRatios: readonly number[];
  readonly memory: Memory;
}

/** A Markdown table: one line per scenario. */
export function table(rows: readonly Row[]): string {
  const header = [
    'scenario',
    'rows',
    'Profit calls (GraphQL)',
    'minimum',
    'latency GraphQL ÷ direct',
    'per run: median (p25–p75)',
    'GraphQL ms',
    'direct ms',
    'RSS MiB',
    'heap MiB',
  ];
  const lines = rows.map((r) => [
    r.scenario,
    r.rows,
    String(r.calls),
    String(r.minimum),
    `${r.directMs > 0 ? (r.graphqlMs / r.directMs).toFixed(2) : '—'}×`,
    `${median(r.pairedRatios).toFixed(2)}× (${quantile(r.pairedRatios, 0.25).toFixed(2)}–${quantile(r.pairedRatios, 0.75).toFixed(2)})`,
    r.graphqlMs.toFixed(1),
    r.directMs.toFixed(1),
    r.memory.rssMiB.toFixed(0),
    r.memory.heapMiB.toFixed(0),
  ]);
  return markdownTable(header, lines);
}

/** A Markdown table with padded columns. */
export function markdownTable(header: readonly string[], lines: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const format = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [format(header), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...lines.map(format)].join('\n');
}

/** The command line's `--name=value` arguments, as given (`--name` alone: `''`). */
export function textArgs(argv: readonly string[] = process.argv.slice(2)): Map<string, string> {
  return new Map(
    argv.map((a) => {
      const [k, v] = a.replace(/^--/, '').split('=');
      return [k ?? '', v ?? ''] as const;
    }),
  );
}

/** The command line's `--name=value` arguments as numbers. */
export function numberArgs(argv: readonly string[] = process.argv.slice(2)): Map<string, number> {
  return new Map([...textArgs(argv)].map(([k, v]) => [k, Number(v)] as const));
}

/** A TCP port free on 127.0.0.1 at the moment of asking (the OS picks it), for a child process to listen on. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

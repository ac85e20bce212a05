/**
 * `npm run bench` (second part): the memory and time of downloading one large dossier attachment.
 *
 * The emulator runs in a child process (bench/download-emulator.ts); this process runs the service and the
 * downloader. One file per size (10 and 40 MiB, or `--mib`; 40 MiB is about 53 MiB of base64 in Profit's answer)
 * is uploaded through the KnSubject UpdateConnector, then fetched `--runs` times each way:
 *
 * - **route**: `GET /files/{ticket}` through the service, as a browser would, the bytes counted and dropped;
 * - **client, whole file**: `ProfitClient.subjectAttachment`, which holds the decoded file in memory (what the
 *   route did before it streamed, minus the JSON text it also held);
 *
 * and uploaded once more each way: as a `createDossierItem` mutation through the service, and with
 * `ProfitClient.insert` directly.
 *
 * Memory is this process's `heapUsed + arrayBuffers` (JS heap plus Buffers), sampled on every received chunk and
 * every 5 ms, minus the same after a full GC before the download: the peak extra memory one download costs.
 *
 *   npm run bench [-- --mib=40 --runs=3]   (after the query bench; alone: node --expose-gc dist/bench/download.js)
 */
import 'reflect-metadata';
import { fork } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { request } from 'undici';
import { loadConfig } from '../src/config/index.js';
import { authorizationHeader, ProfitConnection } from '../src/profit/index.js';
import { startService } from '../src/server/index.js';
import { markdownTable, median, numberArgs } from './measure.js';

const args = numberArgs();
/** File sizes, MiB: the largest near Profit's 75 MB request limit once in base64. @default 10 and 40 */
const SIZES = args.has('mib') ? [args.get('mib') as number] : [10, 40];
const RUNS = args.get('runs') ?? 3;

const gc = (globalThis as { gc?: () => void }).gc;
const used = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

/** Runs `task` while sampling memory; returns the peak above the post-GC baseline and the time taken. */
async function measure(
  task: (sample: () => void, base: number) => Promise<number>,
): Promise<{ peak: number; ms: number; bytes: number }> {
  gc?.();
  gc?.();
  const base = used();
  let peak = 0;
  const sample = () => {
    peak = Math.max(peak, used() - base);
  };
  const timer = setInterval(sample, 5);
  const start = performance.now();
  try {
    const bytes = await task(sample, base);
    sample();
    return { peak, ms: performance.now() - start, bytes };
  } finally {
    clearInterval(timer);
  }
}

async function main(): Promise<void> {
  // `npm run bench -- --latency=20` hands its arguments to both benches; this one adds no latency, and a second
  // run of it would only overwrite bench/download-results.md with the same measurement.
  if (args.has('latency')) {
    console.log(
      'download bench: skipped (it has no --latency; run `npm run bench` without it for the download figures)',
    );
    return;
  }
  if (!gc) throw new Error('run with node --expose-gc (npm run bench does)');
  const child = fork(new URL('./download-emulator.js', import.meta.url), { stdio: 'inherit' });
  const ready = await new Promise<{ baseUrl: string; authorization: string }>((resolve, reject) => {
    child.once('message', (m) => resolve(m as { baseUrl: string; authorization: string }));
    child.once('exit', (code) => reject(new Error(`the emulator child exited (${code})`)));
  });
  const service = await startService(
    loadConfig({ PORT: '0', LOG_LEVEL: 'error', PLAYGROUND: 'false', PROFIT_BASE_URL: ready.baseUrl }),
  );
  const connection = new ProfitConnection({ baseUrl: ready.baseUrl, timeoutMs: 120_000 });
  const client = connection.client(authorizationHeader(ready.authorization));
  /** Uploads one file of `size` bytes, then downloads it both ways. */
  async function measureSize(size: number) {
    // Incompressible bytes (nothing compresses on this path, but a pattern would hide nothing either).
    const file = Buffer.alloc(size);
    for (let i = 0; i < size; i += 4) file.writeUInt32LE(((Math.imul(i, 2654435761) >>> 0) ^ (i >>> 7)) >>> 0, i);
    const created = await client.insert('KnSubject', {
      fields: { StId: 4, Ds: 'Bench: groot bestand', Da: '2026-03-02T10:00:00' },
      objects: {
        KnSubjectLink: { fields: { ToBC: true, BcId: '1000744' } },
        KnSubjectAttachment: { fields: { FileName: 'bench.bin', FileStream: file.toString('base64') } },
      },
    });
    const subjectId = String(created.results.KnSubject?.SbId);
    const attachments = await client.get('Profit_Subject_Attachments', {
      filter: [[{ field: 'subject_id', op: 'eq', value: subjectId }]],
    });
    const fileId = String(attachments.rows[0]?.file_id);
    const linkReply = await request(service.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: ready.authorization },
      body: JSON.stringify({
        query: `{ dossierItem(dossierItemId: "${subjectId}") { attachments { edges { node { downloadUrl } } } } }`,
      }),
    });
    const link = (
      (await linkReply.body.json()) as {
        data: { dossierItem: { attachments: { edges: { node: { downloadUrl: string } }[] } } };
      }
    ).data.dossierItem.attachments.edges[0]?.node.downloadUrl as string;

    let firstAt = 0;
    let retained = 0;
    const viaRoute = async (sample: () => void, base = 0) => {
      const start = performance.now();
      const res = await request(link);
      if (res.statusCode !== 200) throw new Error(`download answered ${res.statusCode}`);
      let bytes = 0;
      for await (const chunk of res.body) {
        if (bytes === 0) firstAt = performance.now() - start;
        const half = bytes < size / 2;
        bytes += (chunk as Buffer).length;
        sample();
        if (half && bytes >= size / 2) {
          // Halfway, reading paused: what the transfer holds once garbage is collected.
          gc?.();
          retained = used() - base;
        }
      }
      return bytes;
    };
    const viaClient = async (sample: () => void, base = 0) => {
      const start = performance.now();
      const got = await client.subjectAttachment(subjectId, fileId);
      firstAt = performance.now() - start;
      sample();
      gc?.();
      retained = used() - base;
      if (!got.data.equals(file)) throw new Error('the client returned other bytes');
      return got.data.length;
    };
    const route = { peak: [] as number[], retained: [] as number[], ms: [] as number[], firstMs: [] as number[] };
    const whole = { peak: [] as number[], retained: [] as number[], ms: [] as number[], firstMs: [] as number[] };
    await viaRoute(() => {});
    await viaClient(() => {});
    for (let run = 0; run < RUNS; run++) {
      for (const [r, task] of [
        [route, viaRoute],
        [whole, viaClient],
      ] as const) {
        const m = await measure(task);
        if (m.bytes !== size) throw new Error(`${m.bytes} bytes downloaded, expected ${size}`);
        r.peak.push(m.peak);
        r.retained.push(retained);
        r.ms.push(m.ms);
        r.firstMs.push(firstAt);
      }
    }
    // Uploads: the same file as a createDossierItem mutation through the service, against the client's own insert.
    // Both request bodies are built before the baseline, so what is measured is the writing, not the test's input.
    const mutation = Buffer.from(
      JSON.stringify({
        query: 'mutation ($input: CreateDossierItemInput!) { createDossierItem(input: $input) { dossierItemId } }',
        variables: {
          input: {
            typeId: 4,
            subject: 'Bench: upload',
            links: [{ toOrganisationOrPerson: true, organisationOrPersonId: '1000744' }],
            attachments: [{ fileName: 'bench.bin', data: file.toString('base64') }],
          },
        },
      }),
    );
    const element = {
      fields: { StId: 4, Ds: 'Bench: upload', Da: '2026-03-02T10:00:00' },
      objects: {
        KnSubjectLink: { fields: { ToBC: true, BcId: '1000744' } },
        KnSubjectAttachment: { fields: { FileName: 'bench.bin', FileStream: file.toString('base64') } },
      },
    };
    const viaMutation = async () => {
      const res = await request(service.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: ready.authorization },
        body: mutation,
      });
      const answer = (await res.body.json()) as { errors?: unknown[] };
      if (res.statusCode !== 200 || answer.errors) throw new Error(`upload answered ${res.statusCode}`);
      return size;
    };
    const viaInsert = async () => {
      await client.insert('KnSubject', element);
      return size;
    };
    const upload = { peak: [] as number[], ms: [] as number[] };
    const insert = { peak: [] as number[], ms: [] as number[] };
    await viaMutation();
    for (let run = 0; run < RUNS; run++) {
      for (const [r, task] of [
        [upload, viaMutation],
        [insert, viaInsert],
      ] as const) {
        const m = await measure(task);
        r.peak.push(m.peak);
        r.ms.push(m.ms);
      }
    }
    return { route, whole, upload, insert, size };
  }

  const mib = (n: number) => (n / 2 ** 20).toFixed(1);
  const lines: string[][] = [];
  const uploadLines: string[][] = [];
  const ratios: string[] = [];
  const timings: string[] = [];
  try {
    for (const sizeMiB of SIZES) {
      process.stdout.write(`${sizeMiB} MiB: upload, 1 warm-up + ${RUNS} runs each way … `);
      const m = await measureSize(sizeMiB * 2 ** 20);
      console.log('done');
      const { route, whole, upload, insert, size } = m;
      for (const [name, r] of [
        ['GraphQL mutation (service)', upload],
        ['client insert (direct)', insert],
      ] as const) {
        uploadLines.push([
          `${sizeMiB} MiB`,
          name,
          mib(median(r.peak)),
          `${(median(r.peak) / size).toFixed(2)}×`,
          median(r.ms).toFixed(0),
        ]);
      }
      for (const [name, r] of [
        ['route (streamed)', route],
        ['client, whole file', whole],
      ] as const) {
        lines.push([
          `${sizeMiB} MiB`,
          name,
          mib(median(r.retained)),
          `${(median(r.retained) / size).toFixed(3)}×`,
          mib(median(r.peak)),
          median(r.ms).toFixed(0),
          median(r.firstMs).toFixed(0),
        ]);
      }
      ratios.push(
        `${sizeMiB} MiB: ${(median(whole.retained) / Math.max(median(route.retained), 1)).toFixed(0)}× (retained), ${(median(whole.peak) / Math.max(median(route.peak), 1)).toFixed(1)}× (peak)`,
      );
      timings.push(`${sizeMiB} MiB: ${(median(route.ms) / median(whole.ms)).toFixed(2)}×`);
    }
    const rows = markdownTable(
      ['file', 'path', 'retained MiB', '÷ file size', 'peak MiB', 'total ms', 'first byte ms'],
      lines,
    );
    const uploadRows = markdownTable(['file', 'upload', 'peak MiB', '÷ file size', 'total ms'], uploadLines);
    const report = [
      '# Download benchmark',
      '',
      `\`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} ×${cpus().length};`,
      `one dossier attachment per size (4/3 of it in base64 in Profit's answer), the emulator in a child process,`,
      `medians of ${RUNS} runs after one warm-up. Memory is this process's heap + Buffers above its level after a full`,
      'GC before the download: **retained** after another full GC halfway through the transfer (route: reading paused',
      'at half the file) or once the file is in hand (client); **peak** sampled on every chunk and every 5 ms,',
      'garbage not yet collected included.',
      '',
      rows,
      '',
      `- Memory, whole file ÷ streamed: ${ratios.join('; ')}. A streamed download holds the chunks in flight`,
      '  (bounded by back-pressure), a small fraction of the file; holding the file costs at least its size.',
      `- Time, route ÷ client: ${timings.join(', ')}; most of either is the emulator building its answer (first byte).`,
      '- **first byte**: for the route, when the first bytes of the file reached the downloader; for the client,',
      '  when the whole file was in hand (it hands out nothing earlier).',
      '',
      '## Uploads',
      '',
      'The same file sent as a `createDossierItem` mutation through the service (request JSON with the base64 in its',
      'variables, read, parsed, validated, turned into the KnSubject body, sent to Profit), and sent straight with',
      '`ProfitClient.insert`. Both request bodies exist before the baseline; **peak** is heap + Buffers above it,',
      'garbage included, in the service process (bench and service share it; the emulator does not).',
      '',
      uploadRows,
      '',
      '- An upload passes whole, several times over: base64 is 4/3 of the file, and the request bytes, its text, the',
      '  parsed variables, the UpdateConnector body and the bytes undici sends each hold it once for a moment (the',
      '  client alone: the last two, plus the body text). Within `MAX_UPLOAD_BYTES` that is bounded, but it is the',
      "  service's largest memory cost per request.",
      '',
    ].join('\n');
    console.log(`\n${rows}\n\n${uploadRows}\n`);
    await writeFile(new URL('../../bench/download-results.md', import.meta.url), report);
    console.log('written to bench/download-results.md');
  } finally {
    await connection.close();
    await service.close();
    child.disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

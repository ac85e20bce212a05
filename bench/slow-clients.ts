/**
 * `npm run load:slow`: slow and large clients against the service (on its embedded emulator, in a child process:
 * bench/load-server.ts), with its default bounds. A known caller sends the load query on one connection, alone and
 * then while
 *
 * - `--slow` sockets misbehave, a third each: headers that trickle (a byte a second), a body that trickles, and
 *   sockets that send nothing; each one the service cuts is opened again, so the pressure stays;
 * - `--uploads` clients each send one `createDossierItem` mutation of about 75 MB (a `--mib` MiB file in base64)
 *   at the same time, trying again a second after a 503 `TOO_MANY_UPLOADS`.
 *
 * It reports the known caller's p50 both times, what the service did to the slow sockets (cut with a 408, closed),
 * the uploads' answers, and the service process's RSS: sampled every 250 ms (no forced GC), its peak against the
 * start. Only 127.0.0.1 is contacted; the run ends by itself.
 *
 *   npm run load:slow [-- --duration=20 --slow=300 --uploads=4 --mib=54 --latency=5 --scale=5]
 */
import { writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { cpus, loadavg } from 'node:os';
import autocannon from 'autocannon';
import { request } from 'undici';
import { type Child, startChild } from './load-child.js';
import { markdownTable, numberArgs } from './measure.js';

const args = numberArgs();
/** Seconds the known caller is measured, alone and under the slow clients. @default 20 */
const DURATION = args.get('duration') ?? 20;
/** Misbehaving sockets held open at once. @default 300 */
const SLOW = args.get('slow') ?? 300;
/** Clients sending one large upload each, all at once. @default 4 */
const UPLOADS = args.get('uploads') ?? 4;
/** The uploaded file, MiB: 54 MiB is a request body of about 75 MB in base64. @default 54 */
const MIB = args.get('mib') ?? 54;
/** Latency the emulator adds to every Profit call, ms. @default 5 */
const LATENCY = args.get('latency') ?? 5;
/** The demo company's scale. @default 5 */
const SCALE = args.get('scale') ?? 5;

const QUERY = `{ employees(first: 25, orderBy: [{ field: name }]) { edges { node {
  employeeId name person { firstName lastName } employer { name } leaves(first: 5) { edges { node { leaveId } } } } } } }`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function knownCaller(child: Child, seconds: number) {
  const result = await autocannon({
    url: child.graphqlUrl,
    connections: 1,
    duration: seconds,
    pipelining: 1,
    timeout: 30,
    headers: { 'content-type': 'application/json', authorization: child.authorization },
    method: 'POST',
    body: JSON.stringify({ query: QUERY }),
  });
  return {
    requests: result.requests.total,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.errors + result.timeouts + result.non2xx,
  };
}

interface SlowTally {
  opened: number;
  /** Closed by the service (not by this bench). */
  cut: number;
  /** Of `cut`: with an HTTP 408 first. */
  timedOut: number;
}

/** Keeps `count` misbehaving sockets open until `until`, opening a new one for each the service closes. */
function slowSockets(url: string, count: number, until: number): { tally: SlowTally; done: Promise<void> } {
  const { hostname, port } = new URL(url);
  const tally: SlowTally = { opened: 0, cut: 0, timedOut: 0 };
  const live = new Set<Socket>();
  const open = (kind: number) => {
    if (Date.now() >= until) return;
    const socket = connect({ host: hostname === 'localhost' ? '127.0.0.1' : hostname, port: Number(port) });
    tally.opened++;
    live.add(socket);
    let received = '';
    let timer: NodeJS.Timeout | undefined;
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    socket.on('error', () => undefined);
    socket.on('connect', () => {
      if (kind === 0) socket.write('POST /graphql HTTP/1.1\r\nHost: localhost\r\nX-Slow: ');
      if (kind === 1) socket.write('POST /graphql HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\n{');
      // Kind 2 sends nothing at all.
      if (kind !== 2) timer = setInterval(() => socket.write('a'), 1000);
    });
    socket.on('close', () => {
      clearInterval(timer);
      live.delete(socket);
      if (Date.now() >= until) return;
      tally.cut++;
      if (received.startsWith('HTTP/1.1 408')) tally.timedOut++;
      // Keep the pressure: a new misbehaving socket for each one cut, a little later.
      setTimeout(() => open(kind), 100);
    });
  };
  for (let i = 0; i < count; i++) open(i % 3);
  const done = (async () => {
    while (Date.now() < until) await sleep(200);
    for (const s of live) s.destroy();
  })();
  return { tally, done };
}

interface UploadTally {
  accepted: number;
  refused: number;
  /** The connection closed while the body was still being sent (a refusal the client could not read). */
  cut: number;
  other: string[];
}

/** `clients` uploads at once, each tried again a second after a 503, until accepted or `until`. */
async function uploads(child: Child, clients: number, body: Buffer, until: number): Promise<UploadTally> {
  const tally: UploadTally = { accepted: 0, refused: 0, cut: 0, other: [] };
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Date.now() < until) {
        const res = await request(child.graphqlUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: child.authorization },
          body,
        }).catch((error: unknown) => error as Error);
        if (res instanceof Error) {
          // Refused while still sending: the service answered 503 and closed before reading the body.
          tally.cut++;
          await sleep(1000);
          continue;
        }
        const text = await res.body.text();
        if (res.statusCode === 503 && text.includes('TOO_MANY_UPLOADS')) {
          tally.refused++;
          await sleep(1000);
          continue;
        }
        if (res.statusCode === 200 && !text.includes('"errors"')) tally.accepted++;
        else tally.other.push(`${res.statusCode} ${text.slice(0, 120)}`);
        return;
      }
    }),
  );
  return tally;
}

async function main(): Promise<void> {
  const child = await startChild({ latencyMs: LATENCY, scale: SCALE });
  try {
    // The uploads' body, built before anything is measured: a file of MIB MiB in base64, as the bench's upload.
    const file = Buffer.alloc(MIB * 2 ** 20, 7);
    const body = Buffer.from(
      JSON.stringify({
        query: 'mutation ($input: CreateDossierItemInput!) { createDossierItem(input: $input) { dossierItemId } }',
        variables: {
          input: {
            typeId: 4,
            subject: 'Bench: slow clients',
            links: [{ toOrganisationOrPerson: true, organisationOrPersonId: '1000744' }],
            attachments: [{ fileName: 'large.bin', data: file.toString('base64') }],
          },
        },
      }),
    );
    await knownCaller(child, 3);
    const start = await child.stats(true);
    process.stderr.write(`slow: the known caller alone for ${DURATION} s…\n`);
    const quiet = await knownCaller(child, DURATION);

    process.stderr.write(
      `slow: the known caller for ${DURATION} s beside ${SLOW} slow sockets and ${UPLOADS} uploads of ${(body.length / 1e6).toFixed(1)} MB…\n`,
    );
    const until = Date.now() + (DURATION + 2) * 1000;
    const slow = slowSockets(child.graphqlUrl, SLOW, until);
    let peakRss = 0;
    let peakConnections = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const s = await child.stats();
        peakRss = Math.max(peakRss, s.rssMiB);
        peakConnections = Math.max(peakConnections, s.connections);
        await sleep(250);
      }
    })();
    await sleep(1000);
    const [under, upload] = await Promise.all([knownCaller(child, DURATION), uploads(child, UPLOADS, body, until)]);
    await slow.done;
    sampling = false;
    await sampler;
    await sleep(1000);
    const end = await child.stats(true);

    const f0 = (n: number) => n.toFixed(0);
    const table = markdownTable(
      ['known caller', 'requests', 'p50 ms', 'p99 ms', 'failures'],
      [
        ['alone', String(quiet.requests), f0(quiet.p50), f0(quiet.p99), String(quiet.failures)],
        [
          `beside ${SLOW} slow sockets and ${UPLOADS} uploads`,
          String(under.requests),
          f0(under.p50),
          f0(under.p99),
          String(under.failures),
        ],
      ],
    );
    const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
    const report = [
      `Measured on ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${cpu} ×${cpus().length} ` +
        `(load average ${loadavg()[0]?.toFixed(1)} at the end); the service with its default bounds on the embedded ` +
        `emulator (scale ${SCALE}, ${LATENCY} ms per Profit call) in one child process; ${DURATION} s per phase.`,
      '',
      table,
      '',
      `- **p50 beside the slow clients ÷ alone: ${(under.p50 / quiet.p50).toFixed(2)}×.**`,
      `- **Slow sockets:** ${slow.tally.opened} opened (${SLOW} at a time: trickling headers, trickling bodies, ` +
        `silent), ${slow.tally.cut} cut by the service, ${slow.tally.timedOut} of them with a 408; at most ` +
        `${peakConnections} sockets open at once.`,
      `- **Uploads** of ${(body.length / 1e6).toFixed(1)} MB (${MIB} MiB files): ${upload.accepted} accepted, ` +
        `${upload.refused} answers 503 \`TOO_MANY_UPLOADS\` and ${upload.cut} connections closed while sending ` +
        '(the same refusal, which the client could not read before its write failed; each tried again a second later)' +
        `${upload.other.length > 0 ? `, other: ${upload.other.join('; ')}` : ''}.`,
      `- **Service RSS:** ${f0(start.rssMiB)} MiB at the start (after a full GC), peak ${f0(peakRss)} MiB ` +
        `(+${f0(peakRss - start.rssMiB)}), ${f0(end.rssMiB)} MiB at the end (after a full GC); the emulator in the ` +
        'same process receives and keeps each accepted file.',
    ].join('\n');
    console.log(`\n${report}\n`);
    const options = process.argv.slice(2).join(' ');
    await writeFile(
      new URL('./slow-clients-results.md', import.meta.url.replace('/dist/bench/', '/bench/')),
      `# npm run load:slow\n\n\`\`\`sh\nnpm run load:slow${options ? ` -- ${options}` : ''}\n\`\`\`\n\n${report}\n`,
    );
  } finally {
    await child.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});

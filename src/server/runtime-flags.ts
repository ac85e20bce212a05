/**
 * The V8 flags the service is shipped to run with: `npm start`, the Dockerfile's CMD and the Kubernetes manifest
 * start `node` with them, and the benches start the service so (test/docker/image.test.ts checks the three agree).
 *
 * `--max-semi-space-size=64` (MiB): a request's garbage is short-lived (Profit's parsed answers, the rows, the
 * GraphQL result and its text) and V8's default young generation (16 MiB semi-spaces on 64-bit) fills several times
 * per nested request, each scavenge copying what is still alive. Larger semi-spaces let most of it die before a
 * scavenge. Measured on the nested bench query (100 employees with person, employer and leaves; 8 connections,
 * 4 interleaved rounds of 300 requests): CPU per request 30.4 → 27.9 ms median (−8%); peak RSS +30 MiB (434 → 464).
 * It only raises the young generation's ceiling: memory per request does not grow, `--max-old-space-size` and
 * the pod's limit are unchanged. Set only at start (V8 sizes its heap before any code runs).
 *
 * `--heap-growing-percent=100`: after each full GC the old generation may grow to twice what survived before the
 * next one starts. V8 otherwise derives the factor from its recent old-generation allocation rate: 1.5–1.9 under
 * steady load here (`--trace-gc-verbose`), but after a quiet spell that rate reads low and the factor falls towards
 * its minimum of 1.1 (1.2 after 30 s idle), so the limit leaves little room above the live heap (about 77 MiB), and at
 * the next burst the scavenges that promote the requests in flight (a request waiting on Profit outlives two of
 * them) start one full GC after another. In the peers bench, whose cells of load have pauses between them, the
 * nested query at 20 ms got a full GC every 0.6–1.4 s through each cell after a pause (`--trace-gc`), against one
 * per 10–70 s under steady load, and its CPU per request rose from about 19 to 25 ms, a quarter of it on V8's
 * helper threads (issue 12). With the flag, the same bench (nested, 0 and 20 ms, 3 rounds of 6 s cells) ran
 * 17 full GCs instead of 40, none in such a chain; main thread 84–91% of the CPU (was 69–85%); RSS after a cell
 * 366–367 MiB (368–373 without). `--no-memory-reducer`, the other suspect, changed nothing (40 full GCs, the same
 * chains). Node 20 accepts both flags (test/docker starts node with them); for the Dockerfile's Node 26 this is
 * *unconfirmed* here (no image can be pulled), though V8's current source still reads `--heap-growing-percent`.
 */
export const SERVE_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64', '--heap-growing-percent=100'];

/**
 * The service under Profit's failures, over real HTTP, with the emulator's fault injection: latency, 500s, 503s
 * with retry_after, timeouts, connection resets and malformed JSON. Every answer stays a well-formed GraphQL
 * response whose coded errors sit on exactly the fields whose connector failed; the process keeps serving, and
 * serves normally within a second of the fault clearing. A maintenance window is met with one call and then
 * none (the maintenance circuit), and the service resumes on its own. Writes are sent once, never repeated, and
 * never reported done when their outcome is unknown.
 *
 * The emulator's request log is the record of what reached Profit; counts are exact.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DemoStore } from '../../src/emulator/company/index.js';
import type { FaultKind } from '../../src/emulator/faults.js';
import type { Service } from '../../src/server/index.js';
import { demoAuthorization, http, startTestService } from '../server/helpers.js';
import {
  callsPerConnector,
  describeCalls,
  eventually,
  expectWellFormed,
  graphql,
  lastSeq,
  type Reply,
  upstreamSince,
} from './support.js';

/** Three connectors: the page of employees, then their persons and employers (one batched call each). */
const QUERY = `{
  employees(first: 4, orderBy: [{ field: employeeId }]) {
    edges { node { employeeId name person { personId firstName } employer { organisationId name } } }
  }
}`;

const CREATE_LEAVE = 'mutation ($input: CreateLeaveInput!) { createLeave(input: $input) { leaveId employeeId } }';

/** Short enough to keep timeout cases fast, long enough for a normal answer on a busy 2-core machine. */
const TIMEOUT_MS = 750;

// biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are checked field by field
type Edge = { node: Record<string, any> };

function edgesOf(reply: Reply): Edge[] {
  return reply.json.data.employees.edges;
}

function storeOf(service: Service): DemoStore {
  return service.emulator!.company.store as DemoStore;
}

describe('faults on reads', () => {
  let service: Service;
  let admin: string;
  let baseline: Edge[];
  const ask = () => graphql(service, QUERY, { authorization: admin });
  const isNormal = async () => {
    const reply = await ask();
    return (
      reply.status === 200 &&
      reply.json.errors === undefined &&
      JSON.stringify(edgesOf(reply)) === JSON.stringify(baseline)
    );
  };

  beforeAll(async () => {
    service = await startTestService({
      PROFIT_TIMEOUT_MS: String(TIMEOUT_MS),
      PROFIT_MAX_RETRY_AFTER_SECONDS: '1',
      PERMISSIONS_TTL_SECONDS: '86400',
    });
    admin = demoAuthorization(service);
    // The first request of a credential also reads its grant (metainfo); after it, only data calls remain.
    const first = await ask();
    expect(first.json.errors).toBeUndefined();
    baseline = edgesOf(first);
    expect(baseline).toHaveLength(4);
  });
  afterAll(() => service.close());
  // A test that fails half-way leaves no fault (nor maintenance) behind for the next, whatever the order.
  afterEach(() => service.emulator!.faults.clear());

  it('answers the query with exactly one call per connector when Profit is well', async () => {
    const seq = lastSeq(service);
    expect(await isNormal()).toBe(true);
    const [page, ...relations] = describeCalls(upstreamSince(service, seq));
    expect(page).toBe('GET /connectors/Profit_Employees 200');
    // The persons and the employers are asked at once: either may reach Profit first.
    expect(relations.sort()).toEqual([
      'GET /connectors/Profit_Organisations 200',
      'GET /connectors/Profit_Persons 200',
    ]);
  });

  /** Fault → the code on the affected fields, and how many calls the failing connector got (retries included). */
  const failing: readonly [FaultKind, number, string, number][] = [
    ['500', 1, 'PROFIT_REJECTED', 1],
    ['malformed', 1, 'PROFIT_BAD_RESPONSE', 1],
    ['503', 1, 'PROFIT_UNAVAILABLE', 1], // retry_after 30 s, beyond the 1 s cap: fails fast
    ['timeout', 3, 'PROFIT_UNREACHABLE', 3], // every attempt times out
    ['reset', 3, 'PROFIT_UNREACHABLE', 3], // every attempt loses its connection
  ];
  const relations = [
    ['Profit_Persons', 'person', 'employer'],
    ['Profit_Organisations', 'employer', 'person'],
  ] as const;

  for (const [connector, field, other] of relations) {
    describe(`on ${connector}`, () => {
      it.each(failing)(
        `a %s (×%i) nulls only \`${field}\`, each with %s, keeps \`${other}\`, and the next answers are normal`,
        async (kind, count, code, calls) => {
          service.emulator!.faults.once({ kind, count, path: connector });
          const seq = lastSeq(service);
          const reply = await ask();
          expect(reply.status).toBe(200);
          expectWellFormed(reply);
          const edges = edgesOf(reply);
          expect(edges.map((e) => e.node.employeeId)).toEqual(baseline.map((e) => e.node.employeeId));
          edges.forEach((edge, i) => {
            expect(edge.node[field]).toBeNull();
            expect(edge.node[other]).toEqual(baseline[i]!.node[other]);
          });
          expect(reply.json.errors.map((e: { path: unknown }) => e.path)).toEqual(
            edges.map((_, i) => ['employees', 'edges', i, 'node', field]),
          );
          expect(new Set(reply.json.errors.map((e: { extensions: { code: string } }) => e.extensions.code))).toEqual(
            new Set([code]),
          );
          if (kind === '503') expect(reply.json.errors[0].extensions.retryAfterSeconds).toBe(30);
          expect(callsPerConnector(upstreamSince(service, seq))).toEqual({
            Profit_Employees: 1,
            Profit_Persons: connector === 'Profit_Persons' ? calls : 1,
            Profit_Organisations: connector === 'Profit_Organisations' ? calls : 1,
          });
          expect((await http(`${service.url}/health`)).status).toBe(200);
          service.emulator!.faults.clear();
          await eventually(isNormal, 1000);
        },
      );
    });
  }

  it.each([
    ['timeout', 0],
    ['reset', 0],
    ['503', 0],
  ] as const)(
    'retries a GET after one %s and answers as if nothing happened: 2 calls to that connector',
    async (kind, retryAfter) => {
      service.emulator!.faults.set({ retryAfter });
      service.emulator!.faults.once({ kind, path: 'Profit_Organisations' });
      const seq = lastSeq(service);
      const reply = await ask();
      expect(reply.json.errors).toBeUndefined();
      expect(edgesOf(reply)).toEqual(baseline);
      expect(callsPerConnector(upstreamSince(service, seq))).toEqual({
        Profit_Employees: 1,
        Profit_Persons: 1,
        Profit_Organisations: 2,
      });
      service.emulator!.faults.clear();
    },
  );

  it('answers normally through a latency spike below the timeout', async () => {
    service.emulator!.faults.set({ latency: { fixedMs: 50, jitterMs: 100 } });
    try {
      const seq = lastSeq(service);
      expect(await isNormal()).toBe(true);
      expect(upstreamSince(service, seq)).toHaveLength(3);
    } finally {
      service.emulator!.faults.clear();
    }
  });

  it('a fault on the root connector nulls `employees` with one error at its path; nothing else is asked', async () => {
    service.emulator!.faults.once({ kind: '500', path: 'Profit_Employees' });
    const seq = lastSeq(service);
    const reply = await ask();
    expectWellFormed(reply);
    expect(reply.json.data).toEqual({ employees: null });
    expect(reply.json.errors).toHaveLength(1);
    expect(reply.json.errors[0]).toMatchObject({ path: ['employees'], extensions: { code: 'PROFIT_REJECTED' } });
    expect(describeCalls(upstreamSince(service, seq))).toEqual(['GET /connectors/Profit_Employees 500']);
    service.emulator!.faults.clear();
    await eventually(isNormal, 1000);
  });

  it('latency beyond the timeout on every call: PROFIT_UNREACHABLE after 3 attempts, then normal within 1 s of it clearing', async () => {
    service.emulator!.faults.set({ latency: { fixedMs: TIMEOUT_MS + 300 } });
    const seq = lastSeq(service);
    const reply = await ask();
    expectWellFormed(reply);
    expect(reply.json.data).toEqual({ employees: null });
    expect(reply.json.errors[0]).toMatchObject({ path: ['employees'], extensions: { code: 'PROFIT_UNREACHABLE' } });
    expect(callsPerConnector(upstreamSince(service, seq))).toEqual({ Profit_Employees: 3 });
    service.emulator!.faults.clear();
    await eventually(isNormal, 1000);
  });

  it('stays well-formed for 40 concurrent requests at a 40% mixed fault rate, and recovers', async () => {
    service.emulator!.faults.set({
      seed: 7,
      retryAfter: 0,
      rates: { '500': 0.08, '503': 0.08, timeout: 0.08, reset: 0.08, malformed: 0.08 },
    });
    const replies = await Promise.all(Array.from({ length: 40 }, () => ask()));
    service.emulator!.faults.clear();
    const codes = new Set<string>();
    for (const reply of replies) {
      expect(reply.status).toBe(200);
      expectWellFormed(reply);
      for (const e of reply.json.errors ?? []) {
        codes.add(e.extensions.code);
        // An error sits on the root or on one relation of one edge, never elsewhere.
        expect(e.path).toSatisfy(
          (p: unknown[]) =>
            (p.length === 1 && p[0] === 'employees') ||
            (p.length === 5 && p[1] === 'edges' && (p[4] === 'person' || p[4] === 'employer')),
        );
      }
    }
    expect(
      [...codes].every((c) =>
        ['PROFIT_REJECTED', 'PROFIT_BAD_RESPONSE', 'PROFIT_UNAVAILABLE', 'PROFIT_UNREACHABLE'].includes(c),
      ),
    ).toBe(true);
    await eventually(isNormal, 1000);
  });
});

describe('a maintenance window (503 with retry_after 7200)', () => {
  let service: Service;
  let admin: string;
  const ask = () => graphql(service, QUERY, { authorization: admin });

  beforeAll(async () => {
    // At most one probe per second while Profit is in maintenance.
    service = await startTestService({ PROFIT_MAINTENANCE_PROBE_SECONDS: '1', PERMISSIONS_TTL_SECONDS: '86400' });
    admin = demoAuthorization(service);
    expect((await ask()).json.errors).toBeUndefined();
    // Warm the grant of the write the window refuses below.
    const employeeId = storeOf(service).data.employees[1]!.employeeId;
    const warm = await graphql(service, CREATE_LEAVE, {
      authorization: admin,
      variables: { input: { employeeId, leaveTypeId: 'V', start: '2027-03-01', end: '2027-03-01' } },
    });
    expect(warm.json.errors).toBeUndefined();
  });
  afterAll(() => service.close());
  // A test that fails half-way leaves no fault (nor maintenance) behind for the next, whatever the order.
  afterEach(() => service.emulator!.faults.clear());

  it('fails fast with PROFIT_UNAVAILABLE and the time back, sends nothing more during the window, and resumes on its own', async () => {
    service.emulator!.faults.maintenance(7200);
    const seq = lastSeq(service);
    const first = await ask();
    const openedAt = performance.now();
    expectWellFormed(first);
    expect(first.json.data).toEqual({ employees: null });
    expect(first.json.errors).toHaveLength(1);
    expect(first.json.errors[0]).toMatchObject({
      path: ['employees'],
      extensions: { code: 'PROFIT_UNAVAILABLE', retryAfterSeconds: 7200 },
    });
    expect(first.json.errors[0].message).toMatch(/available again in about 2 h/);
    // One call for the one connector the request reached; no retry (7200 s is beyond the cap).
    expect(describeCalls(upstreamSince(service, seq))).toEqual(['GET /connectors/Profit_Employees 503']);

    // Twenty concurrent requests and a write during the window: refused without calling Profit.
    const seq2 = lastSeq(service);
    const during = await Promise.all([
      ...Array.from({ length: 20 }, () => ask()),
      graphql(service, CREATE_LEAVE, {
        authorization: admin,
        variables: {
          input: {
            employeeId: storeOf(service).data.employees[2]!.employeeId,
            leaveTypeId: 'V',
            start: '2027-03-02',
            end: '2027-03-02',
          },
        },
      }),
    ]);
    const elapsed = performance.now() - openedAt;
    // Zero calls, unless this machine took over a second, when one probe per second may have gone (a read or the
    // write: Profit's 503 means it did nothing) and its caller got Profit's own 503 instead of "not sent".
    const sent = upstreamSince(service, seq2);
    expect(sent.length).toBeLessThanOrEqual(Math.floor(elapsed / 1000));
    expect(sent.every((e) => e.status === 503)).toBe(true);
    let probed = 0;
    for (const reply of during) {
      expectWellFormed(reply);
      expect(reply.json.errors).toHaveLength(1);
      const error = reply.json.errors[0];
      expect(error.extensions.code).toBe('PROFIT_UNAVAILABLE');
      expect(error.extensions.retryAfterSeconds).toBeGreaterThan(7190);
      expect(error.extensions.retryAfterSeconds).toBeLessThanOrEqual(7200);
      if (/not sent/.test(error.message)) {
        expect(error.message).toMatch(/not sent: Profit is in maintenance.*about 2 h \(at \d{4}-\d\d-\d\dT/);
      } else {
        expect(error.message).toMatch(/ answered 503 \(unavailable\).*about 2 h/);
        probed += 1;
      }
    }
    expect(probed).toBe(sent.length);
    expect(during.at(-1)!.json.data?.createLeave ?? null).toBeNull(); // the write is not reported done
    const writer = storeOf(service).data.employees[2]!.employeeId;
    const written = storeOf(service).data.leaves.filter(
      (l) => l.employeeId === writer && l.start.startsWith('2027-03-02'),
    );
    expect(written).toHaveLength(0);

    service.emulator!.faults.maintenance(null);
    const seq3 = lastSeq(service);
    // The next probe is due within a second; the first answer after it is normal.
    await eventually(async () => (await ask()).json.errors === undefined, 2000);
    const after = upstreamSince(service, seq3);
    expect(after.filter((e) => e.status === 503)).toHaveLength(0);
    expect(after.length).toBeLessThanOrEqual(3);
  });
});

describe('faults on writes', () => {
  let service: Service;
  let admin: string;
  let day = 0;
  /** A leave nobody has booked yet: its own employee and start day, and a remark that names it. */
  const newLeave = (tag: string) => {
    const employees = storeOf(service).data.employees;
    day += 1;
    const start = new Date(Date.UTC(2028, 0, 1 + day)).toISOString().slice(0, 10);
    return {
      employeeId: employees[day % employees.length]!.employeeId,
      leaveTypeId: 'V',
      start,
      end: start,
      remark: tag,
    };
  };
  const rowsTagged = (tag: string) => storeOf(service).data.leaves.filter((l) => l.remark === tag);
  const create = (input: object) => graphql(service, CREATE_LEAVE, { authorization: admin, variables: { input } });
  const posts = (seq: number) => upstreamSince(service, seq).filter((e) => e.method !== 'GET');

  beforeAll(async () => {
    service = await startTestService({
      PROFIT_TIMEOUT_MS: String(TIMEOUT_MS),
      PROFIT_MAX_RETRY_AFTER_SECONDS: '1',
      PERMISSIONS_TTL_SECONDS: '86400',
    });
    admin = demoAuthorization(service);
    const warm = await create(newLeave('warm-up'));
    expect(warm.json.errors).toBeUndefined();
  });
  afterAll(() => service.close());
  // A test that fails half-way leaves no fault (nor maintenance) behind for the next, whatever the order.
  afterEach(() => service.emulator!.faults.clear());

  it.each([
    ['reset', 'lost its connection', 0], // the socket is gone before Profit read the body
    ['timeout', 'did not answer in time', 1], // Profit did it, but never answered
    ['malformed', 'answered with a body that could not be read', 1], // Profit did it; the answer is cut short
  ] as const)(
    'a %s on the POST is PROFIT_OUTCOME_UNKNOWN, sent exactly once, never reported done',
    async (kind, what, written) => {
      const tag = `outcome-${kind}`;
      service.emulator!.faults.once({ kind, method: 'POST', path: 'HrAbsenceID' });
      const seq = lastSeq(service);
      const reply = await create(newLeave(tag));
      expectWellFormed(reply);
      expect(reply.json.data?.createLeave ?? null).toBeNull(); // not reported done
      expect(reply.json.errors).toHaveLength(1);
      expect(reply.json.errors[0].extensions).toMatchObject({
        code: 'PROFIT_OUTCOME_UNKNOWN',
        connector: 'HrAbsenceID',
        method: 'POST',
        retried: false,
      });
      expect(reply.json.errors[0].message).toContain(what);
      expect(posts(seq).map((e) => `${e.method} ${e.path}`)).toEqual([
        'POST /ProfitRestServices/connectors/HrAbsenceID',
      ]);
      // What Profit actually did differs by fault; the answer says "unknown" either way, and nothing ran twice.
      expect(rowsTagged(tag)).toHaveLength(written);
    },
  );

  it('a 503 on the POST is PROFIT_UNAVAILABLE: one POST, nothing written', async () => {
    service.emulator!.faults.once({ kind: '503', method: 'POST', path: 'HrAbsenceID' });
    const seq = lastSeq(service);
    const reply = await create(newLeave('unavailable'));
    expectWellFormed(reply);
    expect(reply.json.errors[0].extensions).toMatchObject({ code: 'PROFIT_UNAVAILABLE', retryAfterSeconds: 30 });
    expect(describeCalls(posts(seq))).toEqual(['POST /connectors/HrAbsenceID 503']);
    expect(rowsTagged('unavailable')).toHaveLength(0);
    // 30 s is beyond the 1 s cap, so the maintenance circuit opened; the next call is its probe, and Profit's
    // answer closes it (the tests after this one, in whatever order, meet a closed circuit).
    const probe = await create(newLeave('after-unavailable'));
    expect(probe.json.errors).toBeUndefined();
    expect(rowsTagged('after-unavailable')).toHaveLength(1);
  });

  it('a 500 on the POST is PROFIT_REJECTED: one POST, nothing written', async () => {
    service.emulator!.faults.once({ kind: '500', method: 'POST', path: 'HrAbsenceID' });
    const seq = lastSeq(service);
    const reply = await create(newLeave('rejected'));
    expect(reply.json.errors[0].extensions).toMatchObject({ code: 'PROFIT_REJECTED', connector: 'HrAbsenceID' });
    expect(describeCalls(posts(seq))).toEqual(['POST /connectors/HrAbsenceID 500']);
    expect(rowsTagged('rejected')).toHaveLength(0);
  });

  it('30 distinct createLeave at a 30% seeded fault rate: 30 POSTs, no duplicate, nothing unknown reported done', async () => {
    service.emulator!.faults.set({
      seed: 424242,
      retryAfter: 0,
      rates: { '500': 0.06, '503': 0.06, timeout: 0.06, reset: 0.06, malformed: 0.06 },
    });
    const seq = lastSeq(service);
    const inputs = Array.from({ length: 30 }, (_, i) => newLeave(`burst-${i}`));
    const replies: Reply[] = [];
    try {
      // Five at a time, as several clients would.
      for (let i = 0; i < inputs.length; i += 5) {
        replies.push(...(await Promise.all(inputs.slice(i, i + 5).map((input) => create(input)))));
      }
    } finally {
      service.emulator!.faults.clear();
    }
    expect(posts(seq)).toHaveLength(30);
    const outcomes: Record<string, number> = {};
    replies.forEach((reply, i) => {
      expectWellFormed(reply);
      const rows = rowsTagged(`burst-${i}`);
      expect(rows.length).toBeLessThanOrEqual(1); // never written twice
      const code: string = reply.json.errors?.[0]?.extensions.code ?? 'DONE';
      outcomes[code] = (outcomes[code] ?? 0) + 1;
      switch (code) {
        case 'DONE':
          expect(reply.json.data.createLeave.leaveId).toBe(String(rows[0]!.id));
          break;
        case 'WRITTEN_NOT_READ_BACK': // done: the POST succeeded, only the read-back failed
          expect(rows).toHaveLength(1);
          expect(reply.json.errors[0].extensions.key).toEqual({ leaveId: String(rows[0]!.id) });
          break;
        case 'PROFIT_OUTCOME_UNKNOWN':
          expect(reply.json.data?.createLeave ?? null).toBeNull();
          break;
        case 'PROFIT_UNAVAILABLE':
        case 'PROFIT_REJECTED':
          expect(reply.json.data?.createLeave ?? null).toBeNull();
          expect(rows).toHaveLength(0);
          break;
        default:
          throw new Error(`unexpected outcome ${code}: ${JSON.stringify(reply.json.errors)}`);
      }
    });
    // The seed gives a mix: some done, some unknown.
    expect(outcomes.DONE).toBeGreaterThan(10);
    expect(outcomes.PROFIT_OUTCOME_UNKNOWN).toBeGreaterThan(0);
  });
});

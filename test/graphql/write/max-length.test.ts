/**
 * A declared maximum length is inclusive, on both sides of the wire: a value of exactly the limit is written, one
 * character more is refused with nothing written. The service refuses before any call (BAD_USER_INPUT, rule
 * `max-length`); the emulator, called directly, refuses as Profit does (a rejection naming the field). KnPerson's
 * initials (`In`) are at most 15 characters in both the write declaration and the emulator's metainfo.
 */
import type { GraphQLFormattedError } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LogEntry } from '../../../src/emulator/log.js';
import { ProfitError } from '../../../src/profit/index.js';
import { type Harness, startHarness } from '../helpers.js';

const LIMIT = 15;
const AT_LIMIT = 'A.B.C.D.E.F.G.H';
const OVER_LIMIT = `${AT_LIMIT}.`;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ scale: 1 });
});
afterAll(() => h?.close());
beforeEach(() => {
  h.emulator.reset();
  h.emulator.faults.clear();
});

const writes = (calls: readonly LogEntry[]) => calls.filter((c) => c.method !== 'GET').map((c) => c.path);

const CREATE = `mutation ($input: CreatePersonInput!) { createPerson(input: $input) { personId initials } }`;
const UPDATE = `mutation ($input: UpdatePersonInput!) { updatePerson(input: $input) { personId initials } }`;

const newPerson = (initials: string) => ({
  firstName: 'Anna',
  lastName: 'Visser',
  initials,
  address: { country: 'NL', street: 'Dorpsstraat', houseNumber: 12, zipCode: '1234 AB', city: 'Ergens' },
});

function maxLengthIssue(errors: readonly GraphQLFormattedError[] | undefined) {
  expect(errors).toHaveLength(1);
  expect(errors?.[0]?.extensions).toMatchObject({
    code: 'BAD_USER_INPUT',
    issues: [
      {
        path: ['input', 'initials'],
        rule: 'max-length',
        message: `input.initials must be at most ${LIMIT} characters, got ${LIMIT + 1}`,
      },
    ],
  });
}

describe('a value of exactly the maximum length, through the service', () => {
  it('is written on create, and one character more is refused before any call', async () => {
    expect(AT_LIMIT).toHaveLength(LIMIT);
    const before = h.data.persons.length;
    const over = await h.run(CREATE, { input: newPerson(OVER_LIMIT) });
    maxLengthIssue(over.result.errors);
    expect(over.calls).toEqual([]);
    expect(h.data.persons).toHaveLength(before);

    const at = await h.run<{ createPerson: { personId: string; initials: string } }>(CREATE, {
      input: newPerson(AT_LIMIT),
    });
    expect(at.result.errors).toBeUndefined();
    expect(at.result.data?.createPerson.initials).toBe(AT_LIMIT);
    expect(writes(at.calls)).toEqual(['/ProfitRestServices/connectors/KnPerson']);
    expect(h.data.persons).toHaveLength(before + 1);
    expect(h.data.persons.at(-1)?.initials).toBe(AT_LIMIT);
  });

  it('is written on update, and one character more is refused before any call, the stored value unchanged', async () => {
    const person = h.data.persons[0]!;
    const stored = person.initials;
    const over = await h.run(UPDATE, { input: { personId: person.bcCo, initials: OVER_LIMIT } });
    maxLengthIssue(over.result.errors);
    expect(over.calls).toEqual([]);
    expect(h.data.persons[0]!.initials).toBe(stored);

    const at = await h.run<{ updatePerson: { initials: string } }>(UPDATE, {
      input: { personId: person.bcCo, initials: AT_LIMIT },
    });
    expect(at.result.errors).toBeUndefined();
    expect(at.result.data?.updatePerson.initials).toBe(AT_LIMIT);
    expect(writes(at.calls)).toEqual(['/ProfitRestServices/connectors/KnPerson']);
    expect(h.data.persons[0]!.initials).toBe(AT_LIMIT);
  });
});

describe('a value of exactly the maximum length, sent to the emulator directly', () => {
  it('is taken by KnPerson, and one character more is rejected with the stored value unchanged', async () => {
    const client = h.client('admin');
    const person = h.data.persons[0]!;
    const stored = person.initials;
    const body = (initials: string) => ({ fields: { MatchPer: '0', BcCo: person.bcCo, In: initials } });

    const over = await client.update('KnPerson', body(OVER_LIMIT)).catch((error: unknown) => error);
    expect(over).toBeInstanceOf(ProfitError);
    expect(over).toMatchObject({ kind: 'rejected', status: 500 });
    expect((over as ProfitError).externalMessage).toMatch(/te lang: 16 tekens, maximaal 15 toegestaan/); // nl-nl, the connection's default language;
    expect(h.data.persons[0]!.initials).toBe(stored);

    await client.update('KnPerson', body(AT_LIMIT));
    expect(h.data.persons[0]!.initials).toBe(AT_LIMIT);
  });
});

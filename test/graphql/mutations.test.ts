/**
 * Mutations against the demo emulator over HTTP: every mutation's success path (the answer is the record as Profit
 * now has it, read back through its GetConnector) and its failures, each with the exact Profit calls it made and
 * proof of what was (not) written.
 */
import type { GraphQLFormattedError } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { salaryIban } from '../../src/emulator/company/data.js';
import { credentials } from '../../src/emulator/index.js';
import type { LogEntry } from '../../src/emulator/log.js';
import { createRequestContext } from '../../src/graphql/index.js';
import { authorizationHeader, ProfitConnection } from '../../src/profit/index.js';
import { type Harness, harnessTransport, startHarness } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ scale: 1 });
});
afterAll(() => h?.close());
beforeEach(() => {
  h.emulator.reset();
  h.emulator.faults.clear();
});

/**
 * The connector calls (GetConnectors and UpdateConnectors) as `METHOD path status`, in order; a SOAP call as
 * `SOAP {service.operation} {status}` (its method and path are always the same POST).
 */
function upstream(calls: readonly LogEntry[]): string[] {
  return calls
    .filter((c) => soapOperationOf(c) !== undefined || /\/connectors\//i.test(c.path))
    .map((c) => {
      const soap = soapOperationOf(c);
      return soap !== undefined
        ? `SOAP ${soap} ${c.status}`
        : `${c.method} ${c.path.replace(/^\/ProfitRestServices/i, '')} ${c.status}`;
    });
}

/**
 * A SOAP call's `service.operation`; one refused before it was read (an injected fault, maintenance) is logged
 * without it, and is named by its service: the client calls one operation of each.
 */
function soapOperationOf(c: LogEntry): string | undefined {
  // The connector calls only: not the DataConnector's GetXmlSchema.
  if (c.soapOperation !== undefined)
    return /^AppConnector(Get|Update)\./.test(c.soapOperation) ? c.soapOperation : undefined;
  const service = /\/ProfitServices\/(AppConnectorGet|AppConnectorUpdate)\.asmx$/i.exec(c.path)?.[1];
  return service === undefined
    ? undefined
    : `${service}.${service === 'AppConnectorGet' ? 'GetDataWithOptions' : 'Execute'}`;
}

/**
 * The calls `upstream` shows for the REST calls given, as the harness's transport sends them: over SOAP a read is
 * `GetDataWithOptions` and a write `Execute`, both answering 200 where REST answers 200 or 201.
 */
function overTransport(restCalls: readonly unknown[]): unknown[] {
  if (harnessTransport() === 'rest') return [...restCalls];
  return restCalls.map((c) => {
    if (typeof c !== 'string') return c;
    const [method = '', , status = ''] = c.split(' ');
    const operation = method === 'GET' ? 'AppConnectorGet.GetDataWithOptions' : 'AppConnectorUpdate.Execute';
    return `SOAP ${operation} ${status === '201' ? '200' : status}`;
  });
}

function only(errors: readonly GraphQLFormattedError[] | undefined): GraphQLFormattedError {
  expect(errors).toHaveLength(1);
  return errors?.[0] as GraphQLFormattedError;
}

const CREATE_PERSON = `mutation ($input: CreatePersonInput!) {
  createPerson(input: $input) {
    personId firstName lastName gender bsn dateOfBirth mailWork street houseNumber zipCode city country
  }
}`;

const VALID_BSN = '123456782';

function newPerson(extra: Record<string, unknown> = {}) {
  return {
    firstName: 'Anna',
    lastName: 'Visser',
    gender: 'WOMAN',
    bsn: VALID_BSN,
    dateOfBirth: '1990-05-17',
    mailWork: 'anna.visser@example.nl',
    address: { country: 'NL', street: 'Dorpsstraat', houseNumber: 12, zipCode: '1234 AB', city: 'Ergens' },
    ...extra,
  };
}

describe('createPerson', () => {
  it('POSTs to KnPerson once and returns the new person read back through Profit_Persons with its new BcCo', async () => {
    const before = h.data.persons.length;
    const { result, calls } = await h.run(CREATE_PERSON, { input: newPerson() });
    expect(result.errors).toBeUndefined();
    expect(h.data.persons).toHaveLength(before + 1);
    const stored = h.data.persons.at(-1)!;
    expect(result.data).toEqual({
      createPerson: {
        personId: stored.bcCo,
        firstName: 'Anna',
        lastName: 'Visser',
        gender: 'V',
        bsn: VALID_BSN,
        dateOfBirth: '1990-05-17',
        mailWork: 'anna.visser@example.nl',
        street: 'Dorpsstraat',
        houseNumber: 12,
        zipCode: '1234 AB',
        city: 'Ergens',
        country: expect.any(String),
      },
    });
    expect(upstream(calls)).toEqual(
      overTransport(['POST /connectors/KnPerson 201', 'GET /connectors/Profit_Persons 200']),
    );
  });

  it('refuses a person without a last name before sending (GraphQL non-null, then the empty-value rule)', async () => {
    const { lastName: _, ...withoutLastName } = newPerson();
    const missing = await h.run(CREATE_PERSON, { input: withoutLastName });
    expect(only(missing.result.errors).extensions?.code).toBe('BAD_USER_INPUT');
    expect(only(missing.result.errors).message).toMatch(/lastName/);
    const empty = await h.run(CREATE_PERSON, { input: newPerson({ lastName: '  ' }) });
    expect(only(empty.result.errors).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      issues: [{ path: ['input', 'lastName'], rule: 'mandatory' }],
    });
    expect(upstream([...missing.calls, ...empty.calls])).toEqual(overTransport([]));
  });

  it('refuses an unknown enum value at the GraphQL level, with no call', async () => {
    const before = h.data.persons.length;
    const { result, calls } = await h.run(CREATE_PERSON, { input: newPerson({ gender: 'FEMALE' }) });
    const error = only(result.errors);
    expect(error.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(/FEMALE/);
    expect(upstream(calls)).toEqual(overTransport([]));
    expect(h.data.persons).toHaveLength(before);
  });

  it('collects every offending value (length, code table, empty mandatory) into one BAD_USER_INPUT, with no call', async () => {
    const before = h.data.persons.length;
    const input = newPerson({
      initials: 'A.B.C.D.E.F.G.H.',
      nationality: 'XX',
      address: { country: '', city: 'Ergens', zipCode: '1234 AB 12345678' },
    });
    const { result, calls } = await h.run(CREATE_PERSON, { input });
    const error = only(result.errors);
    expect(error.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error.extensions?.issues).toEqual([
      {
        path: ['input', 'initials'],
        rule: 'max-length',
        message: 'input.initials must be at most 15 characters, got 16',
      },
      {
        path: ['input', 'address', 'country'],
        rule: 'mandatory',
        message: 'input.address.country may not be empty (Profit field CoId)',
      },
      {
        path: ['input', 'address', 'zipCode'],
        rule: 'max-length',
        message: 'input.address.zipCode must be at most 15 characters, got 16',
      },
      // Codes are checked against the environment's own table (metainfo/update), after the rules above.
      {
        path: ['input', 'nationality'],
        rule: 'one-of',
        value: 'XX',
        message: expect.stringMatching(/^input\.nationality must be a code of this environment's table for PsNa/),
        hint: expect.stringContaining('210 codes'),
      },
    ]);
    expect(upstream(calls)).toEqual(overTransport([]));
    expect(h.data.persons).toHaveLength(before);
  });

  it("answers Profit's rejection (a BSN failing the 11-test) as PROFIT_REJECTED with its message and log reference; nothing is written", async () => {
    const before = h.data.persons.length;
    const { result, calls } = await h.run(CREATE_PERSON, { input: newPerson({ bsn: '123456789' }) });
    const error = only(result.errors);
    expect(error.extensions).toMatchObject({
      code: 'PROFIT_REJECTED',
      connector: 'KnPerson',
      status: 500,
      profitMessage: expect.stringMatching(/elfproef/),
      profitLogReference: expect.stringMatching(/^\w{8,}/),
      errorNumber: expect.any(Number),
    });
    expect(error.message).toContain(error.extensions?.profitLogReference as string);
    expect(result.data).toEqual({ createPerson: null });
    expect(upstream(calls)).toEqual(overTransport(['POST /connectors/KnPerson 500']));
    expect(h.data.persons).toHaveLength(before);
  });

  it('answers FORBIDDEN, naming KnPerson, for a user whose app connector does not grant it; nothing is written', async () => {
    const before = h.data.persons.length;
    const { result, calls } = await h.run(CREATE_PERSON, { input: newPerson() }, { user: 'hr' });
    const error = only(result.errors);
    expect(error.extensions).toMatchObject({ code: 'FORBIDDEN', connector: 'KnPerson' });
    expect(error.message).toMatch(/KnPerson/);
    expect(upstream(calls).filter((c) => c.startsWith('GET') || c.includes('AppConnectorGet'))).toEqual([]);
    expect(h.data.persons).toHaveLength(before);
  });

  it('answers a timed-out POST as PROFIT_OUTCOME_UNKNOWN, sends it exactly once and says how to check', async () => {
    const admin = credentials(h.emulator.company)
      .flatMap((a) => a.users)
      .find((u) => u.name === 'admin')!;
    const connection = new ProfitConnection({ baseUrl: h.emulator.baseUrl, timeoutMs: 400 });
    try {
      const context = createRequestContext({ client: connection.client(authorizationHeader(admin.authorization)) });
      h.emulator.faults.once({ kind: 'timeout', method: 'POST', path: 'KnPerson' });
      const before = h.data.persons.length;
      const { result, calls } = await h.run(CREATE_PERSON, { input: newPerson() }, { context });
      const error = only(result.errors);
      expect(error.extensions).toMatchObject({
        code: 'PROFIT_OUTCOME_UNKNOWN',
        connector: 'KnPerson',
        method: 'POST',
        retried: false,
        howToCheck: expect.stringMatching(/persons/),
      });
      expect(error.message).toMatch(/may or may not have done the write/);
      expect(error.message).toMatch(/not retried/);
      // One POST, never answered (the log says `pending` until the emulator sees the client hang up), no retry.
      expect(upstream(calls)).toEqual(
        overTransport([expect.stringMatching(/^POST \/connectors\/KnPerson (pending|timeout)$/)]),
      );
      // Profit keeps working after the client gives up: here the person was written, once.
      expect(h.data.persons).toHaveLength(before + 1);
    } finally {
      await connection.close();
    }
  });

  it('answers a POST that could not even connect as PROFIT_UNREACHABLE: certainly not written, safe to repeat', async () => {
    const closed = new ProfitConnection({ baseUrl: 'http://127.0.0.1:9/ProfitRestServices', timeoutMs: 2000 });
    try {
      const context = createRequestContext({ client: closed.client(authorizationHeader('AfasToken x')) });
      const { result } = await h.run(CREATE_PERSON, { input: newPerson() }, { context });
      expect(only(result.errors).extensions).toMatchObject({ code: 'PROFIT_UNREACHABLE', connector: 'KnPerson' });
    } finally {
      await closed.close();
    }
  });

  it('answers WRITTEN_NOT_READ_BACK with the new key when the write succeeded but the read back failed', async () => {
    // Over SOAP every read is a POST to AppConnectorGet.asmx.
    const read =
      harnessTransport() === 'rest' ? { method: 'GET', path: 'Profit_Persons' } : { path: 'AppConnectorGet' };
    h.emulator.faults.once({ kind: '500', ...read });
    const before = h.data.persons.length;
    const { result, calls } = await h.run(CREATE_PERSON, { input: newPerson() });
    const stored = h.data.persons.at(-1)!;
    expect(h.data.persons).toHaveLength(before + 1);
    const error = only(result.errors);
    expect(error.extensions).toMatchObject({
      code: 'WRITTEN_NOT_READ_BACK',
      connector: 'KnPerson',
      key: { personId: stored.bcCo },
    });
    expect(error.message).toMatch(/Do not repeat the write/);
    expect(upstream(calls)).toEqual(
      overTransport(['POST /connectors/KnPerson 201', 'GET /connectors/Profit_Persons 500']),
    );
  });

  it('answers maintenance as PROFIT_UNAVAILABLE with the retry time; nothing is written', async () => {
    h.emulator.faults.maintenance(7200);
    const before = h.data.persons.length;
    const { result, calls } = await h.run(CREATE_PERSON, { input: newPerson() });
    expect(only(result.errors).extensions).toMatchObject({ code: 'PROFIT_UNAVAILABLE', retryAfterSeconds: 7200 });
    expect(upstream(calls)).toEqual(overTransport(['POST /connectors/KnPerson 503']));
    h.emulator.faults.maintenance(null);
    expect(h.data.persons).toHaveLength(before);
  });

  it('answers UNAUTHENTICATED for a credential Profit refuses', async () => {
    const connection = new ProfitConnection({ baseUrl: h.emulator.baseUrl });
    try {
      const token = Buffer.from(`<token><version>1</version><data>${'A'.repeat(64)}</data></token>`).toString('base64');
      const context = createRequestContext({ client: connection.client(authorizationHeader(`AfasToken ${token}`)) });
      const before = h.data.persons.length;
      const { result } = await h.run(CREATE_PERSON, { input: newPerson() }, { context });
      expect(only(result.errors).extensions?.code).toBe('UNAUTHENTICATED');
      expect(h.data.persons).toHaveLength(before);
    } finally {
      await connection.close();
    }
  });
});

const UPDATE_PERSON = `mutation ($input: UpdatePersonInput!) {
  updatePerson(input: $input) { personId firstName lastName mailWork note city }
}`;

describe('updatePerson', () => {
  it('PUTs the key and the given fields, clears a field given as null, and never serves the row read before', async () => {
    const person = h.data.persons.find((p) => p.note !== null && p.mailWork !== null)!;
    const context = createRequestContext({ client: h.client() });
    const read = await h.run(
      `query ($id: ID!) { person(personId: $id) { mailWork note } }`,
      { id: person.bcCo },
      {
        context,
      },
    );
    expect(read.result.data).toEqual({ person: { mailWork: person.mailWork, note: person.note } });
    const { result, calls } = await h.run(
      UPDATE_PERSON,
      { input: { personId: person.bcCo, mailWork: 'nieuw@example.nl', note: null } },
      { context },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      updatePerson: {
        personId: person.bcCo,
        firstName: person.firstName,
        lastName: person.lastName,
        mailWork: 'nieuw@example.nl',
        note: null,
        city: expect.anything(),
      },
    });
    expect(upstream(calls)).toEqual(
      overTransport(['PUT /connectors/KnPerson 201', 'GET /connectors/Profit_Persons 200']),
    );
  });

  it('refuses to clear the last name, and a missing key, before sending', async () => {
    const person = h.data.persons[0]!;
    const cleared = await h.run(UPDATE_PERSON, { input: { personId: person.bcCo, lastName: null } });
    expect(only(cleared.result.errors).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      issues: [{ path: ['input', 'lastName'], rule: 'mandatory' }],
    });
    const noKey = await h.run(UPDATE_PERSON, { input: { lastName: 'X' } });
    expect(only(noKey.result.errors).extensions?.code).toBe('BAD_USER_INPUT');
    expect(upstream([...cleared.calls, ...noKey.calls])).toEqual(overTransport([]));
    expect(h.data.persons[0]!.lastName).toBe(person.lastName);
  });

  it('answers PROFIT_REJECTED for a person that does not exist', async () => {
    const { result, calls } = await h.run(UPDATE_PERSON, { input: { personId: 'NOPE', firstName: 'X' } });
    expect(only(result.errors).extensions).toMatchObject({ code: 'PROFIT_REJECTED', profitMessage: /bestaat niet/ });
    expect(upstream(calls)).toEqual(overTransport(['PUT /connectors/KnPerson 500']));
  });
});

describe('createOrganisation / updateOrganisation', () => {
  it('creates an organisation with a visiting address and changes it', async () => {
    const created = await h.run(
      `mutation ($input: CreateOrganisationInput!) {
        createOrganisation(input: $input) { organisationId name chamberOfCommerceNumber legalForm city street }
      }`,
      {
        input: {
          name: 'Bakkerij De Korenschoof B.V.',
          chamberOfCommerceNumber: '12345678',
          legalForm: '30',
          address: { country: 'NL', street: 'Marktplein', houseNumber: 3, zipCode: '3811 AA', city: 'Amersfoort' },
        },
      },
    );
    expect(created.result.errors).toBeUndefined();
    const stored = h.data.organisations.at(-1)!;
    expect(created.result.data).toEqual({
      createOrganisation: {
        organisationId: stored.bcCo,
        name: 'Bakkerij De Korenschoof B.V.',
        chamberOfCommerceNumber: '12345678',
        legalForm: expect.anything(),
        city: 'Amersfoort',
        street: 'Marktplein',
      },
    });
    expect(upstream(created.calls)).toEqual(
      overTransport(['POST /connectors/KnOrganisation 201', 'GET /connectors/Profit_Organisations 200']),
    );

    const updated = await h.run(
      `mutation ($input: UpdateOrganisationInput!) { updateOrganisation(input: $input) { organisationId name } }`,
      { input: { organisationId: stored.bcCo, name: 'Bakkerij De Korenschoof' } },
    );
    expect(updated.result.data).toEqual({
      updateOrganisation: { organisationId: stored.bcCo, name: 'Bakkerij De Korenschoof' },
    });
    expect(upstream(updated.calls)).toEqual(
      overTransport(['PUT /connectors/KnOrganisation 201', 'GET /connectors/Profit_Organisations 200']),
    );
  });

  it('refuses an organisation without a name and with an unknown legal form, with no call', async () => {
    const { result, calls } = await h.run(
      `mutation ($input: CreateOrganisationInput!) { createOrganisation(input: $input) { organisationId } }`,
      { input: { name: '', legalForm: '31' } },
    );
    expect(only(result.errors).extensions?.issues).toEqual([
      expect.objectContaining({ path: ['input', 'name'], rule: 'mandatory' }),
      expect.objectContaining({ path: ['input', 'legalForm'], rule: 'one-of' }),
    ]);
    expect(upstream(calls)).toEqual(overTransport([]));
  });
});

const CREATE_EMPLOYEE = `mutation ($input: CreateEmployeeInput!) {
  createEmployee(input: $input) { employeeId personId employerId functionId hoursPerWeek dateInService person { lastName } }
}`;

describe('createEmployee / updateEmployee', () => {
  const employer = () => h.data.organisations.find((o) => o.employerId)!.employerId!;

  it('creates an employee with a new person and a contract', async () => {
    const persons = h.data.persons.length;
    const { result, calls } = await h.run(CREATE_EMPLOYEE, {
      input: {
        person: { firstName: 'Noor', lastName: 'Bakker', gender: 'WOMAN' },
        contract: { startDate: '2026-02-01', employerId: employer() },
        function: { startDate: '2026-02-01', functionId: h.data.employees[0]!.functionCode },
        schedule: { startDate: '2026-02-01', hoursPerWeek: '32.5' },
      },
    });
    expect(result.errors).toBeUndefined();
    const employee = h.data.employees.at(-1)!;
    expect(h.data.persons).toHaveLength(persons + 1);
    expect(result.data).toEqual({
      createEmployee: {
        employeeId: employee.employeeId,
        personId: h.data.persons.at(-1)!.bcCo,
        employerId: employer(),
        functionId: h.data.employees[0]!.functionCode,
        hoursPerWeek: '32.5',
        dateInService: '2026-02-01',
        person: { lastName: 'Bakker' },
      },
    });
    expect(upstream(calls)).toEqual(
      overTransport([
        'POST /connectors/KnEmployee 201',
        'GET /connectors/Profit_Employees 200',
        'GET /connectors/Profit_Persons 200',
      ]),
    );
  });

  it('creates an employee for an existing person, by person number', async () => {
    const person = h.data.persons.find((p) => !h.data.employees.some((e) => e.personBcCo === p.bcCo))!;
    const persons = h.data.persons.length;
    const { result } = await h.run(CREATE_EMPLOYEE, {
      input: {
        employeeId: 'E-NEW-1',
        person: { personId: person.bcCo },
        contract: { startDate: '2026-03-01', employerId: employer() },
      },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data).toMatchObject({
      createEmployee: { employeeId: 'E-NEW-1', personId: person.bcCo, person: { lastName: person.lastName } },
    });
    expect(h.data.persons).toHaveLength(persons);
  });

  it('refuses a contract without an employer before sending, and an unknown employer in Profit', async () => {
    const employees = h.data.employees.length;
    const local = await h.run(CREATE_EMPLOYEE, {
      input: { person: { lastName: 'X' }, contract: { startDate: '2026-03-01', employerId: null } },
    });
    expect(local.result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(upstream(local.calls)).toEqual(overTransport([]));
    const remote = await h.run(CREATE_EMPLOYEE, {
      input: { person: { lastName: 'X' }, contract: { startDate: '2026-03-01', employerId: 'NOPE' } },
    });
    expect(only(remote.result.errors).extensions).toMatchObject({
      code: 'PROFIT_REJECTED',
      profitMessage: "Werkgever 'NOPE' bestaat niet.",
    });
    expect(upstream(remote.calls)).toEqual(overTransport(['POST /connectors/KnEmployee 500']));
    expect(h.data.employees).toHaveLength(employees);
  });

  it('creates an employee with a salary bank account, read back as its IBAN', async () => {
    const { result, calls } = await h.run(
      `mutation ($input: CreateEmployeeInput!) { createEmployee(input: $input) { employeeId iban } }`,
      {
        input: {
          person: { lastName: 'Visser' },
          contract: { startDate: '2026-04-01', employerId: employer() },
          bankAccounts: [
            { accountNumber: 'NL91ABNA0417164300', iban: 'NL91ABNA0417164300', salaryAccount: true, checkIban: true },
          ],
        },
      },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      createEmployee: { employeeId: h.data.employees.at(-1)!.employeeId, iban: 'NL91ABNA0417164300' },
    });
    expect(upstream(calls)).toEqual(
      overTransport(['POST /connectors/KnEmployee 201', 'GET /connectors/Profit_Employees 200']),
    );
    // Rooted as AFAS's KnEmployee examples are.
    expect(calls.find((c) => c.method === 'POST')?.bodyRoot).toBe('AfasEmployee');
  });

  it('turns the old salary account off and adds a new one in one PUT, as AFAS’s @Action example does', async () => {
    const employee = h.data.employees.find((e) => e.employeeId === '1234568774')!;
    expect(salaryIban(employee)).toBe('NL57RABO0312000111');
    const { result, calls } = await h.run(
      `mutation ($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { employeeId iban } }`,
      {
        input: {
          employeeId: '1234568774',
          bankAccounts: [
            {
              action: 'UPDATE',
              accountNumber: 'NL57RABO0312000111',
              noBank: false,
              sequence: 3,
              salaryAccount: false,
            },
            {
              action: 'INSERT',
              accountNumber: 'NL40BOTK0755026802',
              noBank: false,
              salaryAccount: true,
              checkIban: true,
              iban: 'NL40BOTK0755026802',
            },
          ],
        },
      },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ updateEmployee: { employeeId: '1234568774', iban: 'NL40BOTK0755026802' } });
    expect(upstream(calls)).toEqual(
      overTransport(['PUT /connectors/KnEmployee 201', 'GET /connectors/Profit_Employees 200']),
    );
    // The write's body (a PUT over REST, SOAP's Execute over SOAP) is rooted as AFAS's example is.
    expect(calls.find((c) => c.bodyRoot !== undefined)?.bodyRoot).toBe('AfasEmployee');
  });

  it('lets Profit refuse bank account changes that do not fit the accounts it has, writing nothing', async () => {
    const employee = h.data.employees.find((e) => salaryIban(e) !== null && e.employeeId !== '1234568774')!;
    const before = salaryIban(employee);
    const UPDATE = `mutation ($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { employeeId iban } }`;
    const cases: [Record<string, unknown>[], string][] = [
      [
        [{ action: 'UPDATE', accountNumber: 'NL91ABNA0417164300', salaryAccount: true }],
        `Bankrekening 'NL91ABNA0417164300' bestaat niet bij medewerker ${employee.employeeId}.`,
      ],
      [
        [{ action: 'INSERT', accountNumber: 'NL91ABNA0417164300', salaryAccount: true }],
        `Medewerker ${employee.employeeId} heeft meer dan één salarisrekening.`,
      ],
      [
        [{ action: 'INSERT', accountNumber: before, salaryAccount: true }],
        `Bankrekening '${before}' bestaat al bij medewerker ${employee.employeeId}.`,
      ],
    ];
    for (const [bankAccounts, message] of cases) {
      const { result, calls } = await h.run(UPDATE, { input: { employeeId: employee.employeeId, bankAccounts } });
      expect(only(result.errors).extensions).toMatchObject({ code: 'PROFIT_REJECTED', profitMessage: message });
      expect(upstream(calls)).toEqual(overTransport(['PUT /connectors/KnEmployee 500']));
      expect(salaryIban(h.data.employees.find((e) => e.employeeId === employee.employeeId)!)).toBe(before);
    }
    // Deleting the salary account leaves the employee without an IBAN.
    const { result } = await h.run(UPDATE, {
      input: { employeeId: employee.employeeId, bankAccounts: [{ action: 'DELETE', accountNumber: before }] },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ updateEmployee: { employeeId: employee.employeeId, iban: null } });
  });

  it('lets Profit refuse an IBAN that fails its check (IbCk), writing nothing', async () => {
    const employees = h.data.employees.length;
    const persons = h.data.persons.length;
    const { result, calls } = await h.run(CREATE_EMPLOYEE, {
      input: {
        person: { lastName: 'Visser' },
        contract: { startDate: '2026-04-01', employerId: employer() },
        bankAccounts: [{ accountNumber: 'NL91ABNA0417164301', salaryAccount: true, checkIban: true }],
      },
    });
    expect(only(result.errors).extensions).toMatchObject({
      code: 'PROFIT_REJECTED',
      profitMessage: "IBAN 'NL91ABNA0417164301' is ongeldig.",
    });
    expect(upstream(calls)).toEqual(overTransport(['POST /connectors/KnEmployee 500']));
    expect(h.data.employees).toHaveLength(employees);
    expect(h.data.persons).toHaveLength(persons);
  });

  it('changes simple fields and the schedule with a PUT on the employee number', async () => {
    const employee = h.data.employees[0]!;
    const { result, calls } = await h.run(
      `mutation ($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { employeeId hoursPerWeek blocked } }`,
      { input: { employeeId: employee.employeeId, blocked: false, schedule: { hoursPerWeek: '36' } } },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toMatchObject({ updateEmployee: { employeeId: employee.employeeId, hoursPerWeek: '36' } });
    expect(upstream(calls)).toEqual(
      overTransport(['PUT /connectors/KnEmployee 201', 'GET /connectors/Profit_Employees 200']),
    );
  });

  it('refuses a schedule with more decimals than Profit keeps', async () => {
    const employee = h.data.employees[0]!;
    const { result, calls } = await h.run(
      `mutation ($input: UpdateEmployeeInput!) { updateEmployee(input: $input) { employeeId } }`,
      { input: { employeeId: employee.employeeId, schedule: { hoursPerWeek: '36.125' } } },
    );
    expect(only(result.errors).extensions?.issues).toEqual([
      {
        path: ['input', 'schedule', 'hoursPerWeek'],
        rule: 'decimals',
        message: 'input.schedule.hoursPerWeek may have at most 2 decimals, got 36.125',
      },
    ]);
    expect(upstream(calls)).toEqual(overTransport([]));
  });
});

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const TEXT = Buffer.from('Verslag van het gesprek op 3 maart.\n\u00e9\u00e8 \u2014 ok\n', 'utf8');

async function attachmentsOf(dossierItemId: number) {
  const { rows } = await h.client().get('Profit_Subject_Attachments', {
    filter: [[{ field: 'subject_id', op: 'eq', value: dossierItemId }]],
    orderBy: [{ field: 'attachment_id' }],
  });
  return rows as { file_id: string; file_name: string }[];
}

describe('dossier items (KnSubject)', () => {
  const CREATE = `mutation ($input: CreateDossierItemInput!) {
    createDossierItem(input: $input) { dossierItemId typeId subject memo relationCode }
  }`;

  it('creates an item linked to an organisation with attachments that come back byte for byte', async () => {
    const organisation = h.data.organisations[0]!;
    const { result, calls } = await h.run(CREATE, {
      input: {
        typeId: 4,
        subject: 'Gesprek',
        memo: 'Notitie bij het gesprek',
        priority: 'HIGH',
        links: [{ toOrganisationOrPerson: true, organisationOrPersonId: organisation.bcCo }],
        attachments: [
          { fileName: 'logo.png', data: PNG.toString('base64') },
          { fileName: 'verslag.txt', data: TEXT.toString('base64') },
        ],
      },
    });
    expect(result.errors).toBeUndefined();
    const subject = h.data.subjects.at(-1)!;
    expect(result.data).toEqual({
      createDossierItem: {
        dossierItemId: String(subject.subjectId),
        typeId: 4,
        subject: 'Gesprek',
        memo: 'Notitie bij het gesprek',
        relationCode: organisation.bcCo,
      },
    });
    expect(upstream(calls)).toEqual(
      overTransport(['POST /connectors/KnSubject 201', 'GET /connectors/ProfitSubjects 200']),
    );
    const files = await attachmentsOf(subject.subjectId);
    expect(files.map((f) => f.file_name)).toEqual(['logo.png', 'verslag.txt']);
    expect((await h.client().subjectAttachment(subject.subjectId, files[0]!.file_id)).data.equals(PNG)).toBe(true);
    expect((await h.client().subjectAttachment(subject.subjectId, files[1]!.file_id)).data.equals(TEXT)).toBe(true);
  });

  it('links items to an employee and to a project', async () => {
    const employee = h.data.employees[0]!;
    const project = h.data.projects[0]!;
    const { result } = await h.run(CREATE, {
      input: {
        typeId: 4,
        subject: 'Koppelingen',
        links: [{ toEmployee: true, organisationOrPersonId: employee.personBcCo }, { projectId: project.projectId }],
      },
    });
    expect(result.errors).toBeUndefined();
    const links = h.data.subjects.at(-1)!.links;
    expect(links.map((l) => [l.kind, l.employeeId ?? l.projectId])).toEqual([
      ['employee', employee.employeeId],
      ['project', project.projectId],
    ]);
  });

  it('adds attachments through the sub-object URL KnSubject/KnSubjectAttachment', async () => {
    const subject = h.data.subjects[0]!;
    const count = subject.attachments.length;
    const { result, calls } = await h.run(
      `mutation ($id: ID!, $files: [DossierItemFileInput!]!) {
        addDossierItemAttachments(dossierItemId: $id, attachments: $files) { dossierItemId }
      }`,
      { id: String(subject.subjectId), files: [{ fileName: 'nagekomen.png', data: PNG.toString('base64') }] },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ addDossierItemAttachments: { dossierItemId: String(subject.subjectId) } });
    expect(upstream(calls)).toEqual(
      overTransport(['POST /connectors/KnSubject/KnSubjectAttachment 201', 'GET /connectors/ProfitSubjects 200']),
    );
    const stored = h.data.subjects[0]!.attachments;
    expect(stored).toHaveLength(count + 1);
    const file = await h.client().subjectAttachment(subject.subjectId, stored.at(-1)!.fileId);
    expect(file.data.equals(PNG)).toBe(true);
  });

  it('refuses a file that is not base64 and a file name over 255 characters, with no call', async () => {
    const { result, calls } = await h.run(CREATE, {
      input: {
        typeId: 4,
        subject: 'x',
        attachments: [{ fileName: `${'a'.repeat(252)}.pdf`, data: 'not base64!' }],
      },
    });
    expect(only(result.errors).extensions?.issues).toEqual([
      expect.objectContaining({ path: ['input', 'attachments', 0, 'fileName'], rule: 'max-length' }),
      expect.objectContaining({ path: ['input', 'attachments', 0, 'data'], rule: 'base64' }),
    ]);
    expect(upstream(calls)).toEqual(overTransport([]));
  });

  it('refuses an unknown dossier item type as BAD_USER_INPUT by the environment’s own table, with no call', async () => {
    const count = h.data.subjects.length;
    const { result, calls } = await h.run(CREATE, { input: { typeId: 12345, subject: 'x' } });
    expect(only(result.errors).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      issues: [{ path: ['input', 'typeId'], rule: 'one-of', value: '12345' }],
    });
    expect(upstream(calls)).toEqual(overTransport([]));
    expect(h.data.subjects).toHaveLength(count);
  });

  it('changes an item with a PUT on @SbId and deletes it with DELETE /KnSubject/KnSubject/@SbId/{id}', async () => {
    const subject = h.data.subjects[0]!;
    const updated = await h.run(
      `mutation ($input: UpdateDossierItemInput!) { updateDossierItem(input: $input) { dossierItemId subject } }`,
      { input: { dossierItemId: String(subject.subjectId), subject: 'Nieuw onderwerp' } },
    );
    expect(updated.result.data).toEqual({
      updateDossierItem: { dossierItemId: String(subject.subjectId), subject: 'Nieuw onderwerp' },
    });
    expect(upstream(updated.calls)).toEqual(
      overTransport(['PUT /connectors/KnSubject 201', 'GET /connectors/ProfitSubjects 200']),
    );

    const deleted = await h.run(`mutation ($id: ID!) { deleteDossierItem(dossierItemId: $id) { dossierItemId } }`, {
      id: String(subject.subjectId),
    });
    expect(deleted.result.data).toEqual({ deleteDossierItem: { dossierItemId: String(subject.subjectId) } });
    expect(upstream(deleted.calls)).toEqual(
      overTransport([`DELETE /connectors/KnSubject/KnSubject/@SbId/${subject.subjectId} 200`]),
    );
    expect(h.data.subjects.some((s) => s.subjectId === subject.subjectId)).toBe(false);
  });

  it('lets the hr user, whose app connector grants KnSubject, create an item', async () => {
    const { result } = await h.run(CREATE, { input: { typeId: 4, subject: 'Van HR' } }, { user: 'hr' });
    expect(result.errors).toBeUndefined();
    expect(h.data.subjects.at(-1)!.subject).toBe('Van HR');
  });
});

const LEAVE_FIELDS = 'leaveId employeeId leaveTypeId startDate endDate hours';

describe('leave (HrAbsenceID)', () => {
  const employee = () => h.data.employees[0]!;

  it('creates a booking and reads it back through Profit_Leaves', async () => {
    const { result, calls } = await h.run(
      `mutation ($input: CreateLeaveInput!) { createLeave(input: $input) { ${LEAVE_FIELDS} } }`,
      {
        input: { employeeId: employee().employeeId, leaveTypeId: 'V', start: '2026-07-06', end: '2026-07-10' },
      },
    );
    expect(result.errors).toBeUndefined();
    const leave = h.data.leaves.at(-1)!;
    expect(result.data).toEqual({
      createLeave: {
        leaveId: String(leave.id),
        employeeId: employee().employeeId,
        leaveTypeId: 'V',
        startDate: '2026-07-05T22:00:00.000Z',
        endDate: '2026-07-09T22:00:00.000Z',
        hours: 40,
      },
    });
    expect(upstream(calls)).toEqual(
      overTransport(['POST /connectors/HrAbsenceID 201', 'GET /connectors/Profit_Leaves 200']),
    );
  });

  it('changes a booking with a PUT of its Id and the changed fields', async () => {
    const leave = h.data.leaves[0]!;
    const { result, calls } = await h.run(
      `mutation ($input: UpdateLeaveInput!) { updateLeave(input: $input) { leaveId hours } }`,
      { input: { leaveId: String(leave.id), hours: 3 } },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ updateLeave: { leaveId: String(leave.id), hours: 3 } });
    expect(upstream(calls)).toEqual(
      overTransport(['PUT /connectors/HrAbsenceID 201', 'GET /connectors/Profit_Leaves 200']),
    );
  });

  it('deletes a booking with the multi-key URL @Id,@EmId', async () => {
    const leave = h.data.leaves[0]!;
    const { result, calls } = await h.run(
      `mutation ($id: ID!, $em: ID!) { deleteLeave(leaveId: $id, employeeId: $em) { leaveId employeeId } }`,
      { id: String(leave.id), em: leave.employeeId },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ deleteLeave: { leaveId: String(leave.id), employeeId: leave.employeeId } });
    expect(upstream(calls)).toEqual(
      overTransport([
        `DELETE /connectors/HrAbsenceID/HrAbsenceID/@Id,@EmId/${leave.id},${encodeURIComponent(leave.employeeId)} 200`,
      ]),
    );
    expect(h.data.leaves.some((l) => l.id === leave.id)).toBe(false);
  });

  it('answers PROFIT_REJECTED for a delete of a booking that does not exist', async () => {
    const { result } = await h.run(`mutation { deleteLeave(leaveId: "99999999", employeeId: "X") { leaveId } }`);
    expect(only(result.errors).extensions).toMatchObject({ code: 'PROFIT_REJECTED', connector: 'HrAbsenceID' });
  });

  it('creates several bookings in one POST and returns each, in the order given', async () => {
    const [a, b] = h.data.employees;
    const inputs = [
      { employeeId: a!.employeeId, leaveTypeId: 'V', start: '2026-08-03', end: '2026-08-07' },
      { employeeId: b!.employeeId, leaveTypeId: 'ADV', start: '2026-08-04', end: '2026-08-04' },
      { employeeId: a!.employeeId, leaveTypeId: 'V', start: '2026-08-10', end: '2026-08-11' },
    ];
    const before = h.data.leaves.length;
    const { result, calls } = await h.run(
      `mutation ($inputs: [CreateLeaveInput!]!) { createLeaves(inputs: $inputs) { ${LEAVE_FIELDS} } }`,
      { inputs },
    );
    expect(result.errors).toBeUndefined();
    const created = h.data.leaves.slice(before);
    expect(created).toHaveLength(3);
    const answered = (result.data as { createLeaves: { leaveId: string; employeeId: string; hours: number }[] })
      .createLeaves;
    expect(answered.map((l) => [l.leaveId, l.employeeId, l.hours])).toEqual([
      [String(created[0]!.id), a!.employeeId, 40],
      [String(created[1]!.id), b!.employeeId, 8],
      [String(created[2]!.id), a!.employeeId, 16],
    ]);
    expect(upstream(calls)).toEqual(
      overTransport(['POST /connectors/HrAbsenceID 201', 'GET /connectors/Profit_Leaves 200']),
    );
  });

  it('writes none of the bookings when Profit refuses one of them (one transaction)', async () => {
    const [a, b] = h.data.employees;
    const before = h.data.leaves.length;
    const { result, calls } = await h.run(
      `mutation ($inputs: [CreateLeaveInput!]!) { createLeaves(inputs: $inputs) { leaveId } }`,
      {
        inputs: [
          { employeeId: a!.employeeId, leaveTypeId: 'V', start: '2026-08-03', end: '2026-08-07' },
          { employeeId: b!.employeeId, leaveTypeId: 'XX', start: '2026-08-04', end: '2026-08-04' },
        ],
      },
    );
    expect(only(result.errors).extensions).toMatchObject({
      code: 'PROFIT_REJECTED',
      profitMessage: "Type verlof 'XX' bestaat niet.",
    });
    expect(upstream(calls)).toEqual(overTransport(['POST /connectors/HrAbsenceID 500']));
    expect(h.data.leaves).toHaveLength(before);
  });

  it('validates every element of a bulk create and names each by its index, with no call', async () => {
    const { result, calls } = await h.run(
      `mutation ($inputs: [CreateLeaveInput!]!) { createLeaves(inputs: $inputs) { leaveId } }`,
      {
        inputs: [
          { employeeId: '', leaveTypeId: 'V', start: '2026-08-03', end: '2026-08-07' },
          { employeeId: 'X', leaveTypeId: 'V', start: '2026-08-03', end: '2026-08-07', specialLeaveReason: '77' },
        ],
      },
    );
    expect(only(result.errors).extensions?.issues).toEqual([
      expect.objectContaining({ path: ['inputs', 0, 'employeeId'], rule: 'mandatory' }),
      expect.objectContaining({ path: ['inputs', 1, 'specialLeaveReason'], rule: 'one-of' }),
    ]);
    expect(upstream(calls)).toEqual(overTransport([]));
  });

  it('lets the hr user book leave', async () => {
    const { result } = await h.run(
      `mutation ($input: CreateLeaveInput!) { createLeave(input: $input) { leaveId } }`,
      { input: { employeeId: employee().employeeId, leaveTypeId: 'BV', start: '2026-09-01', end: '2026-09-01' } },
      { user: 'hr' },
    );
    expect(result.errors).toBeUndefined();
  });
});

describe('projects (PtProject)', () => {
  it('creates, changes and deletes a project', async () => {
    const organisation = h.data.organisations[0]!;
    const created = await h.run(
      `mutation ($input: CreateProjectInput!) {
        createProject(input: $input) { projectId description projectGroup organisationId }
      }`,
      {
        input: {
          projectGroup: 'CON',
          description: 'Verbouwing kantoor',
          organisationId: organisation.bcCo,
          contractSum: '125000.50',
          type: 'PROJECT',
          address: { country: 'NL', street: 'Stationsweg', houseNumber: 1, city: 'Leusden' },
        },
      },
    );
    expect(created.result.errors).toBeUndefined();
    const project = h.data.projects.at(-1)!;
    expect(project.contractSum).toBe('125000.50');
    expect(created.result.data).toEqual({
      createProject: {
        projectId: project.projectId,
        description: 'Verbouwing kantoor',
        projectGroup: 'CON',
        organisationId: organisation.bcCo,
      },
    });
    expect(upstream(created.calls)).toEqual(
      overTransport(['POST /connectors/PtProject 201', 'GET /connectors/Profit_Projects 200']),
    );

    const updated = await h.run(
      `mutation ($input: UpdateProjectInput!) { updateProject(input: $input) { projectId completed } }`,
      { input: { projectId: project.projectId, completed: true } },
    );
    expect(updated.result.data).toEqual({ updateProject: { projectId: project.projectId, completed: true } });

    const deleted = await h.run(`mutation ($id: ID!) { deleteProject(projectId: $id) { projectId } }`, {
      id: project.projectId,
    });
    expect(deleted.result.data).toEqual({ deleteProject: { projectId: project.projectId } });
    expect(upstream(deleted.calls)).toEqual(
      overTransport([`DELETE /connectors/PtProject/PtProject/@PrId/${project.projectId} 200`]),
    );
    expect(h.data.projects.some((p) => p.projectId === project.projectId)).toBe(false);
  });

  it('refuses an over-long description, too many decimals and an address without a country in one error', async () => {
    const count = h.data.projects.length;
    const { result, calls } = await h.run(
      `mutation ($input: CreateProjectInput!) { createProject(input: $input) { projectId } }`,
      {
        input: {
          projectGroup: 'CON',
          description: 'x'.repeat(101),
          contractSum: '12.345',
          address: { country: '', city: 'Leusden' },
        },
      },
    );
    const error = only(result.errors);
    expect(error.extensions?.code).toBe('BAD_USER_INPUT');
    expect(
      ((error.extensions?.issues ?? []) as { path: unknown; rule: string }[]).map((i) => [i.path, i.rule]),
    ).toEqual([
      [['input', 'description'], 'max-length'],
      [['input', 'contractSum'], 'decimals'],
      [['input', 'address', 'country'], 'mandatory'],
    ]);
    expect(upstream(calls)).toEqual(overTransport([]));
    expect(h.data.projects).toHaveLength(count);
  });

  it('answers PROFIT_REJECTED for deleting a project that dossier items refer to; it stays', async () => {
    const linked = h.data.subjects.flatMap((s) => s.links).find((l) => l.projectId)!;
    const { result } = await h.run(`mutation ($id: ID!) { deleteProject(projectId: $id) { projectId } }`, {
      id: linked.projectId,
    });
    expect(only(result.errors).extensions).toMatchObject({
      code: 'PROFIT_REJECTED',
      profitMessage: expect.stringMatching(/dossieritems/),
    });
    expect(h.data.projects.some((p) => p.projectId === linked.projectId)).toBe(true);
  });
});

/**
 * The naive subgraph `npm run bench:peers` measures the service against: what a team hand-writes over Profit with
 * Apollo Server. Each relation makes ONE Profit call per parent (no DataLoader, no batching), every answer goes
 * through plain `JSON.parse`, values are passed on as Profit sends them, and the caller's Authorization header is
 * forwarded as is. It covers only what the bench asks: the employee list, `Employee.person`, `.employer`, `.leaves`
 * and `_entities` for Employee.
 *
 *   PROFIT_BASE_URL=http://127.0.0.1:4010/ProfitRestServices PORT=0 node dist/bench/peers/naive-subgraph.js
 *
 * Prints `listening on <url>` once it accepts requests.
 */
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';

const BASE_URL = process.env.PROFIT_BASE_URL;
if (!BASE_URL) throw new Error('PROFIT_BASE_URL is required');

const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  type Query {
    employees(first: Int = 100): [Employee!]!
  }

  type Employee @key(fields: "employeeId") {
    employeeId: ID!
    name: String
    personId: String
    employerId: String
    departmentId: String
    department: String
    hoursPerWeek: Float
    dateInService: String
    person: Person
    employer: Organisation
    leaves(first: Int = 100): [Leave!]!
  }

  type Person {
    personId: ID!
    name: String
    dateOfBirth: String
  }

  type Organisation {
    organisationId: ID!
    employerId: String
    name: String
  }

  type Leave {
    leaveId: ID!
    hours: Int
    startDate: String
    endDate: String
    leaveType: String
  }
`);

interface Context {
  readonly authorization: string;
}
type Row = Record<string, unknown>;

/** One GetConnector call: `take` rows of `connector`, optionally where `field` equals `value`. */
async function rows(
  context: Context,
  connector: string,
  take: number,
  orderBy: string,
  where?: { field: string; value: string },
): Promise<Row[]> {
  let url = `${BASE_URL}/connectors/${connector}?skip=0&take=${take}&orderbyfieldids=${orderBy}`;
  if (where) {
    url += `&filterfieldids=${where.field}&filtervalues=${encodeURIComponent(where.value)}&operatortypes=1`;
  }
  const response = await fetch(url, { headers: { authorization: context.authorization } });
  const text = await response.text();
  if (!response.ok) throw new Error(`Profit answered ${response.status}`);
  return (JSON.parse(text) as { rows: Row[] }).rows;
}

const employee = (r: Row) => ({
  employeeId: r.EmployeeId,
  name: r.Name,
  personId: r.PersonId,
  employerId: r.EmployerId,
  departmentId: r.DepartmentId,
  department: r.Department,
  hoursPerWeek: r.HoursPerWeek,
  dateInService: r.DateInService,
});

const resolvers = {
  Query: {
    employees: async (_: unknown, args: { first: number }, context: Context) =>
      (await rows(context, 'Profit_Employees', args.first, 'EmployeeId')).map(employee),
  },
  Employee: {
    __resolveReference: async (ref: { employeeId: string }, context: Context) => {
      const [row] = await rows(context, 'Profit_Employees', 1, 'EmployeeId', {
        field: 'EmployeeId',
        value: ref.employeeId,
      });
      return row ? employee(row) : null;
    },
    person: async (parent: { personId: string | null }, _: unknown, context: Context) => {
      if (!parent.personId) return null;
      const [row] = await rows(context, 'Profit_Persons', 1, 'BcCo', { field: 'BcCo', value: parent.personId });
      return row ? { personId: row.BcCo, name: row.Name, dateOfBirth: row.DateBirth } : null;
    },
    employer: async (parent: { employerId: string | null }, _: unknown, context: Context) => {
      if (!parent.employerId) return null;
      const [row] = await rows(context, 'Profit_Organisations', 1, 'BcCo', {
        field: 'EmployerId',
        value: parent.employerId,
      });
      return row ? { organisationId: row.BcCo, employerId: row.EmployerId, name: row.Name } : null;
    },
    leaves: async (parent: { employeeId: string }, args: { first: number }, context: Context) =>
      (
        await rows(context, 'Profit_Leaves', args.first, 'LeaveId', { field: 'EmployeeId', value: parent.employeeId })
      ).map((r) => ({
        leaveId: r.LeaveId,
        hours: r.Hours,
        startDate: r.StartDate,
        endDate: r.EndDate,
        leaveType: r.LeaveDescr,
      })),
  },
};

const server = new ApolloServer<Context>({
  // biome-ignore lint/suspicious/noExplicitAny: hand-written resolvers, as a team writes them
  schema: buildSubgraphSchema({ typeDefs, resolvers: resolvers as any }),
});
const { url } = await startStandaloneServer(server, {
  listen: { port: Number(process.env.PORT ?? 0), host: '127.0.0.1' },
  context: async ({ req }) => ({ authorization: req.headers.authorization ?? '' }),
});
console.log(`listening on ${url}`);

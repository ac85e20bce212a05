/**
 * The operation the Playground opens with: a filtered, sorted page of employees with their person and employer
 * (two relations, each one batched GetConnector call for the whole page).
 */
export const EXAMPLE_QUERY = `# Active employees of two departments, newest first, with their person and employer.
# Run it with the ▶ button or Ctrl-Enter. The Authorization header below is sent to Profit as it is.
query ActiveEmployees {
  employees(
    where: { active: { eq: true }, departmentId: { in: ["CONS", "ICT"] } }
    orderBy: [{ field: dateInService, direction: DESC }]
    first: 10
  ) {
    edges {
      node {
        employeeId
        name
        function
        department
        dateInService
        person {
          personId
          firstName
          lastName
          mailWork
        }
        employer {
          organisationId
          name
          city
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
`;

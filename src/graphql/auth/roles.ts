/**
 * Role strings: what a GraphQL field needs from the caller's Profit grant. They are type-graphql `@Authorized`
 * roles, and their connector part is also the scope a router checks (`@requiresScopes`) and a JWT may carry:
 *
 * | role                                  | needs                                                   | scope                      |
 * | ------------------------------------- | ------------------------------------------------------- | -------------------------- |
 * | `profit:get:Profit_Employees`         | the GetConnector is granted                             | `profit:get:Profit_Employees` |
 * | `profit:get:Profit_Employees:Salary`  | …and its field `Salary` is in `metainfo/get/{id}`        | `profit:get:Profit_Employees` |
 * | `profit:update:KnPerson`              | the UpdateConnector is granted                          | `profit:update:KnPerson`   |
 *
 * Every role given to one `@Authorized` must hold (AND), unlike type-graphql's usual "any of".
 */

export const GET_PREFIX = 'profit:get:';
export const UPDATE_PREFIX = 'profit:update:';

export type Grant =
  | { readonly kind: 'get'; readonly connector: string; readonly field?: string }
  | { readonly kind: 'update'; readonly connector: string };

/** Connector and field ids: what Profit's own ids look like (letters, digits, `_`, `-`, `.`); never `:` or space. */
const ID = /^[A-Za-z0-9_.-]+$/;

function checkId(what: string, id: string): string {
  if (!ID.test(id)) throw new Error(`${what} '${id}' is not a Profit id (letters, digits, _ - .)`);
  return id;
}

/** The role "this GetConnector (and, with `field`, this field of it) is granted". */
export function getGrant(connector: string, field?: string): string {
  const base = `${GET_PREFIX}${checkId('GetConnector', connector)}`;
  return field === undefined ? base : `${base}:${checkId('field', field)}`;
}

/** The role "this UpdateConnector is granted". */
export function updateGrant(connector: string): string {
  return `${UPDATE_PREFIX}${checkId('UpdateConnector', connector)}`;
}

/** Reads a role string; throws for anything that is not one of the forms above (a typo must not pass silently). */
export function parseGrant(role: string): Grant {
  const m = /^profit:(get|update):([A-Za-z0-9_.-]+)(?::([A-Za-z0-9_.-]+))?$/.exec(role);
  if (!m) throw new Error(`'${role}' is not a Profit role: use getGrant() / updateGrant() (profit:get:<id>[:<field>])`);
  const [, kind, connector, field] = m as unknown as [string, 'get' | 'update', string, string | undefined];
  if (kind === 'update') {
    if (field !== undefined) throw new Error(`'${role}': an UpdateConnector role names no field`);
    return { kind, connector };
  }
  return field === undefined ? { kind, connector } : { kind, connector, field };
}

/** The scope a role corresponds to: the connector part (`profit:get:X`, `profit:update:X`). */
export function scopeOf(role: string): string {
  const g = parseGrant(role);
  return g.kind === 'get' ? getGrant(g.connector) : updateGrant(g.connector);
}

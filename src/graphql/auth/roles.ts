/**
 * Role strings: what a GraphQL field needs from the caller's Profit grant. They are type-graphql `@Authorized`
 * roles, and their connector part is also the scope a router checks (`@requiresScopes`) and a JWT may carry:
 *
 * | role                                  | needs                                                   | scope                      |
 * | ------------------------------------- | ------------------------------------------------------- | -------------------------- |
 * | `profit:get:Profit_Employees`         | the GetConnector is granted                             | `profit:get:Profit_Employees` |
 * | `profit:get:Profit_Employees:Salary`  | …and its field `Salary` is in `metainfo/get/{id}`        | `profit:get:Profit_Employees` |
 * | `profit:update:KnPerson`              | the UpdateConnector is granted                          | `profit:update:KnPerson`   |
 * | `profit:file:subject`                 | the SubjectConnector (`file`: FileConnector, `image`: ImageConnector) | `profit:file:subject` |
 * | `profit:report:<reportId>`            | the ReportConnector, for this report                    | `profit:report:<reportId>` |
 *
 * Every role given to one `@Authorized` must hold (AND), unlike type-graphql's usual "any of".
 *
 * The file and report roles have no counterpart in Profit's metainfo: `GET /metainfo` lists Get- and
 * UpdateConnectors only (inrichting.json), and the special connectors are switched on per app connector in Profit
 * itself ("AppConnectorSubject" on its Connectors tab, howto-bijlage-dossier.md). So a credential's grant allows
 * them and Profit decides (a refusal is FORBIDDEN), while a verified JWT must carry the scope. What a file or
 * report shows of GetConnector data needs that data's own roles as well (src/graphql/files/access.ts).
 */

export const GET_PREFIX = 'profit:get:';
export const UPDATE_PREFIX = 'profit:update:';
export const FILE_PREFIX = 'profit:file:';
export const REPORT_PREFIX = 'profit:report:';

/** Profit's four special connectors that serve files, by the name their scope uses. */
export type FileConnectorKind = 'subject' | 'file' | 'image' | 'report';

/** The kinds a `profit:file:<kind>` role names; reports go per report id (`profit:report:<id>`). */
const FILE_KINDS: ReadonlySet<string> = new Set(['subject', 'file', 'image']);

export type Grant =
  | { readonly kind: 'get'; readonly connector: string; readonly field?: string }
  | { readonly kind: 'update'; readonly connector: string }
  /** `connector` is the file connector kind: `subject`, `file` or `image`. */
  | { readonly kind: 'file'; readonly connector: string }
  /** `connector` is the report id. */
  | { readonly kind: 'report'; readonly connector: string };

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

/** The role "this file connector (`subject`, `file`, `image`) may be called". */
export function fileGrant(kind: Exclude<FileConnectorKind, 'report'>): string {
  if (!FILE_KINDS.has(kind)) throw new Error(`'${kind}' is not a file connector kind (subject, file, image)`);
  return `${FILE_PREFIX}${kind}`;
}

/** The role "this report may be rendered" (ReportConnector, per report id). */
export function reportGrant(reportId: string): string {
  return `${REPORT_PREFIX}${checkId('report id', reportId)}`;
}

/** Reads a role string; throws for anything that is not one of the forms above (a typo must not pass silently). */
export function parseGrant(role: string): Grant {
  const m = /^profit:(get|update|file|report):([A-Za-z0-9_.-]+)(?::([A-Za-z0-9_.-]+))?$/.exec(role);
  if (!m) throw new Error(`'${role}' is not a Profit role: use getGrant() / updateGrant() (profit:get:<id>[:<field>])`);
  const [, kind, connector, field] = m as unknown as [string, Grant['kind'], string, string | undefined];
  if (kind !== 'get') {
    if (field !== undefined) throw new Error(`'${role}': only a GetConnector role names a field`);
    if (kind === 'file' && !FILE_KINDS.has(connector)) {
      throw new Error(`'${role}': a file role names subject, file or image`);
    }
    return { kind, connector };
  }
  return field === undefined ? { kind, connector } : { kind, connector, field };
}

/** The scope a role corresponds to: the connector part (`profit:get:X`, `profit:update:X`, the role itself else). */
export function scopeOf(role: string): string {
  const g = parseGrant(role);
  return g.kind === 'get' ? getGrant(g.connector) : `profit:${g.kind}:${g.connector}`;
}

/** The scope prefix of a grant kind (`profit:get:` …). */
export function scopePrefix(kind: Grant['kind']): string {
  return `profit:${kind}:`;
}

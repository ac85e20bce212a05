/**
 * Authorization: what each caller may read and write, from what Profit grants the caller's credential.
 *
 * ## The rule
 * A GraphQL field is readable when its GetConnector is granted and its connector field is present for the
 * credential; a mutation is allowed when its UpdateConnector is granted. The grant comes from Profit itself —
 * `GET /metainfo` (granted connectors) and `GET /metainfo/get/{id}` (a connector's fields) — cached per credential
 * fingerprint for `PERMISSIONS_TTL_SECONDS` (permissions.ts). In service mode a verified JWT's scopes narrow it
 * further (request.ts).
 *
 * ## Declaring what a field needs
 * Roles are strings (roles.ts): `profit:get:<GetConnector>`, `profit:get:<GetConnector>:<field>`,
 * `profit:update:<UpdateConnector>`, `profit:file:<subject|file|image>`, `profit:report:<reportId>`; all roles of
 * one field must hold. Declare them with `requireGrant`, which records them as the field's `profitRoles` extension
 * (the registry of guard.ts: decided once per operation, see there) and applies `@requiresScopes` (printed in the
 * SDL for a router):
 *
 * ```ts
 * import { requireGrant } from '../auth/index.js';
 *
 * @Mutation(() => Person, { nullable: true })
 * @requireGrant({ updateConnector: 'KnPerson' })
 * updatePerson(@Arg('input') input: UpdatePersonInput, @Ctx() ctx: RequestContext) { … }
 *
 * @FieldResolver(() => FileContent, { nullable: true })
 * @requireGrant({ getConnector: 'Profit_Subject_Attachments', fields: ['file_id'] })
 * content(@Root() a: DossierItemAttachment, @Ctx() ctx: RequestContext) { … }
 * ```
 *
 * `@Authorized(getGrant('X'), getGrant('X', 'F'))` / `@Authorized(updateGrant('KnPerson'))` work too (read into
 * the same registry; on a resolver method type-graphql's own check also runs), but without `@requiresScopes` a
 * router cannot see them and `me { operations }` does not list them.
 *
 * Model classes need nothing: `@Entity` / `@Bound` / `@Relation` declare their roles (binding.ts), root queries and
 * relations theirs (resolvers.ts), and `_entities` checks the entity's connector before loading (schema.ts).
 *
 * ## What a denial looks like
 * The field resolves to null with a FORBIDDEN error whose message names the connector (and field) and whose
 * extensions carry `reason` (`not-granted`, `field-not-granted`, `scope-missing`), `connector`, `field`, `scope`.
 * Its resolver does not run, so Profit is not called; the rest of the response is returned. Every GetConnector call
 * is also checked just before it is sent (loaders.ts), including the fields it filters and sorts on.
 *
 * Code that calls Profit outside the loaders (writes, files) should pass failures to `ctx.auth.observe(error)`, so an
 * answer that contradicts the cached grant refreshes it.
 *
 * ## File connectors and reports
 * Profit's metainfo does not list the Subject-, File-, Image- and ReportConnectors. Their roles are allowed by the
 * credential's grant until Profit refuses one (then `ctx.auth.refuse(role)` keeps that with the grant), and narrowed
 * by a JWT's scopes like any other. Every path to them goes through src/graphql/files/access.ts, which adds what
 * the content shows of GetConnector data (a report's source and the fields its `where` names).
 */
import { PermissionStore } from './permissions.js';

export {
  type AuthorizedContext,
  type GrantRequirement,
  profitAuthChecker,
  requireGrant,
  requiresAnyScopesDirective,
  rolesFor,
} from './checker.js';
export { Access, AccessResolver, OperationAccess, requiredScopes, TypeAccess, TypeAccessResolver } from './me.js';
export {
  type ConnectorFields,
  type CredentialGrants,
  PermissionStore,
  type PermissionStoreOptions,
  type PermissionStoreStats,
  type SharedGrantCache,
  type VerificationStats,
} from './permissions.js';
export { type Denial, RequestAuthorization } from './request.js';
export {
  FILE_PREFIX,
  type FileConnectorKind,
  fileGrant,
  GET_PREFIX,
  type Grant,
  getGrant,
  parseGrant,
  REPORT_PREFIX,
  reportGrant,
  scopeOf,
  UPDATE_PREFIX,
  updateGrant,
} from './roles.js';

let shared: PermissionStore | undefined;

/**
 * The process-wide grant cache used when a request context is created without one (the service passes its own,
 * configured with `PERMISSIONS_TTL_SECONDS`). Partitioned per credential fingerprint.
 */
export function defaultPermissionStore(): PermissionStore {
  shared ??= new PermissionStore();
  return shared;
}

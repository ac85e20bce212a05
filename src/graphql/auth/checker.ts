/**
 * The decorator that declares what a field needs, and type-graphql's auth checker.
 *
 * `requireGrant` applies two things at once: the Profit roles as the field's `profitRoles` extension (the registry
 * of guard.ts, enforced once per operation) and `@requiresScopes` with the matching scopes (printed in the subgraph
 * SDL, so a router can refuse the same fields before planning).
 */
import { GraphQLError } from 'graphql';
import { type AuthCheckerFn, Directive, Extensions } from 'type-graphql';
import { checkFailure, OBSERVE_EXTENSION, ROLES_EXTENSION } from './guard.js';
import type { RequestAuthorization } from './request.js';
import { fileGrant, getGrant, scopeOf, updateGrant } from './roles.js';

/** What a field needs; every part given must hold. */
export interface GrantRequirement {
  /** A GetConnector the caller's app connector must grant. */
  readonly getConnector?: string;
  /** With `getConnector`: fields of it that must be present (`metainfo/get/{id}`). */
  readonly fields?: readonly string[];
  /** An UpdateConnector the caller's app connector must grant. */
  readonly updateConnector?: string;
  /** A file connector the field calls (`profit:file:<kind>`; see roles.ts for what decides it). */
  readonly fileConnector?: 'subject' | 'file' | 'image';
}

/** The role strings for a requirement (see roles.ts). */
export function rolesFor(requirement: GrantRequirement): string[] {
  const roles: string[] = [];
  if (requirement.getConnector !== undefined) {
    roles.push(getGrant(requirement.getConnector));
    for (const f of requirement.fields ?? []) roles.push(getGrant(requirement.getConnector, f));
  } else if (requirement.fields?.length) {
    throw new Error('requireGrant: `fields` needs `getConnector`');
  }
  if (requirement.updateConnector !== undefined) roles.push(updateGrant(requirement.updateConnector));
  if (requirement.fileConnector !== undefined) roles.push(fileGrant(requirement.fileConnector));
  if (roles.length === 0) throw new Error('requireGrant: name a getConnector, an updateConnector or a fileConnector');
  return roles;
}

/** `@requiresScopes(scopes: [["profit:get:X", …]])`: one AND-set of the roles' connector scopes. */
export function requiresScopesDirective(roles: readonly string[]): string {
  return requiresAnyScopesDirective([roles]);
}

/**
 * `@requiresScopes(scopes: [[…], […]])`: any one of several AND-sets (a router lets the field through when the
 * token carries every scope of at least one set).
 */
export function requiresAnyScopesDirective(alternatives: readonly (readonly string[])[]): string {
  if (alternatives.length === 0) throw new Error('requiresScopes: give at least one set of roles');
  const sets = alternatives.map((roles) => [...new Set(roles.map(scopeOf))]);
  return `@requiresScopes(scopes: [${sets.map((set) => `[${set.map((s) => JSON.stringify(s)).join(', ')}]`).join(', ')}])`;
}

/**
 * Declares what a query, mutation or object field needs from the caller's Profit grant:
 *
 * ```ts
 * @Mutation(() => Person)
 * @requireGrant({ updateConnector: 'KnPerson' })
 * updatePerson(...) {}
 *
 * @FieldResolver(() => String)
 * @requireGrant({ getConnector: 'Profit_Subject_Attachments', fields: ['file_id'] })
 * content(...) {}
 * ```
 *
 * A denied field resolves to null with a FORBIDDEN error naming the connector (and field); its resolver does not
 * run, so Profit is not called. Give the field a nullable type, or the null spreads to its parent.
 */
export function requireGrant(requirement: GrantRequirement): MethodDecorator & PropertyDecorator {
  const roles = rolesFor(requirement);
  // A failure of the field is shown to the request's authorization (guard.ts `observing`), so an answer such as
  // "UpdateConnector not supported for this app" (the grant changed since it was cached) drops the cached grant.
  const extensions = Extensions({ [ROLES_EXTENSION]: roles, [OBSERVE_EXTENSION]: true });
  const directive = Directive(requiresScopesDirective(roles));
  return (target: object, key: string | symbol, descriptor?: PropertyDescriptor) => {
    extensions(target, key, descriptor as PropertyDescriptor);
    directive(target, key, descriptor as PropertyDescriptor);
  };
}

/** The part of a request context the checker needs. */
export interface AuthorizedContext {
  readonly auth?: RequestAuthorization;
}

/**
 * type-graphql's auth checker, for `@Authorized` used directly (bound fields, binding.ts). The schema build replaces
 * those fields' resolvers with guard.ts's, so it runs only for a field that escaped the registry: every role must
 * hold for the caller. A denial throws FORBIDDEN (naming what is
 * missing) rather than returning false, since type-graphql's own error could not say which connector. A context
 * without `auth` is refused: enforcement fails closed.
 */
export const profitAuthChecker: AuthCheckerFn<AuthorizedContext> = async ({ context }, roles) => {
  const auth = context?.auth;
  if (auth === undefined) {
    throw new GraphQLError('This request has no Profit authorization context', {
      extensions: { code: 'FORBIDDEN', reason: 'no-context' },
    });
  }
  try {
    const pending = auth.require(roles);
    if (pending) await pending;
  } catch (error) {
    // A failed lookup gets its code like any Profit failure, naming the connector (guard.ts).
    throw checkFailure(auth, error, roles);
  }
  return true;
};

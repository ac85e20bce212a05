/**
 * Several Profit environments in one deployment (issue 14 §3, docs/tenants.md): which tenant a request is for.
 *
 * A request names its tenant by one sign, chosen by `PROFIT_TENANT_BY`: a header (`x-profit-environment`), its
 * `Host`, or a verified JWT's claim. Whatever the mode, every sign a request carries must agree:
 *
 * - a verified JWT that carries the tenant claim binds its caller to that tenant; a header or host naming another
 *   is refused (`TENANT_MISMATCH`), so a header can never move a JWT-bound caller to another environment;
 * - in `host` and `jwt` mode, a tenant header, when sent, must name the same tenant too.
 *
 * With a JWT key (`JWT_*`), every tenant is in service mode: a caller that reaches a tenant uses that tenant's own
 * Profit credential. A verified JWT without the claim is then refused in every mode (`TENANT_REQUIRED`): a token
 * that binds its caller to no tenant would otherwise open every tenant's credential by a header or host name.
 *
 * No sign → `TENANT_REQUIRED`; a name (or host) that no tenant has → `UNKNOWN_TENANT`. Both are answered before any
 * Profit call, and there is no default tenant: a request that forgot its header must not reach the first
 * customer's environment. The answer never lists the tenants served.
 */
import type { Config, Tenant, TenantsConfig } from '../config/index.js';

export type TenantRefusal = {
  readonly kind: 'refused';
  readonly code: 'TENANT_REQUIRED' | 'UNKNOWN_TENANT' | 'TENANT_MISMATCH';
  readonly status: 400 | 403;
  readonly message: string;
};

export type TenantChoice = { readonly kind: 'tenant'; readonly tenant: Tenant } | TenantRefusal;

/** What a request says of its tenant. */
export interface TenantSigns {
  /** The tenant header's value (`PROFIT_TENANT_HEADER`). */
  readonly header?: string | undefined;
  /** The `Host` header. */
  readonly host?: string | undefined;
  /** A verified JWT's tenant claim (`PROFIT_TENANT_CLAIM`), when the token carries one. */
  readonly claim?: unknown;
  /** Whether the request's JWT was verified (a JWT key is configured): it must then carry the claim. */
  readonly jwt?: boolean;
}

/** A `Host` value's host name: lower-case, without the port; undefined when it is not one. */
export function hostName(host: string | undefined): string | undefined {
  const value = host?.trim().toLowerCase();
  if (value === undefined || value === '') return undefined;
  const name = value.startsWith('[') ? value.slice(0, value.indexOf(']') + 1) : value.replace(/:\d*$/, '');
  return name === '' ? undefined : name;
}

/** A name as a message shows it: quoted, cut, one line (a header value is the caller's text). */
const shown = (value: string) => JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);

const refused = (code: TenantRefusal['code'], message: string): TenantRefusal => ({
  kind: 'refused',
  code,
  status: code === 'TENANT_MISMATCH' ? 403 : 400,
  message,
});

/** The tenant a request is for, from its signs (pure). */
export function chooseTenant(tenants: TenantsConfig, signs: TenantSigns): TenantChoice {
  const header = signs.header?.trim() || undefined;
  const claim = signs.claim;
  if (claim !== undefined && typeof claim !== 'string') {
    return refused('UNKNOWN_TENANT', `The JWT's ${tenants.claim} claim must be a tenant's name`);
  }
  // Each sign the request carries, in the order that decides which one a message names.
  const said: { readonly by: string; readonly name: string }[] = [];
  if (claim !== undefined) said.push({ by: `the JWT's ${tenants.claim} claim`, name: claim });
  if (tenants.by === 'host') {
    const host = hostName(signs.host);
    if (host !== undefined) {
      const tenant = tenants.list.find((t) => t.hosts.includes(host));
      if (tenant === undefined) return refused('UNKNOWN_TENANT', `No Profit environment is served on ${shown(host)}`);
      said.push({ by: `the host ${host}`, name: tenant.name });
    }
  }
  if (header !== undefined) said.push({ by: `the ${tenants.header} header`, name: header });
  const [first, ...others] = said;
  if (first === undefined) {
    const how =
      tenants.by === 'header'
        ? `send the ${tenants.header} header`
        : tenants.by === 'host'
          ? 'call the host name of your Profit environment'
          : `send a JWT with the ${tenants.claim} claim`;
    return refused('TENANT_REQUIRED', `This service serves several Profit environments: ${how}`);
  }
  const other = others.find((s) => s.name !== first.name);
  if (other !== undefined) {
    return refused('TENANT_MISMATCH', `${capitalized(other.by)} names another Profit environment than ${first.by}`);
  }
  if ((tenants.by === 'jwt' || signs.jwt === true) && claim === undefined) {
    return refused(
      'TENANT_REQUIRED',
      `This service serves several Profit environments: send a JWT with the ${tenants.claim} claim`,
    );
  }
  const tenant = tenants.list.find((t) => t.name === first.name);
  if (tenant === undefined)
    return refused('UNKNOWN_TENANT', `No Profit environment ${shown(first.name)} is served here`);
  return { kind: 'tenant', tenant };
}

const capitalized = (text: string) => `${text.charAt(0).toUpperCase()}${text.slice(1)}`;

/**
 * The configuration one environment runs with: the service's, with the tenant's Profit settings in place of the
 * first tenant's. Everything below the server (the connection, the credential, downloads) reads only these.
 */
export function tenantConfig(config: Config, tenant: Tenant): Config {
  return { ...config, target: tenant.target, credential: tenant.credential, profit: tenant.profit };
}

/** The environments a service runs: each tenant's configuration in order, or the one configuration as it is. */
export function environmentConfigs(config: Config): readonly Config[] {
  return config.tenants ? config.tenants.list.map((t) => tenantConfig(config, t)) : [config];
}

/**
 * Chooses among a service's environments: with one (no tenants), always it, whatever the request says; with
 * tenants, the one its signs name, or the refusal.
 */
export function createTenantChooser<E extends { readonly tenant: string | undefined }>(
  tenants: TenantsConfig | undefined,
  environments: readonly E[],
): (signs: TenantSigns) => E | TenantRefusal {
  const [only] = environments;
  if (tenants === undefined) {
    if (only === undefined || environments.length !== 1) throw new Error('one environment without tenants');
    return () => only;
  }
  const byName = new Map(environments.map((e) => [e.tenant, e]));
  return (signs) => {
    const choice = chooseTenant(tenants, signs);
    if (choice.kind === 'refused') return choice;
    const environment = byName.get(choice.tenant.name);
    if (environment === undefined) throw new Error(`tenant ${choice.tenant.name} has no environment`);
    return environment;
  };
}

/**
 * Whether a download request may open a ticket minted for `ticketTenant`: a request that names a tenant (its
 * header, or in `host` mode a tenant's host) must name that one. A request that names none (a browser following a
 * link sends no header; a link on PUBLIC_URL's host) opens it in the ticket's own environment, the only one the
 * ticket can reach.
 */
export function ticketRefusal(
  tenants: TenantsConfig,
  ticketTenant: string,
  signs: Pick<TenantSigns, 'header' | 'host'>,
): TenantRefusal | undefined {
  const header = signs.header?.trim() || undefined;
  const host = tenants.by === 'host' ? hostName(signs.host) : undefined;
  const byHost = host === undefined ? undefined : tenants.list.find((t) => t.hosts.includes(host))?.name;
  if ((header === undefined || header === ticketTenant) && (byHost === undefined || byHost === ticketTenant)) {
    return undefined;
  }
  return refused(
    'TENANT_MISMATCH',
    'This download link was issued for another Profit environment than this request names',
  );
}

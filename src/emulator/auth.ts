/**
 * Authentication: classic AfasTokens (`Authorization: AfasToken <base64 of the token XML>`) and OAuth 2 client
 * credentials (`POST /ProfitRestServices/oauth/token`, then `Authorization: Bearer <access_token>`).
 * A token identifies one user of one app connector; the app connector decides what the token may call.
 */
import { randomBytes } from 'node:crypto';
import type { AppConnectorDef, Company, DemoUser } from './company/types.js';

export interface Principal {
  readonly app: AppConnectorDef;
  readonly user: DemoUser;
  /** Epoch ms at which the token stops working; undefined for classic tokens (they do not expire). */
  readonly expiresAt?: number;
}

/** The token XML of authentication.md, base64-encoded, ready for the `Authorization` header. */
export function afasTokenHeader(tokenData: string): string {
  const xml = `<token><version>1</version><data>${tokenData}</data></token>`;
  return `AfasToken ${Buffer.from(xml, 'utf8').toString('base64')}`;
}

const TOKEN_XML = /^\s*<token>\s*<version>\s*1\s*<\/version>\s*<data>\s*([0-9A-Fa-f]+)\s*<\/data>\s*<\/token>\s*$/;

/** The `<data>` of a base64-encoded token XML, or undefined when it is not one. */
export function parseAfasToken(base64: string): string | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return undefined;
  const m = TOKEN_XML.exec(Buffer.from(base64, 'base64').toString('utf8'));
  return m?.[1];
}

interface IssuedToken {
  readonly appId: string;
  readonly userName: string;
  readonly expiresAt: number;
}

/** Issued OAuth access tokens, checked against the emulator clock. */
export class TokenStore {
  private readonly tokens = new Map<string, IssuedToken>();

  constructor(
    private readonly now: () => number,
    /** @default 3600 s */
    private readonly lifetimeSeconds: number,
  ) {}

  issue(app: AppConnectorDef, userName: string): { accessToken: string; expiresIn: number } {
    const accessToken = randomBytes(32).toString('base64url');
    this.tokens.set(accessToken, {
      appId: app.id,
      userName,
      expiresAt: this.now() + this.lifetimeSeconds * 1000,
    });
    return { accessToken, expiresIn: this.lifetimeSeconds };
  }

  lookup(accessToken: string): IssuedToken | undefined {
    const t = this.tokens.get(accessToken);
    if (!t) return undefined;
    if (this.now() >= t.expiresAt) {
      this.tokens.delete(accessToken);
      return undefined;
    }
    return t;
  }
}

/**
 * Resolves the `Authorization` header to a principal; undefined → 401. The scheme is matched case-insensitively
 * (RFC 9110); the token's hex data case-insensitively too (unconfirmed).
 */
export function authenticate(header: string | undefined, company: Company, tokens: TokenStore): Principal | undefined {
  if (!header) return undefined;
  const m = /^(\S+)\s+(\S+)\s*$/.exec(header);
  if (!m) return undefined;
  const [, scheme = '', credential = ''] = m;
  if (scheme.toLowerCase() === 'afastoken') {
    const data = parseAfasToken(credential)?.toUpperCase();
    if (!data) return undefined;
    for (const app of company.appConnectors) {
      const user = app.users.find((u) => u.tokenData.toUpperCase() === data);
      if (user) return { app, user };
    }
    return undefined;
  }
  if (scheme.toLowerCase() === 'bearer') {
    const t = tokens.lookup(credential);
    if (!t) return undefined;
    const app = company.appConnectors.find((a) => a.id === t.appId);
    const user = app?.users.find((u) => u.name === t.userName);
    return app && user ? { app, user, expiresAt: t.expiresAt } : undefined;
  }
  return undefined;
}

/** Finds the app connector and user of an OAuth client; undefined when the id or secret is wrong. */
export function findOAuthClient(
  company: Company,
  clientId: string,
  clientSecret: string,
): { app: AppConnectorDef; user: DemoUser } | undefined {
  for (const app of company.appConnectors) {
    const client = app.oauthClients.find((c) => c.clientId === clientId);
    if (!client) continue;
    if (client.clientSecret !== clientSecret) return undefined;
    const user = app.users.find((u) => u.name === client.user);
    return user ? { app, user } : undefined;
  }
  return undefined;
}

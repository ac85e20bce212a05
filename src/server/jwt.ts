/**
 * Service mode behind a router: the router authenticates its callers and forwards their JWT (`Authorization:
 * Bearer …`). When a key is configured (`JWT_JWKS_URL`, `JWT_PUBLIC_KEY` or `JWT_SECRET`), every request that
 * touches Profit needs a JWT that verifies (signature, `exp`/`nbf`, and `iss`/`aud` when configured), and its
 * scopes narrow what the service credential's app connector grants: a field needs both.
 *
 * Scopes are read from `scope` (space-separated, RFC 8693) or `scp` (an array or a string). A token without either
 * claim does not narrow (it only authenticates); a token whose `scope` lists no `profit:` scope narrows to nothing.
 */
import { createPublicKey } from 'node:crypto';
import { createRemoteJWKSet, type JWTPayload, type JWTVerifyGetKey, jwtVerify, type KeyObject } from 'jose';
import type { JwtConfig } from '../config/index.js';

export type JwtResult =
  | {
      readonly kind: 'verified';
      readonly scopes: readonly string[] | undefined;
      readonly subject?: string;
      /** The tenant claim's value (`PROFIT_TENANT_CLAIM`, docs/tenants.md) when asked for and present. */
      readonly tenant?: unknown;
    }
  | { readonly kind: 'missing' | 'invalid'; readonly message: string };

export type JwtVerifier = (authorization: string | undefined) => Promise<JwtResult>;

const BEARER = /^Bearer +([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]*)$/i;

/** The scopes a payload carries, or `undefined` when it has no scope claim. */
export function scopesOf(payload: JWTPayload): string[] | undefined {
  const claim = payload.scope ?? payload.scp;
  if (claim === undefined) return undefined;
  if (Array.isArray(claim)) return claim.filter((s): s is string => typeof s === 'string');
  if (typeof claim === 'string') return claim.split(/\s+/).filter((s) => s !== '');
  return [];
}

/** `tenantClaim`: the claim that names a caller's tenant, read when present (several environments). */
export function createJwtVerifier(config: JwtConfig, tenantClaim?: string): JwtVerifier {
  let key: KeyObject | Uint8Array | JWTVerifyGetKey;
  let algorithms: string[] | undefined;
  if (config.jwksUrl !== undefined) {
    key = createRemoteJWKSet(new URL(config.jwksUrl));
  } else if (config.publicKey !== undefined) {
    key = createPublicKey(config.publicKey);
  } else if (config.secret !== undefined) {
    key = new TextEncoder().encode(config.secret);
    algorithms = ['HS256', 'HS384', 'HS512'];
  } else {
    throw new Error('createJwtVerifier: no key source');
  }
  const options = {
    ...(config.issuer !== undefined ? { issuer: config.issuer } : {}),
    ...(config.audience !== undefined ? { audience: config.audience } : {}),
    ...(algorithms ? { algorithms } : {}),
  };
  return async (authorization) => {
    const m = BEARER.exec(authorization?.trim() ?? '');
    if (!m) {
      return {
        kind: 'missing',
        message: 'This service needs a JWT from the deployment: send Authorization: Bearer <JWT>',
      };
    }
    try {
      const { payload } = await jwtVerify(m[1] as string, key as KeyObject, options);
      return {
        kind: 'verified',
        scopes: scopesOf(payload),
        ...(payload.sub !== undefined ? { subject: payload.sub } : {}),
        ...(tenantClaim !== undefined && payload[tenantClaim] !== undefined ? { tenant: payload[tenantClaim] } : {}),
      };
    } catch (error) {
      // jose's codes say why (expired, bad signature, wrong audience) without echoing the token.
      const code = (error as { code?: string }).code ?? 'ERR_JWT_INVALID';
      return { kind: 'invalid', message: `The JWT was not accepted (${code})` };
    }
  };
}

/**
 * Download tickets: what a `downloadUrl` carries instead of a credential. A ticket is the file's ref, the caller's
 * `Authorization` value (pass-through mode only), its tenant (several environments only) and an expiry, sealed
 * with AES-256-GCM under the service's key: opaque (nothing in it is readable without the key: the credential never
 * appears in a URL, a proxy's access log or a browser's history in clear text), tamper-proof (GCM's tag fails on
 * any changed byte), short-lived.
 *
 * Layout, base64url: version (1 byte) ‖ IV (12 random bytes) ‖ ciphertext ‖ tag (16 bytes). The version byte is
 * also authenticated (additional data), so a later format cannot be confused with this one.
 *
 * A ticket is a bearer capability until it expires: whoever holds the link can download that one file with the
 * issuing caller's rights. Hence the short default lifetime, `Cache-Control: no-store` on the answers, and no
 * logging of paths under /files/.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { FileRef } from '../graphql/files/index.js';

export interface TicketPayload {
  readonly ref: FileRef;
  /** The caller's `Authorization` value; absent in service mode (the service's own credential is used). */
  readonly authorization?: string;
  /** Expiry, epoch milliseconds. */
  readonly expiresAt: number;
  /**
   * The tenant whose Profit environment the link opens (several environments, docs/tenants.md); sealed with the
   * rest, so a link cannot be moved to another tenant. Absent with one environment.
   */
  readonly tenant?: string;
}

export type OpenedTicket =
  | { readonly ok: true; readonly payload: TicketPayload }
  | { readonly ok: false; readonly reason: 'malformed' | 'forged' | 'expired' };

const VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const AAD_PREFIX = 'profit-subgraph/file-ticket/v';
/** Longer than any ticket this service issues (a report filter fills at most ~2 kB of Profit's query string). */
const MAX_TICKET_CHARS = 16_384;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

function aad(version: number): Buffer {
  return Buffer.from(`${AAD_PREFIX}${version}`, 'utf8');
}

function checkKey(key: Buffer): void {
  if (key.length !== 32) throw new TypeError('a ticket key must be 32 bytes (AES-256)');
}

/** Seals a payload into a ticket (URL-safe text). */
export function sealTicket(payload: TicketPayload, key: Buffer): string {
  checkKey(key);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(VERSION));
  const body = {
    r: payload.ref,
    e: payload.expiresAt,
    ...(payload.authorization ? { a: payload.authorization } : {}),
    ...(payload.tenant !== undefined ? { t: payload.tenant } : {}),
  };
  const sealed = Buffer.concat([cipher.update(JSON.stringify(body), 'utf8'), cipher.final()]);
  return Buffer.concat([Buffer.from([VERSION]), iv, sealed, cipher.getAuthTag()]).toString('base64url');
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Opens a ticket: `forged` for any ticket this key did not seal (or that was changed), `expired` after its time. */
export function openTicket(ticket: string, key: Buffer, now: number = Date.now()): OpenedTicket {
  checkKey(key);
  if (ticket.length > MAX_TICKET_CHARS || !BASE64URL.test(ticket)) return { ok: false, reason: 'malformed' };
  const bytes = Buffer.from(ticket, 'base64url');
  if (bytes.length < 1 + IV_BYTES + TAG_BYTES + 2 || bytes[0] !== VERSION) return { ok: false, reason: 'malformed' };
  let json: unknown;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(1, 1 + IV_BYTES), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(aad(VERSION));
    decipher.setAuthTag(bytes.subarray(bytes.length - TAG_BYTES));
    const plain = Buffer.concat([
      decipher.update(bytes.subarray(1 + IV_BYTES, bytes.length - TAG_BYTES)),
      decipher.final(),
    ]);
    json = JSON.parse(plain.toString('utf8'));
  } catch {
    return { ok: false, reason: 'forged' };
  }
  // Authentic, so written by this service; the checks guard against a key shared with something else.
  if (!isRecord(json) || !isRecord(json.r) || typeof json.r.kind !== 'string' || typeof json.e !== 'number') {
    return { ok: false, reason: 'forged' };
  }
  if (json.e <= now) return { ok: false, reason: 'expired' };
  return {
    ok: true,
    payload: {
      ref: json.r as unknown as FileRef,
      expiresAt: json.e,
      ...(typeof json.a === 'string' ? { authorization: json.a } : {}),
      ...(typeof json.t === 'string' ? { tenant: json.t } : {}),
    },
  };
}

/** A fresh random key (tickets then open only in this process). */
export function randomTicketKey(): Buffer {
  return randomBytes(32);
}

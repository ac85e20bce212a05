/** The per-request context: the caller's Profit client and fresh loaders (nothing is shared between requests). */
import type { ProfitClient } from '../profit/index.js';
import { Loaders } from './loaders.js';

export interface RequestContext {
  /** The Profit client for this request's credential. */
  readonly client: ProfitClient;
  /** This request's loaders and GetConnector memo. */
  readonly loaders: Loaders;
}

/** A context for one GraphQL request: new loaders every time, so no row is served to another caller. */
export function createRequestContext(options: { client: ProfitClient }): RequestContext {
  return { client: options.client, loaders: new Loaders(options.client) };
}

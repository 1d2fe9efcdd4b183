import type { FormParams } from './form-body';
import type { MockBackend } from './mock-backend';
import { applyPatches, type AccountState, type ServerState } from './state';
import { Refusal, resourceMissing, unwrap, type StripeObject, type StripeReply } from './stripe-objects';

export interface RouteContext {
  method: string;
  path: string;
  /** The `:id`-style segments of the route, in order. */
  ids: string[];
  /** Form body for POST, query string otherwise (the SDK sends GET and DELETE params there). */
  params: FormParams;
  account: string | null;
  state: AccountState;
  /** Every account's state: connected accounts and the platform's own are the platform's. */
  server: ServerState;
  backend: MockBackend;
}

export type Handler = (ctx: RouteContext) => Promise<StripeReply>;

export interface Route {
  method: string;
  pattern: RegExp;
  handle: Handler;
}

/**
 * `route('GET', '/v1/customers/:id', handler)`. An id is never `search`, so that Stripe's search
 * endpoints are reported as not implemented instead of as a missing object called "search".
 */
export function route(method: string, template: string, handle: Handler): Route {
  const pattern = new RegExp(`^${template.replace(/:[a-z_]+/g, '(?!search(?:/|$))([^/]+)')}$`);
  return { method, pattern, handle };
}

export function findRoute(routes: Route[], method: string, path: string): { route: Route; ids: string[] } | undefined {
  for (const candidate of routes) {
    if (candidate.method !== method) continue;
    const match = candidate.pattern.exec(path);
    if (match) return { route: candidate, ids: match.slice(1).map(decodeURIComponent) };
  }
  return undefined;
}

/** The mock's answer for this account, with what this layer knows laid over it. */
export async function callMock(
  ctx: RouteContext,
  method: string,
  path: string,
  params: FormParams = {},
): Promise<StripeReply> {
  const reply = await ctx.backend.call(ctx.account, method, path, params);
  return { ...reply, body: applyPatches(ctx.state, reply.body) };
}

/** Hands the request to the mock unchanged. */
export const forward: Handler = (ctx) => callMock(ctx, ctx.method, ctx.path, ctx.params);

/** A live customer (the mock holds customers; deletions are ours), or a 404 refusal. */
export async function requireCustomer(ctx: RouteContext, id: string, param = 'customer'): Promise<StripeObject> {
  if (ctx.state.deletedCustomers.has(id)) throw new Refusal(resourceMissing('customer', id, param));
  const reply = await callMock(ctx, 'GET', `/v1/customers/${encodeURIComponent(id)}`);
  if (reply.status === 404) throw new Refusal(resourceMissing('customer', id, param));
  return unwrap(reply);
}

import { accountObject } from './account-object';
import { allObjects, COLLECTIONS, PAYMENT_METHODS, type Collection } from './collections';
import type { FormParams } from './form-body';
import { listObjects } from './list-query';
import { findRoute, requireCustomer, route, type Route, type RouteContext } from './routing';
import { ok, resourceMissing, type StripeReply } from './stripe-objects';

/**
 * Stripe's list and retrieve endpoints over seeded objects merged with what the server otherwise
 * holds. A retrieve that finds nothing seeded goes on to `others`' route for the path, if any,
 * so the mock-backed and our own objects answer as they always did.
 */
export function collectionRoutes(others: Route[]): Route[] {
  return [
    route('GET', '/v1/account', async ({ account, server }) => {
      if (!account) return ok(server.platformAccount);
      // Any Stripe-Account header is accepted elsewhere too: an unregistered one gets a default account.
      return ok(server.forAccount(null).seeded.get('account')?.get(account) ?? accountObject(account));
    }),
    route('GET', '/v1/customers/:id/payment_methods', async (ctx) => {
      const customer = ctx.ids[0]!;
      if (!ctx.state.seeded.get('customer')?.has(customer)) await requireCustomer(ctx, customer);
      const url = `/v1/customers/${customer}/payment_methods`;
      return listCollection(PAYMENT_METHODS, ctx, url, { ...ctx.params, customer });
    }),
    ...COLLECTIONS.flatMap((collection) => [
      route('GET', collection.path, (ctx) => listCollection(collection, ctx, collection.path, ctx.params)),
      route('GET', `${collection.path}/:id`, (ctx) => retrieve(collection, ctx, others)),
    ]),
  ];
}

async function listCollection(
  collection: Collection,
  ctx: RouteContext,
  url: string,
  params: FormParams,
): Promise<StripeReply> {
  // A connected account has no connected accounts of its own.
  const objects = collection.platformOnly && ctx.account ? [] : await allObjects(collection, ctx);
  return listObjects(url, objects, params, collection);
}

async function retrieve(collection: Collection, ctx: RouteContext, others: Route[]): Promise<StripeReply> {
  const id = ctx.ids[0]!;
  const state = collection.platformOnly ? ctx.server.forAccount(null) : ctx.state;
  const seeded = state.seeded.get(collection.object)?.get(id);
  if (seeded) return ok(seeded);
  const own = findRoute(others, 'GET', ctx.path);
  if (own) return own.route.handle({ ...ctx, ids: own.ids });
  const known = (await collection.known?.(ctx))?.find((item) => item.id === id);
  return known ? ok(known) : resourceMissing(collection.noun, id, 'id');
}

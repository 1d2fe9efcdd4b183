import { backfillObject, type ListedObject, type ListPage } from '../objects/backfill-objects';
import type { BackfillTypeProgress } from './backfill-run';
import {
  type BackfillContext,
  commitListingPage,
  listAll,
  recordPage,
  requestOptions,
  stripeCall,
} from './backfill-context';
import { estimateListingTotal } from './listing-estimate';

/**
 * Lists one object type of one account page by page from the listing's cursor, stores each page's
 * objects, then commits the page (cursor and counts) before asking for the next: a crash or a stop
 * loses at most the page in hand, which the next run lists again and finds unchanged.
 */
export async function importListing(
  context: BackfillContext,
  listing: BackfillTypeProgress,
  lowerBound: number | null,
): Promise<void> {
  const type = backfillObject(listing.object);
  const since = context.run.since === null ? null : Date.parse(context.run.since) / 1000;
  const where = `${listing.object}${listing.account ? ` of ${listing.account}` : ''}`;
  while (!listing.done) {
    context.signal.throwIfAborted();
    const requestedAt = Math.floor(Date.now() / 1000);
    const retriesBefore = context.retries;
    // Payment methods have no account-wide list: they are listed customer by customer.
    const listsCustomers = type.list === null;
    const list = type.list ?? backfillObject('customers').list!;
    const params = {
      limit: context.pageSize,
      ...(listing.cursor ? { starting_after: listing.cursor } : {}),
      ...(since !== null && !listsCustomers ? { created: { gte: since } } : {}),
    };
    const page: ListPage = await stripeCall(context, `listing ${where}`, () =>
      list(context.stripe, params, requestOptions(listing.account)),
    );
    const objects = listsCustomers ? await paymentMethodsOf(context, listing.account, page.data, since) : page.data;
    const recorded = await recordPage(context, listing.account, objects, requestedAt);
    const last = page.data.at(-1);
    const done = !page.has_more || !last;
    // For payment methods the share of customers listed stands for the share of payment methods.
    const estimate = estimateListingTotal({
      fetched: listing.fetched + objects.length,
      done,
      oldestCreated: typeof last?.created === 'number' ? last.created : null,
      listedFrom: context.listedFrom,
      lowerBound: since ?? lowerBound,
    });
    await commitListingPage(context, listing, {
      cursor: last?.id ?? listing.cursor,
      done,
      fetched: objects.length,
      appended: recorded.appended,
      unchanged: recorded.unchanged,
      retries: context.retries - retriesBefore,
      estimatedTotal: estimate,
    });
  }
}

/** Every payment method of these customers (all pages each), created since `since` when given. */
async function paymentMethodsOf(
  context: BackfillContext,
  account: string | null,
  customers: ListedObject[],
  since: number | null,
): Promise<ListedObject[]> {
  const found: ListedObject[] = [];
  for (const customer of customers) {
    const methods = await listAll(context, `listing payment methods of ${customer.id}`, (startingAfter) =>
      context.stripe.customers.listPaymentMethods(
        customer.id,
        { limit: context.pageSize, ...(startingAfter ? { starting_after: startingAfter } : {}) },
        requestOptions(account),
      ),
    );
    found.push(...methods.filter((method) => since === null || (method.created ?? 0) >= since));
  }
  return found;
}

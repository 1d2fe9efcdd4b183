import { backfillObject, type ListedObject, type ListPage } from '../objects/backfill-objects';
import type { BackfillTypeProgress } from './backfill-run';
import { type BackfillContext, recordPage, requestOptions, stripeCall } from './backfill-context';
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
    const fetched = listing.fetched + objects.length;
    // For payment methods the share of customers listed stands for the share of payment methods.
    const estimate = estimateListingTotal({
      fetched,
      done,
      oldestCreated: typeof last?.created === 'number' ? last.created : null,
      listedFrom: context.listedFrom,
      lowerBound: since ?? lowerBound,
    });
    const commit = {
      cursor: last?.id ?? listing.cursor,
      done,
      fetched: objects.length,
      appended: recorded.appended,
      unchanged: recorded.unchanged,
      retries: context.retries - retriesBefore,
      estimatedTotal: estimate,
    };
    const { stopRequested } = await context.runs.commitPage(context.run.id, listing.account, listing.object, commit);
    if (stopRequested) context.stop();
    Object.assign(listing, {
      cursor: commit.cursor,
      done,
      fetched,
      appended: listing.appended + recorded.appended,
      unchanged: listing.unchanged + recorded.unchanged,
      retries: listing.retries + commit.retries,
      estimatedTotal: estimate ?? listing.estimatedTotal,
      error: null,
    });
    context.onProgress(listing);
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
    let cursor: string | undefined;
    for (;;) {
      const page = (await stripeCall(context, `listing payment methods of ${customer.id}`, () =>
        context.stripe.customers.listPaymentMethods(
          customer.id,
          { limit: context.pageSize, ...(cursor ? { starting_after: cursor } : {}) },
          requestOptions(account),
        ),
      )) as unknown as ListPage;
      found.push(...page.data.filter((method) => since === null || (method.created ?? 0) >= since));
      cursor = page.data.at(-1)?.id;
      if (!page.has_more || !cursor) break;
    }
  }
  return found;
}

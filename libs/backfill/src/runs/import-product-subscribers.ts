import type { ListedObject, ListPage } from '../objects/backfill-objects';
import type { BackfillTypeProgress } from './backfill-run';
import { type BackfillContext, recordPage, requestOptions, stripeCall } from './backfill-context';
import { estimateListingTotal } from './listing-estimate';

/** Statuses in which a subscription gives access (the access read model's rule). */
const ENTITLING = new Set(['trialing', 'active', 'past_due']);

/**
 * A product link's import: the subscriptions that give access to the Stripe product (listed with
 * Stripe's default filter, which leaves out cancelled ones) and their customers, customers first.
 * Paged and committed like any listing, so it resumes the same way.
 */
export async function importProductSubscribers(
  context: BackfillContext,
  subscriptions: BackfillTypeProgress,
  customers: BackfillTypeProgress,
  lowerBound: number | null,
): Promise<void> {
  const product = context.run.stripeProductId!;
  const account = subscriptions.account;
  while (!subscriptions.done) {
    context.signal.throwIfAborted();
    const requestedAt = Math.floor(Date.now() / 1000);
    const retriesBefore = context.retries;
    const params = {
      limit: context.pageSize,
      ...(subscriptions.cursor ? { starting_after: subscriptions.cursor } : {}),
    };
    const page = (await stripeCall(context, `listing subscriptions to ${product}`, () =>
      context.stripe.subscriptions.list(params, requestOptions(account)),
    )) as unknown as ListPage;
    const matched = page.data.filter((sub) => ENTITLING.has(String(sub.status)) && productsOf(sub).includes(product));
    const customerIds = [
      ...new Set(matched.map((sub) => refId(sub.customer)).filter((id): id is string => id !== null)),
    ];
    const found: ListedObject[] = [];
    for (const id of customerIds) {
      const customer = (await stripeCall(context, `reading customer ${id}`, () =>
        context.stripe.customers.retrieve(id, {}, requestOptions(account)),
      )) as unknown as ListedObject;
      if (customer.deleted !== true) found.push(customer);
    }
    const recordedCustomers = await recordPage(context, account, found, requestedAt);
    const recordedSubscriptions = await recordPage(context, account, matched, requestedAt);
    const last = page.data.at(-1);
    const done = !page.has_more || !last;
    const retries = context.retries - retriesBefore;
    const estimate = estimateListingTotal({
      fetched: subscriptions.fetched + matched.length,
      done,
      oldestCreated: typeof last?.created === 'number' ? last.created : null,
      listedFrom: context.listedFrom,
      lowerBound,
    });
    for (const [listing, count, recorded, cursor] of [
      [customers, found.length, recordedCustomers, null],
      [subscriptions, matched.length, recordedSubscriptions, last?.id ?? subscriptions.cursor],
    ] as const) {
      const commit = {
        cursor,
        done,
        fetched: count,
        appended: recorded.appended,
        unchanged: recorded.unchanged,
        retries: listing === subscriptions ? retries : 0,
        estimatedTotal: listing === subscriptions ? estimate : done ? customers.fetched + count : null,
      };
      const { stopRequested } = await context.runs.commitPage(context.run.id, account, listing.object, commit);
      if (stopRequested) context.stop();
      Object.assign(listing, {
        cursor,
        done,
        fetched: listing.fetched + count,
        appended: listing.appended + recorded.appended,
        unchanged: listing.unchanged + recorded.unchanged,
        retries: listing.retries + commit.retries,
        estimatedTotal: commit.estimatedTotal ?? listing.estimatedTotal,
      });
      context.onProgress(listing);
    }
  }
}

function productsOf(subscription: ListedObject): string[] {
  const items = (subscription.items as { data?: { price?: unknown; plan?: unknown }[] } | undefined)?.data ?? [];
  return items.flatMap((item) => {
    const price = item.price as { product?: unknown } | undefined;
    const plan = item.plan as { product?: unknown } | undefined;
    return [refId(price?.product), refId(plan?.product)].filter((id): id is string => id !== null);
  });
}

function refId(value: unknown): string | null {
  if (typeof value === 'string') return value;
  const id = (value as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' ? id : null;
}

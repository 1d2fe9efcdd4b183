import { ENTITLING_STATUSES, refId, subscriptionProductIds } from '@ledgerline/events';
import type { ListedObject, ListPage } from '../objects/backfill-objects';
import type { BackfillTypeProgress } from './backfill-run';
import { type BackfillContext, commitListingPage, recordPage, requestOptions, stripeCall } from './backfill-context';
import { estimateListingTotal } from './listing-estimate';

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
    const matched = page.data.filter(
      (sub) => ENTITLING_STATUSES.has(String(sub.status)) && subscriptionProductIds(sub).includes(product),
    );
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
    const estimate = estimateListingTotal({
      fetched: subscriptions.fetched + matched.length,
      done,
      oldestCreated: typeof last?.created === 'number' ? last.created : null,
      listedFrom: context.listedFrom,
      lowerBound,
    });
    await commitListingPage(context, customers, {
      cursor: null,
      done,
      fetched: found.length,
      appended: recordedCustomers.appended,
      unchanged: recordedCustomers.unchanged,
      retries: 0,
      estimatedTotal: done ? customers.fetched + found.length : null,
    });
    await commitListingPage(context, subscriptions, {
      cursor: last?.id ?? subscriptions.cursor,
      done,
      fetched: matched.length,
      appended: recordedSubscriptions.appended,
      unchanged: recordedSubscriptions.unchanged,
      retries: context.retries - retriesBefore,
      estimatedTotal: estimate,
    });
  }
}

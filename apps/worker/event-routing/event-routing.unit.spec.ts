import { describe, expect, it } from '@jest/globals';
import { EVENT_CATALOGUE, routes, STRIPE_EVENT_TYPES, UNROUTED_EVENT_TYPES } from '@ledgerline/events';
import { loadEventFixtures, stripeCatalogue } from '@ledgerline/testing';
import { eventConsumers } from './consumers';
import { routingMarkdown } from './matrix';

/**
 * What each consumer selected before it declared exact types (its filter's type prefixes, issue 29).
 * Frozen here as the proof that no consumer lost a type: a declaration must cover every type these
 * select, in the catalogue, in the Stripe fixtures and in the pinned SDK's catalogue (so a type
 * Stripe adds to a family a consumer follows fails here until it is catalogued and declared).
 */
const PREFIXES_BEFORE: Record<string, readonly string[]> = {
  notifications: [
    'customer.created',
    'customer.subscription.created',
    'invoice.created',
    'charge.succeeded',
    'invoice.payment_failed',
    'charge.failed',
    'customer.subscription.trial_will_end',
    'customer.source.expiring',
    'customer.subscription.deleted',
    'NotificationDelivered',
    'NotificationDeliveryFailed',
  ],
  customers: [
    'customer.created',
    'customer.updated',
    'customer.deleted',
    'customer.backfilled',
    'CustomerRegistered',
    'CustomerDetailsChanged',
    'CustomerLinkedToStripe',
    'CustomerDeleted',
  ],
  payment_methods: ['payment_method.', 'customer.source.'],
  subscriptions: [
    'customer.subscription.',
    'subscription_schedule.',
    'SubscriptionStarted',
    'SubscriptionAddressChanged',
    'SubscriptionShipmentsRemainingChanged',
    'SubscriptionCancellationRequested',
    'SubscriptionPlanChanged',
    'SubscriptionLinkedToStripe',
  ],
  invoices: ['invoice.', 'credit_note.'],
  payments: ['charge.', 'payment_intent.', 'refund.'],
  catalog: ['product.', 'price.', 'plan.', 'coupon.', 'tax_rate.'],
  activity: [
    'customer.created',
    'customer.updated',
    'customer.source.expiring',
    'customer.subscription.created',
    'customer.subscription.updated',
    'customer.subscription.deleted',
    'customer.subscription.trial_will_end',
    'invoice.created',
    'invoice.paid',
    'invoice.payment_succeeded',
    'invoice.payment_failed',
    'checkout.session.completed',
    'checkout.session.async_payment_succeeded',
    'charge.',
    'CustomerRegistered',
    'CustomerDetailsChanged',
    'CustomerDeleted',
    'SubscriptionStarted',
    'SubscriptionAddressChanged',
    'SubscriptionShipmentsRemainingChanged',
    'SubscriptionCancellationRequested',
    'SubscriptionPlanChanged',
    'SubscriptionRenewalPrepaid',
    'RefundRequested',
    'StripeSyncFailed',
    'StripeSyncCompleted',
    'CustomerLinkedToStripe',
    'SubscriptionLinkedToStripe',
    'RefundLinkedToStripe',
    'RenewalChargeLinkedToStripe',
  ],
  stripe_sync: [
    'CustomerRegistered',
    'CustomerDetailsChanged',
    'CustomerDeleted',
    'SubscriptionStarted',
    'SubscriptionAddressChanged',
    'SubscriptionShipmentsRemainingChanged',
    'SubscriptionCancellationRequested',
    'SubscriptionPlanChanged',
    'SubscriptionRenewalPrepaid',
    'RefundRequested',
    'CustomerLinkedToStripe',
    'SubscriptionLinkedToStripe',
    'RefundLinkedToStripe',
    'RenewalChargeLinkedToStripe',
    'StripeSyncCompleted',
    'StripeSyncFailed',
  ],
  entity_history: [
    'customer.created',
    'customer.updated',
    'customer.deleted',
    'customer.backfilled',
    'CustomerRegistered',
    'CustomerDetailsChanged',
    'CustomerLinkedToStripe',
    'CustomerDeleted',
    'customer.subscription.',
    'subscription_schedule.',
    'SubscriptionStarted',
    'SubscriptionAddressChanged',
    'SubscriptionShipmentsRemainingChanged',
    'SubscriptionCancellationRequested',
    'SubscriptionPlanChanged',
    'SubscriptionLinkedToStripe',
  ],
  product_links: ['ProductLinkedToStripe', 'ProductUnlinkedFromStripe'],
  // The process managers' followers (apps/worker/src): SYNCED_COMMAND_EVENT_TYPES, and one type.
  'stripe_sync (pm)': [
    'CustomerRegistered',
    'CustomerDetailsChanged',
    'CustomerDeleted',
    'SubscriptionStarted',
    'SubscriptionAddressChanged',
    'SubscriptionShipmentsRemainingChanged',
    'SubscriptionCancellationRequested',
    'SubscriptionPlanChanged',
    'SubscriptionRenewalPrepaid',
    'RefundRequested',
  ],
  'product_import (pm)': ['ProductLinkedToStripe'],
};

const keyOf = (c: { name: string; kind: string }) => (c.kind === 'process manager' ? `${c.name} (pm)` : c.name);
const universe = [
  ...new Set([...EVENT_CATALOGUE, ...loadEventFixtures().map((f) => f.event.type), ...stripeCatalogue().eventTypes]),
];

describe('declared event routing', () => {
  const consumers = eventConsumers();
  const typed = consumers.filter((consumer) => consumer.handles !== 'all');

  it('gives every consumer at least the types its prefixes selected before', () => {
    expect(Object.keys(PREFIXES_BEFORE).sort()).toEqual(typed.map(keyOf).sort());
    for (const consumer of typed) {
      const before = PREFIXES_BEFORE[keyOf(consumer)]!;
      const selected = universe.filter((type) => before.some((prefix) => type.startsWith(prefix)));
      const dropped = selected.filter((type) => !routes(consumer.handles, type));
      expect({ consumer: keyOf(consumer), dropped }).toEqual({ consumer: keyOf(consumer), dropped: [] });
    }
  });

  it('names only catalogued types, each once', () => {
    const catalogue: readonly string[] = EVENT_CATALOGUE;
    for (const consumer of typed) {
      const handles = consumer.handles as readonly string[];
      expect(handles.filter((type) => !catalogue.includes(type))).toEqual([]);
      expect(new Set(handles).size).toBe(handles.length);
    }
  });

  it('routes every catalogued type to a typed consumer, or lists it as deliberately unrouted', () => {
    const unrouted: readonly string[] = UNROUTED_EVENT_TYPES;
    const orphans = EVENT_CATALOGUE.filter((type) => !typed.some((consumer) => routes(consumer.handles, type)));
    expect(orphans.sort()).toEqual([...unrouted].sort());
  });

  it('catalogues exactly the Stripe types some consumer handles, all of them known to the pinned SDK', () => {
    const handled = stripeCatalogue().eventTypes.filter((type) => typed.some((c) => routes(c.handles, type)));
    expect([...STRIPE_EVENT_TYPES].sort()).toEqual(handled.sort());
  });

  it('declares the read models that read everything, and the history the same types as what it folds', () => {
    const byName = new Map(consumers.map((consumer) => [keyOf(consumer), consumer.handles]));
    expect(byName.get('stripe_objects')).toBe('all');
    expect(byName.get('audit_index')).toBe('all');
    const folded = [...(byName.get('customers') as string[]), ...(byName.get('subscriptions') as string[])];
    expect([...(byName.get('entity_history') as string[])].sort()).toEqual(folded.sort());
  });
});

describe('docs/event-routing.md', () => {
  it('marks customer.subscription.updated for exactly the consumers that declare it', () => {
    const consumers = eventConsumers();
    const page = routingMarkdown(consumers);
    const lines = page.split('\n');
    const header = lines
      .find((line) => line.startsWith('| event type |'))!
      .split('|')
      .map((cell) => cell.trim());
    const row = lines.find((line) => line.startsWith('| `customer.subscription.updated` |'))!.split('|');
    const marked = header.filter((_, i) => row[i]?.trim() === '✓');
    const declaring = consumers
      .filter((consumer) => consumer.handles !== 'all' && routes(consumer.handles, 'customer.subscription.updated'))
      .map(keyOf);
    expect(marked).toEqual(declaring);
    expect(marked).toEqual(['subscriptions', 'activity', 'entity_history']);
    expect(page).toMatch(/Read every event, whatever its type: `stripe_objects`.*`audit_index`.*`feeds`/);
  });
});

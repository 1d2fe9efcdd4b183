import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { stripeFixturesDir } from '@ledgerline/testing';
import { normaliseStripeObject } from './normalize-stripe-object';

type Json = Record<string, unknown>;
const fixture = (path: string): Json =>
  JSON.parse(readFileSync(join(stripeFixturesDir(), path), 'utf8').replace(/^\uFEFF/, ''));
const eventObject = (path: string): Json => (fixture(path) as { data: { object: Json } }).data.object;
const items = (subscription: Json) => (subscription.items as { data: Json[] }).data;

describe('normaliseStripeObject: subscriptions', () => {
  it('API 2020-08-27 (period on the subscription): copies the period onto each item', () => {
    const event = fixture('events/stripe-ruby-mock/customer.subscription.updated.json') as { api_version: string };
    expect(event.api_version).toBe('2020-08-27');
    const original = eventObject('events/stripe-ruby-mock/customer.subscription.updated.json');
    const normal = normaliseStripeObject(original);
    expect(items(original)[0]).not.toHaveProperty('current_period_end');
    for (const item of items(normal)) {
      expect(item.current_period_start).toBe(original.current_period_start);
      expect(item.current_period_end).toBe(original.current_period_end);
    }
    expect(normal.current_period_end).toBe(original.current_period_end);
  });

  it('current API (period on the items): derives the subscription’s period from its items', () => {
    const original = fixture('objects/stripe-openapi/subscription.json');
    expect(original).not.toHaveProperty('current_period_end');
    const normal = normaliseStripeObject(original);
    const first = items(original)[0]!;
    expect(normal.current_period_start).toBe(first.current_period_start);
    expect(normal.current_period_end).toBe(first.current_period_end);
  });

  it('a single-plan subscription without items gets the one item it stands for', () => {
    const normal = normaliseStripeObject({
      id: 'sub_1',
      object: 'subscription',
      plan: { id: 'gold', object: 'plan' },
      quantity: 3,
      current_period_start: 10,
      current_period_end: 20,
    });
    expect(items(normal)).toEqual([
      {
        object: 'subscription_item',
        id: 'sub_1_plan',
        plan: { id: 'gold', object: 'plan' },
        price: { id: 'gold', object: 'plan' },
        quantity: 3,
        current_period_start: 10,
        current_period_end: 20,
      },
    ]);
  });
});

describe('normaliseStripeObject: invoices', () => {
  it('API 2020-08-27 (`subscription`, `payment_intent` at the top): unchanged', () => {
    const original = eventObject('events/stripe-ruby-mock/invoice.paid.json');
    expect(normaliseStripeObject(original)).toEqual(original);
  });

  it('API 2025-03-31 and later (`parent`, `payments`): lifts the subscription and the payment intent', () => {
    const normal = normaliseStripeObject({
      id: 'in_1',
      object: 'invoice',
      parent: { type: 'subscription_details', subscription_details: { subscription: 'sub_9' } },
      payments: {
        object: 'list',
        data: [{ object: 'invoice_payment', payment: { type: 'payment_intent', payment_intent: 'pi_7' } }],
      },
    });
    expect(normal).toMatchObject({ subscription: 'sub_9', payment_intent: 'pi_7' });
  });
});

describe('normaliseStripeObject: invoice lines', () => {
  it('API 2025-03-31 and later (`parent`, `pricing`): lifts each line’s subscription and price', () => {
    const line = {
      id: 'il_1',
      object: 'line_item',
      parent: {
        type: 'subscription_item_details',
        subscription_item_details: { subscription: 'sub_1', subscription_item: 'si_1' },
      },
      pricing: { type: 'price_details', price_details: { price: 'price_1', product: 'prod_1' } },
    };
    const invoice = { id: 'in_1', object: 'invoice', lines: { object: 'list', data: [line] } };
    const [normalised] = (normaliseStripeObject(invoice).lines as { data: Record<string, unknown>[] }).data;
    expect(normalised).toMatchObject({ subscription: 'sub_1', price: { id: 'price_1', product: 'prod_1' } });
  });

  it('API 2020-08-27 (`subscription` and `price` on the line): unchanged, the same object', () => {
    const invoice = {
      id: 'in_1',
      object: 'invoice',
      subscription: 'sub_1',
      lines: {
        object: 'list',
        data: [{ id: 'il_1', subscription: 'sub_1', price: { id: 'price_1', product: 'prod_1' } }],
      },
    };
    expect(normaliseStripeObject(invoice)).toBe(invoice);
  });
});

describe('normaliseStripeObject in general', () => {
  it('is idempotent, does not mutate its input, and leaves other objects alone', () => {
    const original = eventObject('events/stripe-ruby-mock/customer.subscription.updated.json');
    const copy = structuredClone(original);
    const once = normaliseStripeObject(original);
    expect(normaliseStripeObject(once)).toEqual(once);
    expect(original).toEqual(copy);
    const customer = eventObject('events/stripe-ruby-mock/customer.created.json');
    expect(normaliseStripeObject(customer)).toBe(customer);
  });
});

import { describe, expect, it } from '@jest/globals';
import type { Projector } from '../projector';
import { readFilter } from './replay-scope';

const projector = (filter: Projector['filter']): Projector =>
  ({ name: 'p', version: 1, tables: [], filter, apply: async () => undefined }) as Projector;

describe('the filter a replay reads the store with', () => {
  const subscriptions = projector({ eventTypes: ['customer.subscription.updated', 'SubscriptionStarted'] });
  const invoices = projector({ eventTypes: ['invoice.paid'] });

  it("is the union of the projectors' declared exact types", () => {
    expect(readFilter([subscriptions, invoices], null)).toEqual({
      eventTypes: ['customer.subscription.updated', 'SubscriptionStarted', 'invoice.paid'],
    });
  });

  it('narrows the exact types to the requested prefixes, and never to an empty list (which passes all)', () => {
    expect(readFilter([subscriptions, invoices], ['customer.'])).toEqual({
      eventTypes: ['customer.subscription.updated'],
    });
    expect(readFilter([subscriptions], ['charge.'])).toEqual({ eventTypePrefixes: ['charge.'] });
  });

  it('reads everything when one projector reads everything', () => {
    expect(readFilter([subscriptions, projector(undefined)], null)).toBeUndefined();
  });
});

import { describe, expect, it } from '@jest/globals';
import Stripe from 'stripe';
import { allProjectors } from '@ledgerline/read-models';
import { stripeCatalogue } from '@ledgerline/testing';
import { LEDGERLINE_EVENT_TYPES } from './ledgerline-event-types';
import { PINNED_API_VERSION } from './webhook-endpoints';

describe('the event types a Ledgerline webhook endpoint subscribes to', () => {
  it("are exactly the SDK catalogue's types that the projectors declare they handle", () => {
    const declared = new Set(
      allProjectors().flatMap((projector) => (Array.isArray(projector.handles) ? projector.handles : [])),
    );
    const selected = stripeCatalogue().eventTypes.filter((type) => declared.has(type));
    expect(selected.length).toBeGreaterThan(10);
    expect([...LEDGERLINE_EVENT_TYPES].sort()).toEqual(selected.sort());
    expect(new Set(LEDGERLINE_EVENT_TYPES).size).toBe(LEDGERLINE_EVENT_TYPES.length);
  });

  it("are sent in the SDK's pinned API version, one Stripe knows", () => {
    expect(PINNED_API_VERSION).toBe(Stripe.API_VERSION);
    expect(stripeCatalogue().apiVersions).toContain(PINNED_API_VERSION);
  });
});

import { describe, expect, it } from '@jest/globals';
import Stripe from 'stripe';
import { allProjectors } from '@ledgerline/read-models';
import { stripeCatalogue } from '@ledgerline/testing';
import { LEDGERLINE_EVENT_TYPES } from './ledgerline-event-types';
import { PINNED_API_VERSION } from './webhook-endpoints';

/** Stripe's event types among a projector's filter (platform events are PascalCase; `*.backfilled` are Ledgerline's own). */
const stripePrefixes = (): string[] =>
  [...new Set(allProjectors().flatMap((projector) => projector.filter?.eventTypePrefixes ?? []))].filter(
    (prefix) => /^[a-z]/.test(prefix) && !prefix.endsWith('.backfilled'),
  );

describe('the event types a Ledgerline webhook endpoint subscribes to', () => {
  it("are exactly the SDK catalogue's types that the projectors' filters select", () => {
    const prefixes = stripePrefixes();
    expect(prefixes.length).toBeGreaterThan(10);
    const selected = stripeCatalogue().eventTypes.filter((type) => prefixes.some((prefix) => type.startsWith(prefix)));
    expect([...LEDGERLINE_EVENT_TYPES].sort()).toEqual(selected.sort());
    expect(new Set(LEDGERLINE_EVENT_TYPES).size).toBe(LEDGERLINE_EVENT_TYPES.length);
  });

  it("leave out no Stripe type a projector names: every filter selects types of Stripe's catalogue", () => {
    const catalogue = stripeCatalogue().eventTypes;
    const unknown = stripePrefixes().filter((prefix) => !catalogue.some((type) => type.startsWith(prefix)));
    expect(unknown).toEqual([]);
  });

  it("are sent in the SDK's pinned API version, one Stripe knows", () => {
    expect(PINNED_API_VERSION).toBe(Stripe.API_VERSION);
    expect(stripeCatalogue().apiVersions).toContain(PINNED_API_VERSION);
  });
});

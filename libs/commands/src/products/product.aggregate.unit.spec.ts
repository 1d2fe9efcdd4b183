import { describe, expect, it } from '@jest/globals';
import { CommandRejected } from '../command-handling/command-errors';
import { commandContext } from '../command-handling/command-context';
import { fold } from '../command-handling/decider';
import {
  decideLink,
  decideUnlink,
  type LinkFacts,
  NO_DEPENDENTS,
  productEvolver,
  stateAfter,
} from './product.aggregate';

const PRINT = { stripeProductId: 'prod_print', stripeAccount: null };
const DIGITAL = { stripeProductId: 'prod_digital', stripeAccount: null };
const FREE: LinkFacts = { linkedElsewhere: null, dependents: NO_DEPENDENTS };
const linkedToPrint = {
  type: 'ProductLinkedToStripe',
  data: { productId: 'magazine', stripeProductId: 'prod_print', stripeAccount: null, previousStripeProductId: null },
  metadata: { occurredAt: '2026-11-01T10:00:00.000Z', actor: 'admin-ann' },
};
const given = (...events: { type: string; data: unknown }[]) => fold(productEvolver, events);
/** The refusal a decision throws. */
function refusal(decide: () => unknown): CommandRejected {
  try {
    decide();
  } catch (error) {
    if (error instanceof CommandRejected) return error;
    throw error;
  }
  throw new Error('expected the command to be refused');
}
const depended = (count: number, subscriptionIds: string[]): LinkFacts => ({
  linkedElsewhere: null,
  dependents: { count, subscriptionIds },
});

describe('product aggregate', () => {
  it('given nothing, when linked, then ProductLinkedToStripe with no previous product', () => {
    expect(decideLink(given(), 'magazine', PRINT, FREE)).toEqual([
      {
        type: 'ProductLinkedToStripe',
        data: {
          productId: 'magazine',
          stripeProductId: 'prod_print',
          stripeAccount: null,
          previousStripeProductId: null,
        },
      },
    ]);
  });

  it('given a link, when the same link is put again, then no event, and the link keeps when and by whom', () => {
    const state = given(linkedToPrint);
    expect(decideLink(state, 'magazine', PRINT, FREE)).toEqual([]);
    expect(state.link).toEqual({ ...PRINT, linkedAt: '2026-11-01T10:00:00.000Z', linkedBy: 'admin-ann' });
  });

  it('given a link in the platform account, when linked to the same product id in a Connect account, then a new link', () => {
    const connect = { stripeProductId: 'prod_print', stripeAccount: 'acct_1' };
    const [event] = decideLink(given(linkedToPrint), 'magazine', connect, FREE);
    expect(event!.data).toMatchObject({ stripeAccount: 'acct_1', previousStripeProductId: 'prod_print' });
  });

  it('given a link nobody depends on, when linked to another Stripe product, then the event names the previous one', () => {
    const [event] = decideLink(given(linkedToPrint), 'magazine', DIGITAL, FREE);
    expect(event).toEqual({
      type: 'ProductLinkedToStripe',
      data: {
        productId: 'magazine',
        stripeProductId: 'prod_digital',
        stripeAccount: null,
        previousStripeProductId: 'prod_print',
      },
    });
  });

  it('given active subscriptions through the link, when relinked, then a conflict naming how many and which', () => {
    const refused = refusal(() =>
      decideLink(given(linkedToPrint), 'magazine', DIGITAL, depended(7, ['sub_1', 'sub_2', 'sub_3', 'sub_4', 'sub_5'])),
    );
    expect(refused.kind).toBe('conflict');
    expect(refused.message).toBe(
      'Product magazine cannot be linked to another Stripe product: 7 active subscriptions give access to Stripe ' +
        'product prod_print through its link (sub_1, sub_2, sub_3, sub_4, sub_5, ...). Cancel them or wait until ' +
        'they end, then try again',
    );
  });

  it('given a Stripe product linked to another platform product, when linked here, then a conflict naming that product', () => {
    const facts = { linkedElsewhere: 'magazine-digital', dependents: NO_DEPENDENTS };
    const refused = refusal(() => decideLink(given(), 'magazine', DIGITAL, facts));
    expect(refused.kind).toBe('conflict');
    expect(refused.message).toMatch(/prod_digital is already linked to product magazine-digital/);
  });

  it('given a link nobody depends on, when unlinked, then ProductUnlinkedFromStripe; after that, unlinking is not found', () => {
    const [event] = decideUnlink(given(linkedToPrint), 'magazine', NO_DEPENDENTS);
    expect(event).toEqual({
      type: 'ProductUnlinkedFromStripe',
      data: { productId: 'magazine', stripeProductId: 'prod_print', stripeAccount: null },
    });
    const unlinked = given(linkedToPrint, event!);
    expect(unlinked.link).toBeNull();
    expect(refusal(() => decideUnlink(unlinked, 'magazine', NO_DEPENDENTS)).kind).toBe('not_found');
  });

  it('given no link, when unlinked, then not found', () => {
    const refused = refusal(() => decideUnlink(given(), 'magazine', NO_DEPENDENTS));
    expect(refused.kind).toBe('not_found');
    expect(refused.message).toMatch(/not linked to a Stripe product/);
  });

  it('given an active subscription through the link, when unlinked, then a conflict naming it', () => {
    const refused = refusal(() =>
      decideUnlink(given(linkedToPrint), 'magazine', { count: 1, subscriptionIds: ['sub_9'] }),
    );
    expect(refused.kind).toBe('conflict');
    expect(refused.message).toMatch(/cannot be unlinked: 1 active subscription gives access to .* \(sub_9\)/);
  });

  it('answers a new link with the command time and actor', () => {
    const context = commandContext({ actor: 'admin-bob', issuedAt: new Date('2026-11-02T09:30:00Z') });
    const decided = decideLink(given(), 'magazine', PRINT, FREE);
    expect(stateAfter(given(), decided, context).link).toEqual({
      ...PRINT,
      linkedAt: '2026-11-02T09:30:00.000Z',
      linkedBy: 'admin-bob',
    });
  });
});

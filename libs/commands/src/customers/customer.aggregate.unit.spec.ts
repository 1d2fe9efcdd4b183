import { describe, expect, it } from '@jest/globals';
import type { CustomerDetails } from '@ledgerline/events';
import { CommandRejected } from '../command-handling/command-errors';
import { fold } from '../command-handling/decider';
import { customerEvolver, decideChangeDetails, decideDelete, decideRegister } from './customer.aggregate';

const ID = '0f8b9a62-1111-4c22-8333-944455556666';
const ADA: CustomerDetails = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada@example.com',
  phone: null,
  address: null,
};
const given = (...events: { type: string; data: unknown }[]) => fold(customerEvolver, events);
const registered = { type: 'CustomerRegistered', data: { customerId: ID, details: ADA } };

describe('customer aggregate', () => {
  it('given nothing, when registered, then CustomerRegistered with the details', () => {
    expect(decideRegister(given(), ID, ADA)).toEqual([
      { type: 'CustomerRegistered', data: { customerId: ID, details: ADA } },
    ]);
  });

  it('given a registered customer, when registered again, then a conflict', () => {
    expect(() => decideRegister(given(registered), ID, ADA)).toThrow(CommandRejected);
  });

  it('given a customer, when an edit changes the email, then the whole details and the changed field', () => {
    const [event] = decideChangeDetails(
      given(registered),
      ID,
      { email: 'ada@lovelace.org', lastName: 'Lovelace' },
      false,
    );
    expect(event).toEqual({
      type: 'CustomerDetailsChanged',
      data: { customerId: ID, details: { ...ADA, email: 'ada@lovelace.org' }, changed: ['email'] },
    });
  });

  it('given a customer, when an edit changes nothing, then no event', () => {
    expect(decideChangeDetails(given(registered), ID, { firstName: 'Ada' }, false)).toEqual([]);
  });

  it('given a Stripe-only customer, when first edited, then the event names its Stripe customer', () => {
    const state = { status: 'active' as const, details: ADA, stripeCustomerIds: ['cus_1'] };
    const [event] = decideChangeDetails(state, ID, { phone: '+1 555 0100' }, true);
    expect(event!.data).toMatchObject({ stripeCustomerId: 'cus_1', changed: ['phone'] });
  });

  it('given a linked customer, when deleted, then CustomerDeleted lists its Stripe customers; after that, edits conflict', () => {
    const linked = {
      type: 'CustomerLinkedToStripe',
      data: { customerId: ID, stripeCustomerId: 'cus_9', commandEventId: 'e' },
    };
    expect(decideDelete(given(registered, linked), ID)).toEqual([
      { type: 'CustomerDeleted', data: { customerId: ID, stripeCustomerIds: ['cus_9'] } },
    ]);
    const deleted = given(registered, linked, { type: 'CustomerDeleted', data: {} });
    expect(() => decideChangeDetails(deleted, ID, { firstName: 'X' }, false)).toThrow(/deleted/);
    expect(() => decideDelete(deleted, ID)).toThrow(/deleted/);
  });
});

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { isUuid } from '@ledgerline/event-store';
import { type CustomerDetails, customerStream, type PostalAddress } from '@ledgerline/events';
import { type CustomerView, findCustomer } from '@ledgerline/read-models';
import { AggregateStore, type Loaded } from '../command-handling/aggregate-store';
import { CommandRejected } from '../command-handling/command-errors';
import { type CustomerState, customerEvolver } from './customer.aggregate';

export interface LoadedCustomer extends Loaded<CustomerState> {
  customerId: string;
  /** True when the platform has no stream for it yet: the state comes from the Stripe customer. */
  seededFromStripe: boolean;
}

/**
 * Finds the customer a command names. The id may be a platform id or a Stripe `cus_` id. A customer
 * that only Stripe knows (it came by webhook or backfill) has no platform stream yet: its state is
 * taken from the read model, and the first platform event starts its stream.
 */
@Injectable()
export class CustomerRecords {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly dataSource: DataSource,
  ) {}

  async load(id: string): Promise<LoadedCustomer> {
    const record = await findCustomer(this.dataSource, id);
    const customerId = record?.id ?? (isUuid(id) ? id.toLowerCase() : null);
    if (!customerId) throw CommandRejected.notFound(`Customer ${id} not found`);
    const loaded = await this.aggregates.load(customerStream(customerId), customerEvolver);
    if (loaded.revision !== 'no_stream' || !record) {
      // A Stripe customer carrying this platform id in its metadata is this customer even when no
      // event of the stream names it (the sync's answer was lost after Stripe created it, a
      // duplicate made elsewhere): the read model has joined it, and so do the commands, so a card
      // the console shows is the card a command finds.
      const known = loaded.state.stripeCustomerIds;
      const extra = (record?.stripeIds ?? []).filter((stripeId) => !known.includes(stripeId));
      const state = extra.length ? { ...loaded.state, stripeCustomerIds: [...known, ...extra] } : loaded.state;
      return { ...loaded, state, customerId, seededFromStripe: false };
    }
    const state: CustomerState = {
      status: record.deleted ? 'deleted' : 'active',
      details: detailsOf(record),
      stripeCustomerIds: record.stripeIds,
    };
    return { ...loaded, state, customerId, seededFromStripe: true };
  }

  /** Loads and requires a customer that exists and is not deleted (for commands naming another customer). */
  async loadActive(id: string, role: string): Promise<LoadedCustomer> {
    try {
      const customer = await this.load(id);
      if (customer.state.status === 'unknown') throw CommandRejected.invalid(`${role} ${id} does not exist`);
      if (customer.state.status === 'deleted') throw CommandRejected.invalid(`${role} ${id} is deleted`);
      return customer;
    } catch (error) {
      if (error instanceof CommandRejected && error.kind === 'not_found') {
        throw CommandRejected.invalid(`${role} ${id} does not exist`);
      }
      throw error;
    }
  }
}

function detailsOf(record: CustomerView): CustomerDetails {
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
  const billing = record.addresses.find((a) => a.kind === 'billing') ?? null;
  const address: PostalAddress | null =
    billing && text(billing.line1) && text(billing.country)
      ? {
          line1: text(billing.line1)!,
          line2: text(billing.line2),
          city: text(billing.city),
          state: text(billing.state),
          country: text(billing.country)!,
          postalCode: text(billing.postalCode),
        }
      : null;
  return {
    firstName: text(record.firstName) ?? '',
    lastName: text(record.lastName) ?? '',
    email: text(record.email),
    phone: text(record.phone),
    address,
  };
}

import type Stripe from 'stripe';
import {
  CUSTOMER_METADATA,
  type CustomerDeleted,
  type CustomerDetails,
  type CustomerDetailsChanged,
  type CustomerLinkedToStripe,
  type CustomerRegistered,
} from '@ledgerline/events';
import { CannotSync, completed, type SyncOperation } from './sync-operation';

/** Stripe's customer fields from the platform's details; `''` clears a field Stripe holds. */
export function customerParams(customerId: string, details: CustomerDetails): Stripe.CustomerCreateParams {
  const { address } = details;
  return {
    name: `${details.firstName} ${details.lastName}`,
    email: details.email ?? '',
    phone: details.phone ?? '',
    address: address
      ? {
          line1: address.line1,
          line2: address.line2 ?? '',
          city: address.city ?? '',
          state: address.state ?? '',
          country: address.country,
          postal_code: address.postalCode ?? '',
        }
      : '',
    metadata: {
      [CUSTOMER_METADATA.customerId]: customerId,
      [CUSTOMER_METADATA.firstName]: details.firstName,
      [CUSTOMER_METADATA.lastName]: details.lastName,
    },
  } as Stripe.CustomerCreateParams;
}

export const CUSTOMER_OPERATIONS: Record<string, SyncOperation> = {
  async CustomerRegistered(context) {
    const data = context.event.data as CustomerRegistered;
    const params = customerParams(data.customerId, data.details);
    // A new customer has nothing to clear: Stripe refuses '' for some fields on create.
    for (const key of ['email', 'phone', 'address'] as const) if (params[key] === '') delete params[key];
    const customer = await context.call('POST /v1/customers', 'create', (options) =>
      context.stripe.customers.create(params, options),
    );
    const linked: CustomerLinkedToStripe = {
      customerId: data.customerId,
      stripeCustomerId: customer.id,
      commandEventId: context.event.id,
    };
    return { type: 'CustomerLinkedToStripe', data: { ...linked } };
  },

  async CustomerDetailsChanged(context) {
    const data = context.event.data as CustomerDetailsChanged;
    const ids = await context.customerStripeIds(data.customerId);
    if (!ids.length) {
      throw new CannotSync(
        'POST /v1/customers/:id',
        'the customer has no Stripe customer (its creation failed or never ran)',
      );
    }
    for (const id of ids) {
      await context.call(`POST /v1/customers/${id}`, `update-${id}`, (options) =>
        context.stripe.customers.update(
          id,
          customerParams(data.customerId, data.details) as Stripe.CustomerUpdateParams,
          options,
        ),
      );
    }
    return completed(context, { customer: ids.join(',') }, data.customerId);
  },

  async CustomerDeleted(context) {
    const data = context.event.data as CustomerDeleted;
    const ids = [...new Set([...data.stripeCustomerIds, ...(await context.customerStripeIds(data.customerId))])];
    for (const id of ids) {
      await context.call(`DELETE /v1/customers/${id}`, `delete-${id}`, async (options) => {
        try {
          return await context.stripe.customers.del(id, undefined, options);
        } catch (error) {
          // Already gone in Stripe: the deletion is done.
          if ((error as { code?: string }).code === 'resource_missing') return null;
          throw error;
        }
      });
    }
    return completed(context, ids.length ? { customer: ids.join(',') } : {}, data.customerId);
  },
};

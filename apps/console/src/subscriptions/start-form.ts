import type { Customer } from '../customers/customer-types';
import { type AddressInput, addressBody, EMPTY_ADDRESS } from './AddressFields';
import type { Collection } from './subscription-types';

/** The start form as typed; turned into POST /subscriptions's body by startBody. */
export interface StartForm {
  customer: Customer | null;
  priceId: string;
  couponId: string;
  /** Empty: the price's trial; 0: none. */
  trialDays: string;
  collection: Collection;
  giftRecipient: Customer | null;
  shippingAddress: AddressInput;
  shipmentsRemaining: string;
}

export const EMPTY_START_FORM: StartForm = {
  customer: null,
  priceId: '',
  couponId: '',
  trialDays: '',
  collection: 'card_on_file',
  giftRecipient: null,
  shippingAddress: EMPTY_ADDRESS,
  shipmentsRemaining: '',
};

/**
 * Empty optional fields are left out (the API reads absence as "none" or "the default"); what is
 * typed is sent as typed when it is not a whole number, so the API's message names the field.
 */
export function startBody(form: StartForm): Record<string, unknown> {
  return {
    customerId: form.customer?.id ?? '',
    priceId: form.priceId,
    couponId: form.couponId || undefined,
    trialDays: wholeNumber(form.trialDays),
    collection: form.collection,
    giftRecipientId: form.giftRecipient?.id,
    shippingAddress: addressBody(form.shippingAddress),
    shipmentsRemaining: wholeNumber(form.shipmentsRemaining),
  };
}

function wholeNumber(typed: string): number | string | undefined {
  const text = typed.trim();
  if (text === '') return undefined;
  return /^\d+$/.test(text) ? Number(text) : text;
}

export const COLLECTIONS: [Collection, string][] = [
  ['card_on_file', 'Card on file (charged automatically)'],
  ['send_invoice', 'Send invoice (the customer pays it)'],
  ['offline', 'Offline (settled outside Stripe)'],
];

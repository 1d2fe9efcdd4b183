import type { EntryDraft, Mapping } from './activity-entry';
import { num, obj, str, words, type Json } from './format';

/** Field names support staff know them by; any other field is its Stripe name unsnaked. */
const FIELD_WORDS: Record<string, string> = {
  shipping: 'shipping address',
  invoice_settings: 'invoice settings',
  default_source: 'default payment source',
  preferred_locales: 'preferred languages',
  tax_exempt: 'tax status',
  invoice_prefix: 'invoice prefix',
};

const BRAND_WORDS: Record<string, string> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  discover: 'Discover',
  diners: 'Diners Club',
  jcb: 'JCB',
  unionpay: 'UnionPay',
  cartes_bancaires: 'Cartes Bancaires',
};

export const CUSTOMER_MAPPINGS: Record<string, Mapping> = {
  'customer.created': () => [{ kind: 'customer_created', summary: 'Customer created', details: {} }],

  // Only the names of the changed fields: their values (emails, addresses) stay out of the feed.
  'customer.updated': ({ changed }) => {
    const fields = changed.map((field) => FIELD_WORDS[field] ?? words(field) ?? field);
    return [
      {
        kind: 'customer_updated',
        summary: fields.length ? `Customer details updated: ${fields.join(', ')}` : 'Customer details updated',
        details: { fields: changed },
      },
    ];
  },

  'customer.source.expiring': ({ object }) => [cardExpiring(object)],
};

/**
 * The object is a card (`card_...`), a Source whose `card` holds the details, or a PaymentMethod.
 * Only brand, last four digits and expiry are read.
 */
function cardExpiring(object: Json): EntryDraft {
  const card = object.object === 'card' ? object : obj(object.card);
  const brandCode = str(card?.brand) ?? str(card?.display_brand);
  const brand = brandCode ? (BRAND_WORDS[brandCode.toLowerCase()] ?? brandCode) : null;
  const last4 = str(card?.last4);
  const month = num(card?.exp_month);
  const year = num(card?.exp_year);
  const details = { brand, last4, expMonth: month, expYear: year };
  if (!card || (!last4 && month === null)) {
    const type = words(object.type);
    return {
      kind: 'card_expiring',
      summary: type ? `Payment source (${type}) expiring` : 'Payment source expiring',
      details,
    };
  }
  const parts = ['Card', brand, last4 ? `ending ${last4}` : null];
  if (month !== null && year !== null) parts.push(`expires ${String(month).padStart(2, '0')}/${year}`);
  else parts.push('expiring');
  return { kind: 'card_expiring', summary: parts.filter(Boolean).join(' '), details };
}

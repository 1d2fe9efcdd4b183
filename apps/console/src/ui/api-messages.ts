/**
 * The API's validation messages name fields by their path in the request body (`firstName`,
 * `address.country`) and speak to developers ("(or null to remove it)"). The console shows them in
 * support's words: the field's label in place of its path, without the notes meant for API callers.
 * Beside a field, its own label is used; in a summary, the label below (the same the forms use).
 */
const LABELS: Record<string, string> = {
  firstName: 'First name',
  lastName: 'Last name',
  email: 'Email',
  phone: 'Phone',
  address: 'Address',
  'address.line1': 'Address line 1',
  'address.line2': 'Address line 2',
  'address.city': 'City',
  'address.postalCode': 'Postal code',
  'address.state': 'State or province',
  'address.country': 'Country',
  customerId: 'Customer',
  giftRecipientId: 'Gift recipient',
  priceId: 'Price',
  couponId: 'Coupon',
  trialDays: 'Trial days',
  collection: 'Payment method',
  shipmentsRemaining: 'Shipments remaining',
  shippingAddress: 'Shipping address',
  'shippingAddress.line1': 'Address line 1',
  'shippingAddress.line2': 'Address line 2',
  'shippingAddress.city': 'City',
  'shippingAddress.postalCode': 'Postal code',
  'shippingAddress.state': 'State or province',
  'shippingAddress.country': 'Country code',
  amount: 'Amount',
  reason: 'Reason',
  from: 'From',
  to: 'To',
  currency: 'Currency',
  account: 'Connect account',
};

/** Values the API spells as identifiers, in words. */
const VALUES: [RegExp, string][] = [
  [/\bcard_on_file\b/g, '“card on file”'],
  [/\bsend_invoice\b/g, '“send invoice”'],
  [/\boffline\b(?=\))/g, '“offline”'],
];

/** class-validator's phrasing, in plainer words. */
const PHRASES: [RegExp, string][] = [[/ should not be empty$/, ' is required']];

/** Notes for API callers that mean nothing in a form. */
const DEVELOPER_NOTES = [/\s*\(or null to remove it\)/g, /\s*\(or null to clear it\)/g];

/** `message` with its leading field path replaced by a label (`label` for `field`, else the known one). */
export function humanMessage(message: string, field?: string, label?: string): string {
  let text = message;
  const path = leadingPath(text);
  const name = path !== null ? (path === field && label ? label : LABELS[path]) : undefined;
  if (path !== null && name) text = name + text.slice(path.length);
  for (const note of DEVELOPER_NOTES) text = text.replace(note, '');
  for (const [pattern, words] of [...VALUES, ...PHRASES]) text = text.replace(pattern, words);
  return text;
}

function leadingPath(message: string): string | null {
  const match = /^([A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)*)(?=[ .]|$)/.exec(message);
  return match && (match[1]! in LABELS || /[A-Z.]/.test(match[1]!)) ? match[1]! : null;
}

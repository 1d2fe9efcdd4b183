import type { PaymentMethod } from '../api/api-shapes';
import { useApi } from '../api/use-api';
import { FormField } from '../ui/FormField';
import { COLLECTIONS } from './start-form';
import type { Collection } from './subscription-types';

/**
 * How the subscription is paid, with the chosen customer's cards beside it: support sees before
 * submitting that "card on file" cannot work for a customer without one (the API says so too).
 */
export function CollectionField({
  value,
  onChange,
  customerId,
  error,
}: {
  value: Collection;
  onChange(collection: Collection): void;
  customerId: string | null;
  error: unknown;
}) {
  const methods = useApi<{ data: PaymentMethod[] }>(
    customerId
      ? (api, signal) => api.get(`/customers/${encodeURIComponent(customerId)}/payment-methods`, { signal })
      : null,
    [customerId],
  );
  const usable = (methods.data?.data ?? []).filter((method) => !method.expired);
  const card = usable.find((method) => method.isDefault) ?? usable[0];
  const expired = (methods.data?.data ?? []).filter((method) => method.expired);
  let hint: string | undefined;
  if (customerId && methods.data) {
    hint = card
      ? `Charges ${cardLabel(card)}${card.isDefault ? ' (default)' : ''}${usable.length > 1 ? ` or one of ${usable.length - 1} more` : ''}.`
      : `The customer has no usable card on file${expired.length ? ` (${cardLabel(expired[0]!)} has expired)` : ''}.`;
    // A card that runs out before the first renewal: support asks for a new one now.
    if (card?.expiringSoon) hint += ' Warning: this card expires soon; the next renewal may fail. Ask for a new card.';
  }
  return (
    <FormField
      label="Payment method"
      field="collection"
      error={error}
      hint={value === 'card_on_file' ? hint : undefined}
    >
      {(props) => (
        <select {...props} value={value} onChange={(event) => onChange(event.target.value as Collection)}>
          {COLLECTIONS.map(([collection, label]) => (
            <option key={collection} value={collection}>
              {label}
            </option>
          ))}
        </select>
      )}
    </FormField>
  );
}

export function cardLabel(method: PaymentMethod): string {
  const brand = method.brand ?? method.type ?? 'card';
  const expiry = method.expMonth && method.expYear ? `, expires ${method.expMonth}/${method.expYear}` : '';
  return `${brand} •••• ${method.last4 ?? '????'}${expiry}`;
}

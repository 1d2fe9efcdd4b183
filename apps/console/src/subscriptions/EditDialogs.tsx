import { useState } from 'react';
import type { PostalAddress } from '../api/api-shapes';
import { useApiClient } from '../session/session';
import { formatAddress } from '../ui/format';
import { FormField } from '../ui/FormField';
import { ActionDialog, type ActionOutcome } from './ActionDialog';
import { AddressFields, addressBody, addressInputOf, type AddressInput } from './AddressFields';
import type { Subscription } from './subscription-types';

interface DialogProps {
  subscription: Subscription;
  disabled: boolean;
  onDone(outcome: ActionOutcome): void;
}

const path = (subscription: Subscription) => `/subscriptions/${encodeURIComponent(subscription.id)}`;

/** PATCH /subscriptions/:id { shippingAddress }: where this subscription's shipments go. */
export function UpdateAddressDialog({ subscription, disabled, onDone }: DialogProps) {
  const api = useApiClient();
  const [address, setAddress] = useState<AddressInput>(addressInputOf(subscription.shippingAddress));
  return (
    <ActionDialog
      label="Update address"
      title="Update shipping address"
      submitLabel="Save address"
      disabled={disabled}
      onOpen={() => setAddress(addressInputOf(subscription.shippingAddress))}
      onDone={onDone}
      onSubmit={async (idempotencyKey) => {
        // An all-empty form is sent as an empty address, so the API names the missing fields.
        const body = addressBody(address) ?? {};
        await api.patch(path(subscription), { shippingAddress: body }, { idempotencyKey });
        return {
          notice: `Shipping address updated to ${formatAddress(body)}.`,
          until: (current) => sameAddress(current.shippingAddress, body),
        };
      }}
    >
      {(error) => (
        <>
          <p className="muted">Applies to this subscription’s shipments only; the customer’s own addresses stay.</p>
          <AddressFields value={address} onChange={setAddress} error={error} />
        </>
      )}
    </ActionDialog>
  );
}

/** Compares as the API stores it: trimmed, missing fields null. */
function sameAddress(stored: PostalAddress | null, sent: Partial<AddressInput>): boolean {
  if (!stored) return false;
  const keys: (keyof AddressInput)[] = ['line1', 'line2', 'postalCode', 'city', 'state', 'country'];
  return keys.every((key) => (stored[key] ?? '') === (sent[key] ?? ''));
}

/** PATCH /subscriptions/:id { shipmentsRemaining }. */
export function ShipmentsDialog({ subscription, disabled, onDone }: DialogProps) {
  const api = useApiClient();
  const current = () => (subscription.shipmentsRemaining === null ? '' : String(subscription.shipmentsRemaining));
  const [typed, setTyped] = useState(current);
  return (
    <ActionDialog
      label="Edit shipments remaining"
      submitLabel="Save"
      disabled={disabled}
      onOpen={() => setTyped(current())}
      onDone={onDone}
      onSubmit={async (idempotencyKey) => {
        const text = typed.trim();
        // Sent as typed when it is not a whole number: the API's message then names the field.
        const value = /^\d+$/.test(text) ? Number(text) : text === '' ? null : text;
        await api.patch(path(subscription), { shipmentsRemaining: value }, { idempotencyKey });
        return {
          notice: `Shipments remaining set to ${String(value)}.`,
          until: (latest) => latest.shipmentsRemaining === value,
        };
      }}
    >
      {(error) => (
        <FormField
          label="Shipments remaining"
          field="shipmentsRemaining"
          error={error}
          hint={`Now: ${subscription.shipmentsRemaining ?? 'not counted'}.`}
        >
          {(props) => (
            <input
              {...props}
              inputMode="numeric"
              autoFocus
              value={typed}
              onChange={(event) => setTyped(event.target.value)}
            />
          )}
        </FormField>
      )}
    </ActionDialog>
  );
}

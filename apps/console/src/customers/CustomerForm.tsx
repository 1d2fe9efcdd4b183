import { type FormEvent, type HTMLInputTypeAttribute, useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { newIdempotencyKey } from '../api/api-client';
import { ErrorMessage } from '../ui/ErrorMessage';
import { FormField } from '../ui/FormField';
import { ADDRESS_FIELDS, type CustomerFormValues } from './customer-form-values';
import './customers.css';

type Field = keyof CustomerFormValues;

/** Where the API's messages name each field (`address.country`). */
const API_FIELD: Record<Field, string> = {
  firstName: 'firstName',
  lastName: 'lastName',
  email: 'email',
  phone: 'phone',
  line1: 'address.line1',
  line2: 'address.line2',
  city: 'address.city',
  postalCode: 'address.postalCode',
  state: 'address.state',
  country: 'address.country',
};

interface FieldOptions {
  required?: boolean;
  hint?: string;
  type?: HTMLInputTypeAttribute;
  autoComplete?: string;
}

/**
 * The customer form of New customer and Edit customer. The browser's own checks are off
 * (noValidate): the API is the one judge of what is valid, and its messages are shown beside each
 * field and in a summary. One Idempotency-Key per content: a double click or a retry after a lost
 * answer sends the same key and is carried out once; any edit makes a new attempt with a new key.
 */
export function CustomerForm({
  initial,
  submitLabel,
  cancelTo,
  requireChange = false,
  onSubmit,
}: {
  initial: CustomerFormValues;
  submitLabel: string;
  cancelTo: string;
  /** An edit with nothing changed has nothing to send. */
  requireChange?: boolean;
  onSubmit(values: CustomerFormValues, idempotencyKey: string): Promise<void>;
}) {
  // An unsaved draft outlives a lapsed key: kept in the tab's sessionStorage until saved or cancelled.
  const draftKey = `ledgerline.console.draft:${submitLabel}:${cancelTo}`;
  const [draft] = useState(() => readDraft(draftKey, initial));
  const [values, setValues] = useState(draft ?? initial);
  const [key, setKey] = useState(newIdempotencyKey);
  const [error, setError] = useState<unknown>(null);
  const [edited, setEdited] = useState<ReadonlySet<Field>>(new Set());
  const [busy, setBusy] = useState(false);
  // The state above updates on the next render; a second click in between must still be refused.
  const submitting = useRef(false);
  const form = useRef<HTMLFormElement>(null);

  useEffect(() => {
    // After a refusal the first field it names takes the focus: the correction starts there.
    if (error) form.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [error]);

  const unchanged = (Object.keys(values) as Field[]).every((field) => values[field].trim() === initial[field].trim());

  useEffect(() => {
    if (unchanged) sessionStorage.removeItem(draftKey);
    else sessionStorage.setItem(draftKey, JSON.stringify(values));
  }, [draftKey, unchanged, values]);

  const update = (field: Field) => (value: string) => {
    setValues((previous) => ({ ...previous, [field]: value }));
    setEdited((previous) => new Set(previous).add(field));
    setKey(newIdempotencyKey());
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (submitting.current || (requireChange && unchanged)) return;
    submitting.current = true;
    setBusy(true);
    setError(null);
    setEdited(new Set());
    try {
      await onSubmit(values, key);
      sessionStorage.removeItem(draftKey);
    } catch (caught) {
      setError(caught);
    } finally {
      submitting.current = false;
      setBusy(false);
    }
  };

  const field = (name: Field, label: string, { required, hint, type = 'text', autoComplete }: FieldOptions = {}) => (
    <FormField
      label={label}
      field={API_FIELD[name]}
      error={error}
      stale={edited.has(name)}
      required={required}
      hint={hint}
    >
      {(control) => (
        <input
          {...control}
          type={type}
          value={values[name]}
          autoComplete={autoComplete}
          onChange={(event) => update(name)(event.target.value)}
        />
      )}
    </FormField>
  );

  return (
    <form ref={form} className="card customer-form" onSubmit={submit} noValidate aria-label={submitLabel}>
      {draft ? (
        <p role="status" className="notice">
          Your unsaved changes were kept.
        </p>
      ) : null}
      <ErrorMessage error={error} />
      <fieldset>
        <legend>Name and contact</legend>
        <div className="grid-2">
          {field('firstName', 'First name', { required: true, autoComplete: 'off' })}
          {field('lastName', 'Last name', { required: true, autoComplete: 'off' })}
          {field('email', 'Email', { type: 'email', autoComplete: 'off' })}
          {field('phone', 'Phone', { type: 'tel', autoComplete: 'off', hint: 'Digits, spaces and + ( ) - .' })}
        </div>
      </fieldset>
      <fieldset>
        <legend>Billing address</legend>
        <p className="muted hint">
          Optional. Leave every field empty for no address; with an address, line 1 and country are needed.
        </p>
        <div className="grid-2">
          {field('line1', 'Address line 1')}
          {field('line2', 'Address line 2')}
          {field('city', 'City')}
          {field('postalCode', 'Postal code')}
          {field('state', 'State or province')}
          {field('country', 'Country', { hint: 'Two-letter ISO code, e.g. US, GB, DE' })}
        </div>
        {ADDRESS_FIELDS.some((name) => initial[name] !== '') ? (
          <p className="muted hint">Emptying every address field removes the address.</p>
        ) : null}
      </fieldset>
      <div className="actions">
        <button type="submit" disabled={busy || (requireChange && unchanged)}>
          {busy ? 'Saving…' : submitLabel}
        </button>
        <Link className="button" to={cancelTo} onClick={() => sessionStorage.removeItem(draftKey)}>
          Cancel
        </Link>
        {requireChange && unchanged ? <span className="muted">No changes yet.</span> : null}
      </div>
    </form>
  );
}

/** The draft kept for this form, when it differs from what the form starts with. */
function readDraft(key: string, initial: CustomerFormValues): CustomerFormValues | null {
  try {
    const text = sessionStorage.getItem(key);
    if (!text) return null;
    const draft = { ...initial, ...(JSON.parse(text) as Partial<CustomerFormValues>) };
    return (Object.keys(initial) as Field[]).some((field) => draft[field] !== initial[field]) ? draft : null;
  } catch {
    return null;
  }
}

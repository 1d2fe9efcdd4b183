import type { PostalAddress } from '../api/api-shapes';
import { FormField } from '../ui/FormField';

export interface AddressInput {
  line1: string;
  line2: string;
  postalCode: string;
  city: string;
  state: string;
  country: string;
}

export const EMPTY_ADDRESS: AddressInput = { line1: '', line2: '', postalCode: '', city: '', state: '', country: '' };

export function addressInputOf(address: PostalAddress | null | undefined): AddressInput {
  if (!address) return EMPTY_ADDRESS;
  return {
    line1: address.line1 ?? '',
    line2: address.line2 ?? '',
    postalCode: address.postalCode ?? '',
    city: address.city ?? '',
    state: address.state ?? '',
    country: address.country ?? '',
  };
}

/**
 * The request's `shippingAddress`: the fields filled in (the API refuses empty strings), or
 * undefined when none is. Whether line1 and country are there is the API's to say.
 */
export function addressBody(input: AddressInput): Partial<AddressInput> | undefined {
  const entries = Object.entries(input)
    .map(([key, value]) => [key, value.trim()] as const)
    .filter(([, value]) => value !== '');
  if (!entries.length) return undefined;
  const body = Object.fromEntries(entries) as Partial<AddressInput>;
  if (body.country) body.country = body.country.toUpperCase();
  return body;
}

const FIELDS: [keyof AddressInput, string, string?][] = [
  ['line1', 'Address line 1', 'address-line1'],
  ['line2', 'Address line 2', 'address-line2'],
  ['postalCode', 'Postal code', 'postal-code'],
  ['city', 'City', 'address-level2'],
  ['state', 'State or province', 'address-level1'],
  ['country', 'Country code', 'country'],
];

/** A postal address, each field with the API's messages about `<prefix>.<field>`. */
export function AddressFields({
  value,
  onChange,
  error,
  prefix = 'shippingAddress',
}: {
  value: AddressInput;
  onChange(value: AddressInput): void;
  error: unknown;
  prefix?: string;
}) {
  return (
    <div className="grid-3">
      {FIELDS.map(([key, label, autoComplete]) => (
        <FormField
          key={key}
          label={label}
          field={`${prefix}.${key}`}
          error={error}
          hint={key === 'country' ? 'Two letters, e.g. US, GB, DE' : undefined}
        >
          {(props) => (
            <input
              {...props}
              autoComplete={autoComplete}
              maxLength={key === 'country' ? 2 : 200}
              value={value[key]}
              onChange={(event) => onChange({ ...value, [key]: event.target.value })}
            />
          )}
        </FormField>
      ))}
    </div>
  );
}

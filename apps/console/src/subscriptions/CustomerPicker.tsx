import { type KeyboardEvent, type ReactNode, useEffect, useId, useState } from 'react';
import type { Paged } from '../api/api-shapes';
import { useApi } from '../api/use-api';
import type { Customer } from '../customers/customer-types';
import { ErrorMessage, fieldMessages } from '../ui/ErrorMessage';
import { FormField } from '../ui/FormField';

const DEBOUNCE_MS = 250;

/**
 * Search-as-you-type over GET /customers?q= (name, email, phone, company). The chosen customer is
 * shown in place of the search box, with a way to choose another; arrow keys and Enter pick from
 * the list like a combobox.
 */
export function CustomerPicker({
  label,
  field,
  error,
  hint,
  value,
  onChange,
}: {
  label: string;
  field: string;
  error: unknown;
  hint?: ReactNode;
  value: Customer | null;
  onChange(customer: Customer | null): void;
}) {
  const listId = useId();
  const [text, setText] = useState('');
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);

  useEffect(() => {
    const timer = setTimeout(() => setQuery(text.trim()), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);

  const results = useApi<Paged<Customer>>(
    query && !value ? (api, signal) => api.get('/customers', { query: { q: query, limit: 8 }, signal }) : null,
    [query, value],
  );
  const options = results.data?.data ?? [];

  if (value) {
    const messages = fieldMessages(error, field);
    return (
      <div className="form-field" role="group" aria-label={label}>
        <span>{label}</span>
        <span className="sub-chosen">
          <span data-testid={`chosen-${field}`}>
            <strong>{value.name ?? value.id}</strong>
            {value.email ? <span className="muted"> · {value.email}</span> : null}
          </span>
          <button type="button" onClick={() => onChange(null)}>
            Change {label.toLowerCase()}
          </button>
        </span>
        {messages.length ? <span className="field-error">{messages.join(' · ')}</span> : null}
      </div>
    );
  }

  const choose = (customer: Customer | undefined) => {
    if (!customer) return;
    onChange(customer);
    setText('');
    setQuery('');
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') setActive((index) => Math.min(index + 1, options.length - 1));
    else if (event.key === 'ArrowUp') setActive((index) => Math.max(index - 1, 0));
    else if (event.key === 'Enter' && options.length) choose(options[active]);
    else return;
    event.preventDefault();
  };

  const choices = (
    <>
      {query && results.error ? <ErrorMessage error={results.error} /> : null}
      {query && results.data && !options.length ? <span className="muted">No customer matches “{query}”.</span> : null}
      {options.length ? (
        <ul role="listbox" id={listId} aria-label={`${label} choices`} className="sub-options">
          {options.map((customer, index) => (
            <li
              key={customer.id}
              id={`${listId}-${index}`}
              role="option"
              aria-selected={index === active}
              onMouseDown={(event) => event.preventDefault()}
              onClick={() => choose(customer)}
            >
              <strong>{customer.name ?? customer.id}</strong>{' '}
              <span className="muted">
                {[customer.email, customer.phone, customer.company].filter(Boolean).join(' · ')}
              </span>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );

  return (
    <FormField label={label} field={field} error={error} hint={hint} after={choices}>
      {(props) => (
        <input
          {...props}
          type="search"
          role="combobox"
          aria-expanded={options.length > 0}
          aria-controls={listId}
          aria-autocomplete="list"
          aria-activedescendant={options.length ? `${listId}-${active}` : undefined}
          autoComplete="off"
          placeholder="Name, email, phone or company"
          value={text}
          onChange={(event) => {
            setText(event.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
        />
      )}
    </FormField>
  );
}

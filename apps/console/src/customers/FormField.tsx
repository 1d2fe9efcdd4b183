import { type HTMLInputTypeAttribute, useId } from 'react';
import { fieldMessages } from '../ui/ErrorMessage';

/**
 * One labelled input with the API's messages about it beside it. `field` is the field's path in the
 * request body (`address.country`), which is how the API's 400 messages name it. Messages are tied
 * to the input by aria-describedby, so a screen reader reads them with the field.
 */
export function FormField({
  label,
  field,
  value,
  onChange,
  error,
  stale = false,
  required = false,
  hint,
  type = 'text',
  autoComplete,
}: {
  label: string;
  field: string;
  value: string;
  onChange(value: string): void;
  error: unknown;
  /** Edited since the error came: its message may no longer hold, so it is not shown. */
  stale?: boolean;
  required?: boolean;
  hint?: string;
  type?: HTMLInputTypeAttribute;
  autoComplete?: string;
}) {
  const id = useId();
  const messages = stale ? [] : fieldMessages(error, field);
  const hintId = hint ? `${id}-hint` : null;
  const errorId = messages.length > 0 ? `${id}-error` : null;
  return (
    <div className="form-field">
      <label>
        <span>
          {label}
          {required ? (
            <span className="required" aria-hidden="true">
              {' '}
              *
            </span>
          ) : null}
        </span>
        <input
          name={field}
          type={type}
          value={value}
          autoComplete={autoComplete}
          aria-required={required || undefined}
          aria-invalid={messages.length > 0 || undefined}
          aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined}
          onChange={(event) => onChange(event.target.value)}
        />
      </label>
      {hintId ? (
        <span id={hintId} className="muted hint">
          {hint}
        </span>
      ) : null}
      {errorId ? (
        <span id={errorId} className="field-error">
          {messages.join(' · ')}
        </span>
      ) : null}
    </div>
  );
}

import { type ReactNode, useId } from 'react';
import { humanMessage } from './api-messages';
import { fieldMessages } from './ErrorMessage';

/** What the control inside a FormField spreads onto itself: its name and how it is described. */
export interface ControlProps {
  name?: string;
  'aria-invalid'?: true;
  'aria-required'?: true;
  'aria-describedby'?: string;
}

/**
 * A labelled control with its hint and the API's 400 messages about `field` (its path in the
 * request body, `address.country`, which is how the API's messages name it). Hint and messages sit
 * outside the <label>, tied by aria-describedby: a screen reader reads them with the control, whose
 * accessible name stays its label alone.
 */
export function FormField({
  label,
  field,
  error,
  stale = false,
  required = false,
  hint,
  after,
  children,
}: {
  label: string;
  field?: string;
  error?: unknown;
  /** Edited since the error came: its message may no longer hold, so it is not shown. */
  stale?: boolean;
  required?: boolean;
  hint?: ReactNode;
  /** Shown below the control, outside the label (a picker's list of choices). */
  after?: ReactNode;
  children: (control: ControlProps) => ReactNode;
}) {
  const id = useId();
  const messages = field && !stale ? fieldMessages(error, field) : [];
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = messages.length ? `${id}-error` : undefined;
  const control: ControlProps = {
    name: field,
    'aria-invalid': messages.length ? true : undefined,
    'aria-required': required || undefined,
    'aria-describedby': [hintId, errorId].filter(Boolean).join(' ') || undefined,
  };
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
        {children(control)}
      </label>
      {after}
      {hintId ? (
        <span id={hintId} className="muted hint">
          {hint}
        </span>
      ) : null}
      {errorId ? (
        <span id={errorId} className="field-error">
          {messages.map((message) => humanMessage(message, field, label)).join(' · ')}
        </span>
      ) : null}
    </div>
  );
}

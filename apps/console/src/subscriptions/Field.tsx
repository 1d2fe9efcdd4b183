import { type ReactNode, useId } from 'react';
import { fieldMessages } from '../ui/ErrorMessage';

export interface ControlProps {
  name?: string;
  'aria-invalid'?: true;
  'aria-describedby'?: string;
}

/**
 * A labelled control with its hint and the API's 400 messages about `field` (its path in the
 * request body). Hint and messages sit outside the <label>, tied by aria-describedby, so the
 * control's accessible name stays its label alone.
 */
export function Field({
  label,
  field,
  error,
  hint,
  after,
  children,
}: {
  label: string;
  field?: string;
  error?: unknown;
  hint?: ReactNode;
  /** Shown below the control, outside the label (a picker's list of choices). */
  after?: ReactNode;
  children: (props: ControlProps) => ReactNode;
}) {
  const id = useId();
  const messages = field ? fieldMessages(error, field) : [];
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = messages.length ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className="sub-field">
      <label>
        {label}
        {children({ name: field, 'aria-invalid': messages.length ? true : undefined, 'aria-describedby': describedBy })}
      </label>
      {after}
      {hint ? (
        <span id={hintId} className="muted sub-hint">
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

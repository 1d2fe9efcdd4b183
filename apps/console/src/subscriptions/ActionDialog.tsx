import { type FormEvent, type ReactNode, useState } from 'react';
import { newIdempotencyKey } from '../api/api-client';
import { Dialog } from '../ui/Dialog';
import { ErrorMessage } from '../ui/ErrorMessage';
import type { Subscription } from './subscription-types';

/** What a command's success means for the page: a notice, and how to tell the read model has it. */
export interface ActionOutcome {
  notice: string;
  /** Holds once GET /subscriptions/:id shows the change; the page waits for it, then reloads. */
  until?: (subscription: Subscription) => boolean;
  /** Another subscription to open instead (the one a plan change started). */
  open?: string;
}

/**
 * A button opening a small form in a dialog for one command. The API's refusal (400 with every
 * problem, 409 when the state does not allow it) stays in the dialog, beside the fields; success
 * closes it and hands the outcome to the page. Each submit carries a fresh Idempotency-Key, so a
 * corrected resubmit after a refusal is decided again rather than answered from the first try.
 */
export function ActionDialog({
  label,
  title = label,
  submitLabel,
  danger = false,
  disabled = false,
  onOpen,
  onSubmit,
  onDone,
  children,
}: {
  label: string;
  title?: string;
  submitLabel: string;
  danger?: boolean;
  disabled?: boolean;
  /** Resets the form's fields to the subscription's current values. */
  onOpen?(): void;
  onSubmit(idempotencyKey: string): Promise<ActionOutcome>;
  onDone(outcome: ActionOutcome): void;
  children?: (error: unknown) => ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const show = () => {
    onOpen?.();
    setError(null);
    setOpen(true);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const outcome = await onSubmit(newIdempotencyKey());
      setOpen(false);
      onDone(outcome);
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" className={danger ? 'danger' : undefined} disabled={disabled} onClick={show}>
        {label}
      </button>
      {open ? (
        <Dialog label={title} className="sub-form" onSubmit={submit} onClose={busy ? undefined : () => setOpen(false)}>
          <h2>{title}</h2>
          {children?.(error)}
          <ErrorMessage error={error} />
          <div className="actions">
            <button type="button" onClick={() => setOpen(false)} disabled={busy}>
              Close
            </button>
            <button type="submit" className={danger ? 'danger' : undefined} disabled={busy}>
              {busy ? 'Working…' : submitLabel}
            </button>
          </div>
        </Dialog>
      ) : null}
    </>
  );
}

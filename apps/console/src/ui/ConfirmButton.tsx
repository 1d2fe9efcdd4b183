import { type ReactNode, useState } from 'react';
import { Dialog } from './Dialog';

/**
 * A button that asks before it acts (delete, cancel, refund): the first click opens a dialog saying
 * what will happen (ui/Dialog: focus inside, Escape keeps it); only its confirm button runs `onConfirm`.
 */
export function ConfirmButton({
  label,
  question,
  confirmLabel,
  onConfirm,
  danger = true,
  disabled = false,
}: {
  label: string;
  question: ReactNode;
  confirmLabel: string;
  onConfirm(): Promise<void> | void;
  danger?: boolean;
  disabled?: boolean;
}) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    try {
      await onConfirm();
    } finally {
      setBusy(false);
      setOpen(false);
    }
  };
  return (
    <>
      <button type="button" className={danger ? 'danger' : undefined} disabled={disabled} onClick={() => setOpen(true)}>
        {label}
      </button>
      {open ? (
        <Dialog label={label} onClose={busy ? undefined : () => setOpen(false)}>
          <div>{question}</div>
          <div className="actions">
            <button type="button" onClick={() => setOpen(false)} disabled={busy}>
              Keep it
            </button>
            <button type="button" className={danger ? 'danger' : undefined} onClick={confirm} disabled={busy}>
              {busy ? 'Working…' : confirmLabel}
            </button>
          </div>
        </Dialog>
      ) : null}
    </>
  );
}

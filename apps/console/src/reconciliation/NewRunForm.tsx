import { type FormEvent, useRef, useState } from 'react';
import { useApiClient } from '../session/session';
import { ErrorMessage } from '../ui/ErrorMessage';
import { FormField } from '../ui/FormField';
import type { ReconciliationRun } from './reconciliation-api';

interface Values {
  from: string;
  to: string;
  currency: string;
  account: string;
}

const DAY_MS = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Periods finance asks for most, in UTC days ([from, to): `to` is the day after the last one). */
function presets(now = Date.now()): { label: string; from: string; to: string }[] {
  const today = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate());
  const monthStart = new Date(today);
  monthStart.setUTCDate(1);
  const lastMonthStart = new Date(monthStart);
  lastMonthStart.setUTCMonth(lastMonthStart.getUTCMonth() - 1);
  return [
    { label: 'Yesterday', from: isoDay(today - DAY_MS), to: isoDay(today) },
    { label: 'Last 7 days', from: isoDay(today - 7 * DAY_MS), to: isoDay(today) },
    { label: 'Last month', from: isoDay(lastMonthStart.getTime()), to: isoDay(monthStart.getTime()) },
  ];
}

/**
 * Starts a reconciliation run (`POST /reconciliation/runs`). The browser's own checks are off: the
 * API judges the period (dates, order, currency, account) and its messages are shown as it words
 * them, in a summary and beside each field.
 */
export function NewRunForm({ onStarted }: { onStarted(run: ReconciliationRun): void }) {
  const api = useApiClient();
  const [values, setValues] = useState<Values>({ from: '', to: '', currency: '', account: '' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  // State updates on the next render; a second click in between must not start a second run.
  const submitting = useRef(false);

  const set = (name: keyof Values) => (value: string) => setValues((previous) => ({ ...previous, [name]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (submitting.current) return;
    submitting.current = true;
    setBusy(true);
    setError(null);
    try {
      const run = await api.post<ReconciliationRun>('/reconciliation/runs', {
        from: values.from.trim(),
        to: values.to.trim(),
        currency: values.currency.trim() || undefined,
        account: values.account.trim() || undefined,
      });
      onStarted(run);
    } catch (caught) {
      setError(caught);
    } finally {
      submitting.current = false;
      setBusy(false);
    }
  };

  const field = (name: keyof Values, label: string, hint: string, type = 'text') => (
    <FormField label={label} field={name} error={error} hint={hint}>
      {(control) => (
        <input {...control} type={type} value={values[name]} onChange={(event) => set(name)(event.target.value)} />
      )}
    </FormField>
  );

  return (
    <form className="card new-run" onSubmit={submit} noValidate aria-label="New reconciliation run">
      <h2>New run</h2>
      <p className="muted">
        Compares the platform’s money events with Stripe’s balance over a period of UTC days, from the first day up to
        (not including) the last.
      </p>
      <div className="presets" aria-label="Periods">
        {presets().map((preset) => (
          <button
            key={preset.label}
            type="button"
            className="link"
            onClick={() => setValues((previous) => ({ ...previous, from: preset.from, to: preset.to }))}
          >
            {preset.label}
          </button>
        ))}
      </div>
      <ErrorMessage error={error} />
      <div className="new-run-fields">
        {field('from', 'From', 'First day, included', 'date')}
        {field('to', 'To', 'Day after the last one', 'date')}
        {field('currency', 'Currency', 'Optional: eur, usd…')}
        {field('account', 'Connect account', 'Optional: acct_…')}
      </div>
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Starting…' : 'Start run'}
        </button>
      </div>
    </form>
  );
}

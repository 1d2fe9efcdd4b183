import type { Answer, Schemas } from '../api/api-schemas';

/** The shapes of /reconciliation/runs (docs/reconciliation.md); amounts in minor units, as Stripe gives them. */

/** `GET /reconciliation/runs`: a page of runs, newest first; `next` is the `before` of the next (older) page. */
export type RunList = Answer<'/reconciliation/runs', 'get'>;

/** A run as the list and `POST /reconciliation/runs` answer it. */
export type ReconciliationRun = RunList['data'][number];

/** `interrupted`: still marked running, but its process stopped beating. */
export type RunStatus = ReconciliationRun['status'];

export type LedgerLine = Schemas['LedgerLine'];

export type Finding = Schemas['Finding'];

export type FindingKind = Finding['kind'];

export type ReconciliationReport = Schemas['ReconciliationReport'];

/** `GET /reconciliation/runs/:id`: the run, and its report once done. */
export type RunWithReport = Answer<'/reconciliation/runs/{id}', 'get'>;

export const runPath = (id: string) => `/reconciliation/runs/${encodeURIComponent(id)}`;

/**
 * What each kind of finding means, in finance's words (the table of docs/reconciliation.md): every
 * kind the API reports, so a new one fails to compile until it is explained here.
 */
export const FINDING_KINDS: Record<FindingKind, { label: string; meaning: string }> = {
  missing_in_events: {
    label: 'Missing in events',
    meaning: 'A balance transaction whose source no stored event mentions (a missed webhook).',
  },
  missing_in_stripe: {
    label: 'Missing in Stripe',
    meaning: 'A succeeded charge or effective refund with no balance transaction.',
  },
  amount_differs: { label: 'Amount differs', meaning: 'The events and Stripe’s balance disagree on the amount.' },
  currency_differs: { label: 'Currency differs', meaning: 'The events and Stripe’s balance disagree on the currency.' },
  counted_twice: {
    label: 'Counted twice',
    meaning: 'Two balance transactions for one source, or one payment intent or invoice paid by two charges.',
  },
  platform_refund_not_in_stripe: {
    label: 'Platform refund not in Stripe',
    meaning: 'A refund the platform asked for that Stripe never made.',
  },
  platform_refund_amount_differs: {
    label: 'Platform refund amount differs',
    meaning: 'A refund the platform asked for that Stripe made for another amount.',
  },
  stripe_refund_not_in_events: {
    label: 'Stripe refund not in events',
    meaning: 'A refund in Stripe’s balance the platform never saw.',
  },
  paid_invoice_without_payment: {
    label: 'Paid invoice without payment',
    meaning: 'An invoice paid with money whose charge is not in the events.',
  },
  payment_without_invoice: {
    label: 'Payment without invoice',
    meaning: 'A charge paying an invoice no stored event mentions.',
  },
  read_model_differs: {
    label: 'Read model differs',
    meaning: 'A read-model total that differs from the ledger (a projection bug).',
  },
};

/** A kind as the address or a run's counts name it: one the console explains, or not. */
function isFindingKind(kind: string): kind is FindingKind {
  return Object.hasOwn(FINDING_KINDS, kind);
}

export function kindLabel(kind: string): string {
  return isFindingKind(kind) ? FINDING_KINDS[kind].label : kind.replace(/_/g, ' ');
}

export function kindMeaning(kind: string): string | undefined {
  return isFindingKind(kind) ? FINDING_KINDS[kind].meaning : undefined;
}

/** The period [from, to) in UTC: dates alone when both bounds are midnights, as they usually are. */
export function formatPeriod(period: { from: string; to: string }): string {
  const midnight = (iso: string) => iso.endsWith('T00:00:00.000Z');
  if (midnight(period.from) && midnight(period.to)) {
    return `${period.from.slice(0, 10)} → ${period.to.slice(0, 10)}`;
  }
  const short = (iso: string) => iso.replace('T', ' ').replace(/\.000Z$/, 'Z');
  return `${short(period.from)} → ${short(period.to)}`;
}

/** The currency and Connect account a run was limited to, if any. */
export function scopeOf(run: Pick<ReconciliationRun, 'currency' | 'account'>): string {
  const parts = [run.currency?.toUpperCase() ?? 'every currency', run.account ?? 'every account'];
  return parts.join(', ');
}

/** What a running run is doing (its `phase`). */
export function phaseLabel(phase: string): string {
  if (phase === 'events') return 'reading the events';
  if (phase === 'stripe') return 'reading Stripe’s balance';
  if (phase === 'read_models') return 'checking the read models';
  return phase;
}

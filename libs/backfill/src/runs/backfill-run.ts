import type { BackfillObjectName } from '../objects/backfill-objects';

export type BackfillKind = 'backfill' | 'product_import';

/** `interrupted`: stored as running, but its process stopped beating (killed, crashed). */
export type BackfillStatus = 'pending' | 'running' | 'done' | 'failed' | 'stopped' | 'interrupted';

/** What to import. Two requests with the same key are the same backfill: the second resumes the first. */
export interface BackfillRequest {
  kind: BackfillKind;
  objects: BackfillObjectName[];
  /** `platform`, one `acct_...`, or `all` (every connected account). */
  accountScope: string;
  /** Only objects created at or after this (Unix seconds); null: everything. */
  since: number | null;
  /** How `since` was asked for (`2024-01-01`, `days:30`): `--days 30` tomorrow is still the same backfill. */
  sinceSpec: string | null;
  /** A product import's Stripe product. */
  stripeProductId: string | null;
}

export interface BackfillTypeProgress {
  /** null: the platform account. */
  account: string | null;
  object: BackfillObjectName;
  done: boolean;
  /** `starting_after` of the next page. */
  cursor: string | null;
  fetched: number;
  appended: number;
  unchanged: number;
  failed: number;
  retries: number;
  /** How many objects the listing will have fetched in all, estimated from how far back in time it is. */
  estimatedTotal: number | null;
  error: string | null;
}

export interface BackfillTotals {
  fetched: number;
  appended: number;
  unchanged: number;
  failed: number;
}

export interface BackfillRun extends Omit<BackfillRequest, 'since'> {
  id: string;
  status: BackfillStatus;
  since: string | null;
  requestedBy: string;
  requestedAt: string;
  finishedAt: string | null;
  error: string | null;
  stopRequested: boolean;
  progress: BackfillTypeProgress[];
  totals: BackfillTotals;
  /** Objects per second since the run was (re)started, and seconds left by the estimates; null while unknown. */
  rate: number | null;
  etaSeconds: number | null;
}

export function runKeyOf(request: BackfillRequest): string {
  return [
    request.kind,
    request.accountScope,
    request.objects.join(','),
    request.sinceSpec ?? '',
    request.stripeProductId ?? '',
  ].join('|');
}

export function totalsOf(progress: BackfillTypeProgress[]): BackfillTotals {
  const totals = { fetched: 0, appended: 0, unchanged: 0, failed: 0 };
  for (const row of progress) {
    totals.fetched += row.fetched;
    totals.appended += row.appended;
    totals.unchanged += row.unchanged;
    totals.failed += row.failed;
  }
  return totals;
}

/** Seconds until every type is listed, from the estimates and the rate; null when either is unknown. */
export function etaSecondsOf(progress: BackfillTypeProgress[], rate: number | null): number | null {
  if (progress.every((row) => row.done)) return 0;
  if (!rate || rate <= 0) return null;
  let left = 0;
  for (const row of progress) {
    if (row.done) continue;
    if (row.estimatedTotal === null) return null;
    left += Math.max(0, row.estimatedTotal - row.fetched);
  }
  return Math.ceil(left / rate);
}

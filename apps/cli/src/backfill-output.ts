import type { BackfillRun, BackfillTypeProgress } from '@ledgerline/backfill';
import { Progress } from './progress';

/** One bar per listing (object type, and account when there are several), finished as it ends. */
export class BackfillBars {
  private readonly bars = new Map<string, Progress>();
  private readonly finished = new Set<string>();

  constructor(private readonly showAccount: boolean) {}

  update(listing: BackfillTypeProgress): void {
    const label = labelOf(listing, this.showAccount);
    if (this.finished.has(label)) return;
    const fresh = !this.bars.has(label);
    const bar = this.bars.get(label) ?? new Progress(label.padEnd(this.showAccount ? 40 : 20));
    this.bars.set(label, bar);
    const detail = `${listing.appended.toLocaleString('en')} appended, ${listing.unchanged.toLocaleString('en')} unchanged`;
    if (listing.done || listing.error) {
      this.finished.add(label);
      // Done before this process started: an earlier attempt of a resumed run listed it.
      const earlier = fresh && listing.done ? ' by an earlier attempt' : '';
      bar.finish(
        listing.error
          ? `FAILED after ${listing.fetched.toLocaleString('en')} fetched: ${listing.error}`
          : `done${earlier}: ${listing.fetched.toLocaleString('en')} fetched (${detail})`,
      );
      return;
    }
    bar.update(listing.fetched, listing.estimatedTotal, detail);
  }
}

function labelOf(listing: BackfillTypeProgress, showAccount: boolean): string {
  return showAccount ? `${listing.object} ${listing.account ?? 'platform'}` : listing.object;
}

/** The end-of-run table: per listing and in all, fetched, appended, unchanged, failed. */
export function backfillSummary(run: BackfillRun): string {
  const showAccount = new Set(run.progress.map((row) => row.account)).size > 1 || run.accountScope !== 'platform';
  const header = ['object', ...(showAccount ? ['account'] : []), 'fetched', 'appended', 'unchanged', 'failed', 'state'];
  const rows = run.progress.map((row) => [
    row.object,
    ...(showAccount ? [row.account ?? 'platform'] : []),
    ...[row.fetched, row.appended, row.unchanged, row.failed].map(String),
    row.error ? 'failed' : row.done ? 'done' : 'not finished',
  ]);
  const totals = run.totals;
  rows.push([
    'total',
    ...(showAccount ? [''] : []),
    ...[totals.fetched, totals.appended, totals.unchanged, totals.failed].map(String),
    run.status,
  ]);
  const widths = header.map((_, i) => Math.max(...[header, ...rows].map((row) => row[i]!.length)));
  const line = (row: string[]): string =>
    row
      .map((cell, i) =>
        i === 0 || (showAccount && i === 1) || i === row.length - 1
          ? cell.padEnd(widths[i]!)
          : cell.padStart(widths[i]!),
      )
      .join('  ')
      .trimEnd();
  const failures = run.progress
    .filter((row) => row.error)
    .map((row) => `  ${row.object}${row.account ? ` of ${row.account}` : ''}: ${row.error}`);
  return [
    `backfill run ${run.id}: ${run.status}`,
    line(header),
    ...rows.map(line),
    ...(failures.length
      ? ['failures (run the same command again to retry them from the page that failed):', ...failures]
      : []),
  ].join('\n');
}

export function describeRun(run: BackfillRun): string {
  const since = run.since ? ` since ${run.since}` : '';
  const what =
    run.kind === 'product_import' ? `import of the subscribers of ${run.stripeProductId}` : run.objects.join(',');
  return `${run.id}  ${run.status.padEnd(11)}  ${run.requestedAt}  ${run.accountScope}  ${what}${since}  fetched ${run.totals.fetched}, appended ${run.totals.appended}  by ${run.requestedBy}`;
}

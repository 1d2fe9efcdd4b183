import type Stripe from 'stripe';
import type { EventStore } from '@ledgerline/event-store';
import type { ListedObject, ListPage } from '../objects/backfill-objects';
import { type RecordOutcome, recordBackfilledObject } from '../recording/record-backfilled-object';
import { pacedStripeCall } from '../stripe/paced-stripe-call';
import type { RequestPacer } from '../stripe/request-pacer';
import type { BackfillRun, BackfillTypeProgress } from './backfill-run';
import type { BackfillRuns, PageCommit } from './backfill-runs';

/** Objects stored at once: appends to different streams are independent; more would only queue on the pool. */
const RECORD_CONCURRENCY = 4;

/** What one run's listings share: the run, the clients, the pace, the stop signal. */
export interface BackfillContext {
  run: BackfillRun;
  store: EventStore;
  stripe: Stripe;
  runs: BackfillRuns;
  pacer: RequestPacer;
  maxAttempts: number;
  pageSize: number;
  backoffBaseMs?: number;
  signal: AbortSignal;
  /** Stops the run after the page in hand (someone asked through the API or the CLI). */
  stop(): void;
  /** When listing started (Unix seconds): the reference for estimates. */
  listedFrom: number;
  apiVersion: string;
  /** Retries so far (all listings): each page reports its own share. */
  retries: number;
  onProgress(listing: BackfillTypeProgress): void;
  log(message: string): void;
}

/** One Stripe request at the run's pace, retried as pacedStripeCall does; retries are counted. */
export function stripeCall<T>(context: BackfillContext, what: string, call: () => Promise<T>): Promise<T> {
  return pacedStripeCall(what, call, {
    pacer: context.pacer,
    maxAttempts: context.maxAttempts,
    signal: context.signal,
    backoffBaseMs: context.backoffBaseMs,
    onRetry: (retry) => {
      context.retries += 1;
      context.log(
        `${what}: Stripe answered ${retry.reason}, retrying in ${(retry.delayMs / 1000).toFixed(1)} s (attempt ${retry.attempt + 1})`,
      );
    },
  });
}

export function requestOptions(account: string | null): { stripeAccount?: string } {
  return account ? { stripeAccount: account } : {};
}

/** A page whose objects could not all be stored: the listing stops there and is retried from that page. */
export class RecordingFailed extends Error {
  constructor(
    readonly failed: number,
    firstError: unknown,
  ) {
    super(
      `${failed} object${failed > 1 ? 's' : ''} of the page could not be stored: ${(firstError as Error).message ?? String(firstError)}`,
    );
    this.name = 'RecordingFailed';
  }
}

export interface RecordedPage {
  appended: number;
  unchanged: number;
}

/** Stores a page's objects, a few at a time; all or the page is reported failed (nothing is skipped). */
export async function recordPage(
  context: BackfillContext,
  account: string | null,
  objects: ListedObject[],
  requestedAt: number,
): Promise<RecordedPage> {
  const recording = { runId: context.run.id, account, requestedAt, apiVersion: context.apiVersion };
  const outcomes: (RecordOutcome | { error: unknown })[] = new Array(objects.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < objects.length) {
      const index = next++;
      try {
        outcomes[index] = await recordBackfilledObject(context.store, objects[index]!, recording);
      } catch (error) {
        outcomes[index] = { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(RECORD_CONCURRENCY, objects.length) }, worker));
  const errors = outcomes.filter((outcome): outcome is { error: unknown } => typeof outcome === 'object');
  if (errors.length) throw new RecordingFailed(errors.length, errors[0]!.error);
  return {
    appended: outcomes.filter((outcome) => outcome === 'appended').length,
    unchanged: outcomes.filter((outcome) => outcome === 'unchanged').length,
  };
}

/**
 * Commits a page of a listing (its cursor and counts), then mirrors it on the listing in hand and
 * reports progress. A stop asked for meanwhile takes effect before the next page.
 */
export async function commitListingPage(
  context: BackfillContext,
  listing: BackfillTypeProgress,
  page: PageCommit,
): Promise<void> {
  const { stopRequested } = await context.runs.commitPage(context.run.id, listing.account, listing.object, page);
  if (stopRequested) context.stop();
  Object.assign(listing, {
    cursor: page.cursor,
    done: page.done,
    fetched: listing.fetched + page.fetched,
    appended: listing.appended + page.appended,
    unchanged: listing.unchanged + page.unchanged,
    retries: listing.retries + page.retries,
    estimatedTotal: page.estimatedTotal ?? listing.estimatedTotal,
    error: null,
  });
  context.onProgress(listing);
}

/** Every object of a small list (connected accounts, a customer's payment methods), page after page. */
export async function listAll(
  context: BackfillContext,
  what: string,
  fetchPage: (startingAfter: string | undefined) => Promise<unknown>,
): Promise<ListedObject[]> {
  const found: ListedObject[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = (await stripeCall(context, what, () => fetchPage(cursor))) as ListPage;
    found.push(...page.data);
    cursor = page.data.at(-1)?.id;
    if (!page.has_more || !cursor) return found;
  }
}

import { timeBound } from '@ledgerline/events';
import { parseBackfillObjects } from '../objects/backfill-objects';
import type { BackfillRequest } from './backfill-run';
import type { BackfillRuns } from './backfill-runs';
import { BackfillBusyError } from './execute-backfill';

/** What an operator asks for, from the CLI's options or the API's body. */
export interface BackfillAsk {
  objects?: string[];
  /** `2024-01-01` (UTC midnight) or a time with a zone. */
  since?: string;
  days?: number;
  /** `acct_...` or `all`; absent: the platform account. */
  account?: string;
}

/** A bad ask, naming the option or field (`since`, `objects`...). */
export class BackfillRequestError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'BackfillRequestError';
  }
}

export function backfillRequestOf(ask: BackfillAsk, now = Date.now()): BackfillRequest {
  let objects;
  try {
    objects = parseBackfillObjects(ask.objects);
  } catch (error) {
    throw new BackfillRequestError('objects', (error as Error).message);
  }
  if (ask.since !== undefined && ask.days !== undefined) {
    throw new BackfillRequestError('since', 'give since or days, not both');
  }
  let since: number | null = null;
  let sinceSpec: string | null = null;
  if (ask.since !== undefined) {
    const bound = timeBound(ask.since);
    if ('problem' in bound) throw new BackfillRequestError('since', `since ${bound.problem}, got "${ask.since}"`);
    if (bound.seconds * 1000 > now) throw new BackfillRequestError('since', `since (${ask.since}) is in the future`);
    since = bound.seconds;
    sinceSpec = new Date(since * 1000).toISOString();
  }
  if (ask.days !== undefined) {
    if (!Number.isInteger(ask.days) || ask.days < 1 || ask.days > 36_500) {
      throw new BackfillRequestError('days', `days needs a whole number of days from 1 to 36500, got ${ask.days}`);
    }
    since = Math.floor(now / 1000) - ask.days * 86_400;
    sinceSpec = `days:${ask.days}`;
  }
  const account = ask.account ?? 'platform';
  if (account !== 'platform' && account !== 'all' && !/^acct_[A-Za-z0-9]+$/.test(account)) {
    throw new BackfillRequestError(
      'account',
      `account needs a Connect account id (acct_...) or "all", got "${account}"`,
    );
  }
  return { kind: 'backfill', objects, accountScope: account, since, sinceSpec, stripeProductId: null };
}

/** A product link's import: the subscriptions to the product that give access, and their customers. */
export function productImportRequestOf(stripeProductId: string, account: string | null): BackfillRequest {
  return {
    kind: 'product_import',
    objects: ['customers', 'subscriptions'],
    accountScope: account ?? 'platform',
    since: null,
    sinceSpec: null,
    stripeProductId,
  };
}

/**
 * The run to execute for a request: the unfinished run of the same request (stopped, failed or
 * interrupted), which then resumes where it stopped, or a new one. `restart` always starts anew.
 * Throws BackfillBusyError while a live process is running the same request.
 */
export async function runFor(
  runs: BackfillRuns,
  request: BackfillRequest,
  requestedBy: string,
  options: { restart?: boolean } = {},
): Promise<{ id: string; resumed: boolean }> {
  const unfinished = await runs.unfinished(request);
  if (unfinished?.active) throw new BackfillBusyError(unfinished.id);
  if (unfinished && !options.restart) return { id: unfinished.id, resumed: true };
  return { id: await runs.create(request, requestedBy), resumed: false };
}

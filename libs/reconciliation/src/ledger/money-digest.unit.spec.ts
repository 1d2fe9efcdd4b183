import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { RecordedEvent } from '@ledgerline/event-store';
import { loadEventFixtures } from '@ledgerline/testing';
import { recordedEventAt } from '../testing/recorded-event';
import { MONEY_EVENTS } from '../runs/reconcile';
import { LedgerBook } from './ledger-book';
import { keptForm, MONEY_DIGEST_VERSION, moneyDigestOf, parseDigest } from './money-digest';

/**
 * The hash of the digests of every shared fixture (and of the money streams read), per digest
 * version. Kept digests are read instead of events, so a change to what moneyDigestOf returns
 * without a new version would let old digests and new ones disagree in one report.
 */
const PINNED: Record<number, string> = {
  1: '0d5f0ff301ea9e814793e003f9159483010f4b6e1450dadab5a28abc3f275cbc',
};

/** Every shared fixture event as the webhook stores it, once for the platform account and once for a Connect account. */
function storedFixtures(): RecordedEvent[] {
  return loadEventFixtures().flatMap(({ body }, index) =>
    [null, 'acct_1Connected'].map((account, copy): RecordedEvent => {
      const position = BigInt(index * 2 + copy + 1);
      const data = JSON.parse(body) as Record<string, unknown>;
      return recordedEventAt(position, {
        type: String(data.type),
        stream: 'stripe_x-1',
        data: account ? { ...data, account } : data,
        metadata: { source: 'stripe', recordedAt: '2026-01-01T00:00:00.000Z' },
      });
    }),
  );
}

function platform(position: bigint, type: string, data: Record<string, unknown>): RecordedEvent {
  return {
    id: `00000000-0000-4000-9000-${String(position).padStart(12, '0')}`,
    type,
    stream: 'payment-rr_1',
    revision: 0n,
    position,
    data,
    metadata: { source: 'platform', recordedAt: '2026-01-02T03:04:05.000Z', occurredAt: '2026-01-02T03:04:00.000Z' },
  };
}

const refundRequested = platform(1_000_001n, 'RefundRequested', {
  refundRequestId: 'rr_1',
  chargeId: 'ch_1',
  paymentIntentId: null,
  amount: 500,
  currency: 'usd',
});
const refundLinked = platform(1_000_002n, 'RefundLinkedToStripe', { refundRequestId: 'rr_1', stripeRefundId: 're_1' });

describe('money digests: what a reconciliation keeps of each money event', () => {
  it(`digests every fixture as version ${MONEY_DIGEST_VERSION} was pinned`, () => {
    const lines = [...storedFixtures(), refundRequested, refundLinked].map((event) => {
      const digest = moneyDigestOf(event);
      return `${event.position} ${digest ? JSON.stringify(keptForm(digest)) : '-'}`;
    });
    const hash = createHash('sha256').update(JSON.stringify(MONEY_EVENTS)).update(lines.join('\n')).digest('hex');
    if (PINNED[MONEY_DIGEST_VERSION] !== hash) {
      throw new Error(
        `moneyDigestOf (or MONEY_EVENTS) now gives other digests than version ${MONEY_DIGEST_VERSION} did: ` +
          `if that is meant, bump MONEY_DIGEST_VERSION and pin ${hash} for it (runs then digest the log again).`,
      );
    }
  });

  it('gives the book, read back from its kept text, exactly what the event gives it', () => {
    const events = [...storedFixtures(), refundRequested, refundLinked];
    const fromEvents = new LedgerBook();
    const fromDigests = new LedgerBook();
    for (const event of events) {
      fromEvents.add(event);
      const digest = moneyDigestOf(event);
      if (digest) fromDigests.addDigest(parseDigest(event.position, JSON.stringify(keptForm(digest))));
    }
    expect(fromDigests.held()).toEqual(fromEvents.held());
    expect(fromDigests.held().length).toBeGreaterThan(5);
    expect(fromDigests.refundRequests()).toEqual(fromEvents.refundRequests());
    expect(fromDigests.refundRequests()).toEqual([
      expect.objectContaining({ requestId: 'rr_1', amount: 500, requestedAt: 1767323040, stripeRefundId: 're_1' }),
    ]);
    expect(fromDigests.entries(0, 2 ** 31)).toEqual(fromEvents.entries(0, 2 ** 31));
  });

  it('keeps nothing of an event that tells a run nothing, but keeps a Connect account it names', () => {
    const events = storedFixtures();
    const customerCreated = events.findIndex(
      (event) => event.type === 'customer.created' && !('account' in (event.data as Record<string, unknown>)),
    );
    const [platformCopy, connected] = events.slice(customerCreated, customerCreated + 2);
    expect(moneyDigestOf(platformCopy!)).toBeNull();
    // A run asks Stripe for the balance transactions of every account its events name.
    expect(moneyDigestOf(connected!)).toMatchObject({ account: 'acct_1Connected', facts: [], platform: false });
    expect(moneyDigestOf(platform(7n, 'RefundFailed', { refundRequestId: 'rr_1' }))).toBeNull();
    expect(moneyDigestOf(refundRequested)).toMatchObject({ platform: true, account: null, position: 1_000_001n });
  });
});

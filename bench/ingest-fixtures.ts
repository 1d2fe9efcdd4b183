import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import Stripe from 'stripe';
import { stripeFixturesDir } from '../libs/testing/src/stripe-fixtures';

export const FIXTURE_DIR = join(stripeFixturesDir(), 'events');

export interface Fixture {
  file: string;
  type: string;
  event: Record<string, unknown>;
}

export interface SignedRequest {
  body: Buffer;
  signature: string;
}

/** Every Stripe Event object under FIXTURE_DIR (recursive); files that don't parse or aren't events are skipped. */
export function loadFixtures(dir = FIXTURE_DIR): { fixtures: Fixture[]; skipped: string[] } {
  const fixtures: Fixture[] = [];
  const skipped: string[] = [];
  for (const path of jsonFiles(dir)) {
    const file = relative(dir, path);
    try {
      const event = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, '')) as unknown;
      if (isEvent(event)) fixtures.push({ file, type: event.type, event });
      else skipped.push(`${file} (not an event)`);
    } catch {
      skipped.push(`${file} (not JSON)`);
    }
  }
  return { fixtures: fixtures.sort((a, b) => a.file.localeCompare(b.file)), skipped };
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return jsonFiles(path);
    return entry.name.endsWith('.json') ? [path] : [];
  });
}

function isEvent(value: unknown): value is Record<string, unknown> & { type: string } {
  if (typeof value !== 'object' || value === null) return false;
  const event = value as Record<string, unknown>;
  return event.object === 'event' && typeof event.type === 'string';
}

/**
 * Makes signed webhook requests, each a new event: a fresh `evt_bench_<n>` id and, when
 * `freshObjects` is set, a fresh `data.object.id` too (so each request is also a new object).
 */
export class WebhookSigner {
  private counter = 0;
  private readonly webhooks = new Stripe('sk_test_bench_offline').webhooks;

  constructor(
    private readonly secret: string,
    private readonly freshObjects: boolean,
  ) {}

  sign(fixture: Fixture): SignedRequest {
    const n = ++this.counter;
    const event: Record<string, unknown> = { ...fixture.event, id: `evt_bench_${n}` };
    const data = event.data as { object?: { id?: unknown } } | undefined;
    if (this.freshObjects && data?.object && typeof data.object.id === 'string') {
      event.data = { ...data, object: { ...data.object, id: `${data.object.id}_b${n}` } };
    }
    const payload = JSON.stringify(event);
    return {
      body: Buffer.from(payload),
      signature: this.webhooks.generateTestHeaderString({ payload, secret: this.secret }),
    };
  }

  /** `count` requests rotating through the fixtures, signed now (Stripe's tolerance is 300 s). */
  signMany(fixtures: Fixture[], count: number): SignedRequest[] {
    return Array.from({ length: count }, (_, i) => this.sign(fixtures[i % fixtures.length]!));
  }
}

/**
 * Hands out pre-signed requests, each once. If the pool runs dry it signs in the loop and counts
 * those, since that loads the cores the servers share.
 */
export class RequestPool {
  private next = 0;
  signedInLoop = 0;

  constructor(
    private readonly requests: (SignedRequest | undefined)[],
    private readonly signer: WebhookSigner,
    private readonly fixtures: Fixture[],
  ) {}

  take(): SignedRequest {
    const request = this.requests[this.next];
    if (request) {
      this.requests[this.next++] = undefined; // used once; let it be collected
      return request;
    }
    this.signedInLoop++;
    return this.signer.sign(this.fixtures[this.signedInLoop % this.fixtures.length]!);
  }
}

/** Event types @supabase/stripe-sync-engine 0.48 handles in processEvent (others throw "Unhandled webhook event"). */
export const PEER_EVENT_TYPES = new Set(
  [
    'charge.captured charge.expired charge.failed charge.pending charge.refunded charge.succeeded charge.updated',
    'charge.dispute.created charge.dispute.funds_reinstated charge.dispute.funds_withdrawn charge.dispute.updated',
    'charge.dispute.closed charge.refund.updated',
    'customer.created customer.updated customer.deleted',
    'customer.subscription.created customer.subscription.deleted customer.subscription.paused',
    'customer.subscription.pending_update_applied customer.subscription.pending_update_expired',
    'customer.subscription.trial_will_end customer.subscription.resumed customer.subscription.updated',
    'invoice.created invoice.deleted invoice.finalized invoice.finalization_failed invoice.paid',
    'invoice.payment_action_required invoice.payment_failed invoice.payment_succeeded invoice.upcoming',
    'invoice.sent invoice.voided invoice.marked_uncollectible invoice.updated',
    'product.created product.updated product.deleted price.created price.updated price.deleted',
    'plan.created plan.updated plan.deleted',
    'payment_intent.amount_capturable_updated payment_intent.canceled payment_intent.created',
    'payment_intent.partially_funded payment_intent.payment_failed payment_intent.processing',
    'payment_intent.requires_action payment_intent.succeeded',
    'payment_method.attached payment_method.automatically_updated payment_method.detached payment_method.updated',
    'setup_intent.canceled setup_intent.created setup_intent.requires_action setup_intent.setup_failed',
    'setup_intent.succeeded',
    'subscription_schedule.aborted subscription_schedule.canceled subscription_schedule.completed',
    'subscription_schedule.created subscription_schedule.expiring subscription_schedule.released',
    'subscription_schedule.updated',
    'checkout.session.async_payment_failed checkout.session.async_payment_succeeded',
    'checkout.session.completed checkout.session.expired',
    'credit_note.created credit_note.updated credit_note.voided',
    'radar.early_fraud_warning.created radar.early_fraud_warning.updated',
    'refund.created refund.failed refund.updated review.closed review.opened',
    'customer.tax_id.created customer.tax_id.updated customer.tax_id.deleted invoice_payment.paid',
  ].flatMap((line) => line.split(' ')),
);

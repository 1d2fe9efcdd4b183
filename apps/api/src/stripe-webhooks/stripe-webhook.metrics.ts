import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsRegistry } from '@ledgerline/observability';
import type { RejectionReason } from '@ledgerline/stripe';

/**
 * Webhook counters. Accepted webhooks are labelled by event type (signed, so bounded by what Stripe
 * sends); rejected ones only by reason, since an unsigned body could carry any "type".
 */
@Injectable()
export class StripeWebhookMetrics {
  private readonly received: Counter<'type'>;
  private readonly stored: Counter<'type'>;
  private readonly duplicates: Counter<'type'>;
  private readonly rejected: Counter<'reason'>;

  constructor(metrics: MetricsRegistry) {
    const registers = [metrics.registry];
    this.received = new Counter({
      name: 'ledgerline_stripe_webhooks_received_total',
      help: 'Verified Stripe webhooks received, by event type',
      labelNames: ['type'],
      registers,
    });
    this.stored = new Counter({
      name: 'ledgerline_stripe_webhooks_stored_total',
      help: 'Stripe webhooks stored as new events, by event type',
      labelNames: ['type'],
      registers,
    });
    this.duplicates = new Counter({
      name: 'ledgerline_stripe_webhooks_duplicate_total',
      help: 'Redelivered Stripe webhooks already stored, by event type',
      labelNames: ['type'],
      registers,
    });
    this.rejected = new Counter({
      name: 'ledgerline_stripe_webhooks_rejected_total',
      help: 'Stripe webhooks rejected with a 4xx, nothing stored, by reason',
      labelNames: ['reason'],
      registers,
    });
  }

  countReceived(type: string): void {
    this.received.inc({ type });
  }

  countStored(type: string, duplicate: boolean): void {
    (duplicate ? this.duplicates : this.stored).inc({ type });
  }

  countRejected(reason: RejectionReason): void {
    this.rejected.inc({ reason });
  }
}

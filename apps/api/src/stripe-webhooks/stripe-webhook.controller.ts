import { BadRequestException, Controller, Headers, HttpCode, Inject, Logger, Post, Req } from '@nestjs/common';
import type { Request } from 'express';
import { Public } from '@ledgerline/auth';
import { LEDGERLINE_CONFIG, type LedgerlineConfig } from '@ledgerline/config';
import { EVENT_STORE, type EventStore } from '@ledgerline/event-store';
import { ingestStripeEvent, WebhookRejectedError, WebhookVerifier } from '@ledgerline/stripe';
import { StripeWebhookMetrics } from './stripe-webhook.metrics';

export const STRIPE_WEBHOOK_PATH = '/webhooks/stripe';

@Controller('webhooks/stripe')
export class StripeWebhookController {
  private readonly logger = new Logger('StripeWebhook');
  private readonly verifier: WebhookVerifier;

  constructor(
    @Inject(LEDGERLINE_CONFIG) config: LedgerlineConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly metrics: StripeWebhookMetrics,
  ) {
    this.verifier = new WebhookVerifier(config.stripe.webhookSecrets);
  }

  /**
   * Public: the Stripe signature is the authentication. Answers 200 only after the event has been
   * committed to the store; a redelivery answers 200 with `duplicate: true` and stores nothing.
   */
  @Public()
  @Post()
  @HttpCode(200)
  async receive(@Req() request: Request, @Headers('stripe-signature') signature: string | undefined) {
    const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    let event;
    try {
      event = this.verifier.verify(rawBody, signature);
    } catch (error) {
      if (!(error instanceof WebhookRejectedError)) throw error;
      this.metrics.countRejected(error.reason);
      // Never the body: it carries customers' personal data.
      this.logger.warn(`rejected webhook (${error.reason}): ${error.message}; ${rawBody.length} bytes`);
      throw new BadRequestException(error.message);
    }
    this.metrics.countReceived(event.type);
    const stored = await ingestStripeEvent(this.store, event);
    this.metrics.countStored(event.type, stored.duplicate);
    return { received: true, eventId: stored.eventId, duplicate: stored.duplicate };
  }
}

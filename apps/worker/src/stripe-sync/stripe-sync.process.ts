import { Inject, Injectable, Logger } from '@nestjs/common';
import { CustomerRecords, ReadModelLookups } from '@ledgerline/commands';
import { LEDGERLINE_CONFIG, type LedgerlineConfig } from '@ledgerline/config';
import type { EventStore } from '@ledgerline/event-store';
import { STRIPE_SYNC_CHECKPOINT, SYNCED_COMMAND_EVENT_TYPES } from '@ledgerline/events';
import { createStripeClient } from '@ledgerline/stripe';
import { CheckpointedFollower } from '../checkpointed-follower';
import type { WorkerProcess } from '../worker-process';
import { StripeSync } from './stripe-sync';

/**
 * The Stripe outbound process manager: follows the platform's command events from its durable
 * checkpoint and carries each out on Stripe, one at a time in store order (a customer is created
 * before its subscription, a plan change's credit before the new subscription). Without
 * STRIPE_API_KEY it does not run; the events wait and /admin/stripe-sync says why.
 */
@Injectable()
export class StripeSyncProcess implements WorkerProcess {
  readonly name = 'stripe-sync';
  private readonly logger = new Logger('StripeSync');
  private readonly abort = new AbortController();
  private follower: CheckpointedFollower | null = null;

  constructor(
    @Inject(LEDGERLINE_CONFIG) private readonly config: LedgerlineConfig,
    private readonly customers: CustomerRecords,
    private readonly lookups: ReadModelLookups,
  ) {}

  async start(store: EventStore): Promise<void> {
    const { apiKey, apiBase } = this.config.stripe;
    if (!apiKey) {
      this.logger.warn('STRIPE_API_KEY is not set: outbound Stripe sync is paused; platform events wait for it');
      return;
    }
    const sync = new StripeSync(store, createStripeClient({ apiKey, apiBase }), this.customers, this.lookups, {
      maxAttempts: this.config.commands.stripeSyncMaxAttempts,
      retryBaseMs: this.config.commands.stripeSyncRetryBaseMs,
      signal: this.abort.signal,
      log: (message) => this.logger.log(message),
    });
    this.follower = new CheckpointedFollower({
      checkpointId: STRIPE_SYNC_CHECKPOINT,
      filter: { eventTypePrefixes: [...SYNCED_COMMAND_EVENT_TYPES] },
      batchSize: 20,
      logger: this.logger,
      signal: this.abort.signal,
      handle: async (event) => {
        if (StripeSync.handles(event)) await sync.carryOut(event);
      },
    });
    this.follower.start(store);
    this.logger.log(`carrying platform commands out on Stripe${apiBase ? ` at ${new URL(apiBase).origin}` : ''}`);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.follower?.stop();
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CustomerRecords, ReadModelLookups } from '@ledgerline/commands';
import { LEDGERLINE_CONFIG, type LedgerlineConfig } from '@ledgerline/config';
import type { EventStore } from '@ledgerline/event-store';
import type { Lease, LeasedUnit } from '@ledgerline/leases';
import { filterOf, STRIPE_SYNC_CHECKPOINT } from '@ledgerline/events';
import { createStripeClient } from '@ledgerline/stripe';
import { CheckpointedFollower, followerUnit } from '../checkpointed-follower';
import type { WorkerProcess } from '../worker-process';
import { AttemptsTableRecorder } from './retry-recorder';
import { StripeSync } from './stripe-sync';
import { STRIPE_SYNC_HANDLES } from './stripe-sync.routing';

/**
 * The Stripe outbound process manager: follows the platform's command events from its durable
 * checkpoint and carries each out on Stripe, one at a time in store order (a customer is created
 * before its subscription, a plan change's credit before the new subscription). Without
 * STRIPE_API_KEY it does not run; the events wait and /admin/stripe-sync says why. One worker at a
 * time carries commands out (a unit under a lease); a command one that died was in the middle of
 * is carried out again by the next, with the same idempotency keys, so Stripe does it once.
 */
@Injectable()
export class StripeSyncProcess implements WorkerProcess {
  readonly name = 'stripe-sync';
  private readonly logger = new Logger('StripeSync');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(LEDGERLINE_CONFIG) private readonly config: LedgerlineConfig,
    private readonly customers: CustomerRecords,
    private readonly lookups: ReadModelLookups,
  ) {}

  async units(store: EventStore): Promise<LeasedUnit[]> {
    if (!this.config.stripe.apiKey) {
      this.logger.warn('STRIPE_API_KEY is not set: outbound Stripe sync is paused; platform events wait for it');
      return [];
    }
    return [followerUnit('stripe-sync', (lease) => this.follow(store, lease))];
  }

  private follow(store: EventStore, lease: Lease): CheckpointedFollower {
    const { apiKey, apiBase } = this.config.stripe;
    const sync = new StripeSync(store, createStripeClient({ apiKey: apiKey!, apiBase }), this.customers, this.lookups, {
      maxAttempts: this.config.commands.stripeSyncMaxAttempts,
      retryBaseMs: this.config.commands.stripeSyncRetryBaseMs,
      signal: lease.signal,
      log: (message) => this.logger.log(message),
      retries: new AttemptsTableRecorder(this.dataSource, (message) => this.logger.warn(message)),
    });
    const follower = new CheckpointedFollower({
      checkpointId: STRIPE_SYNC_CHECKPOINT,
      filter: filterOf(STRIPE_SYNC_HANDLES),
      batchSize: 20,
      logger: this.logger,
      signal: lease.signal,
      handle: async (event) => {
        if (StripeSync.handles(event)) await sync.carryOut(event);
      },
    });
    follower.start(store);
    this.logger.log(`carrying platform commands out on Stripe${apiBase ? ` at ${new URL(apiBase).origin}` : ''}`);
    return follower;
  }
}

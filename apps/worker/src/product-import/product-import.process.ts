import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BackfillRuns, executeBackfill, productImportRequestOf, runFor } from '@ledgerline/backfill';
import { LEDGERLINE_CONFIG, type LedgerlineConfig } from '@ledgerline/config';
import type { EventStore, RecordedEvent } from '@ledgerline/event-store';
import type { Lease, LeasedUnit } from '@ledgerline/leases';
import { filterOf, type ProductLinkedToStripe } from '@ledgerline/events';
import { createStripeClient } from '@ledgerline/stripe';
import { CheckpointedFollower, followerUnit } from '../checkpointed-follower';
import type { WorkerProcess } from '../worker-process';
import { PRODUCT_IMPORT_HANDLES } from './product-import.routing';

export const PRODUCT_IMPORT_CHECKPOINT = 'product-import';

/**
 * Follows ProductLinkedToStripe from a durable checkpoint and, for each, imports from Stripe the
 * customers with subscriptions that give access to the linked product (a `product_import` backfill
 * run), so the access read model shows the platform product for them. The checkpoint moves on
 * only after the run ends: a worker that dies midway resumes the same run, which stores nothing
 * twice. A run that fails for good stays `failed` in /admin/backfill, where an admin resumes it;
 * the next links are not held up by it. Without STRIPE_API_KEY it waits, like outbound sync. One
 * worker at a time imports (a unit under a lease; the run's own claim keeps a second one off it).
 */
@Injectable()
export class ProductImportProcess implements WorkerProcess {
  readonly name = 'product-import';
  private readonly logger = new Logger('ProductImport');

  constructor(
    private readonly dataSource: DataSource,
    @Inject(LEDGERLINE_CONFIG) private readonly config: LedgerlineConfig,
  ) {}

  async units(store: EventStore): Promise<LeasedUnit[]> {
    if (!this.config.stripe.apiKey) {
      this.logger.warn(
        'STRIPE_API_KEY is not set: product links are recorded; their customers are imported once it is',
      );
      return [];
    }
    return [followerUnit('product-import', (lease) => this.follow(store, lease))];
  }

  private follow(store: EventStore, lease: Lease): CheckpointedFollower {
    const { apiKey, apiBase } = this.config.stripe;
    const stripe = createStripeClient({ apiKey: apiKey!, apiBase });
    const runs = new BackfillRuns(this.dataSource);
    const importFor = async (event: RecordedEvent): Promise<void> => {
      const link = event.data as ProductLinkedToStripe;
      const request = productImportRequestOf(link.stripeProductId, link.stripeAccount);
      const { id } = await runFor(runs, request, `product-link:${event.metadata.actor ?? 'unknown'}`);
      const run = await executeBackfill({ store, stripe, runs, config: this.config.backfill }, id, {
        signal: lease.signal,
        log: (message) => this.logger.log(`${link.productId}: ${message}`),
      });
      if (run.status === 'stopped') throw new Error('stopping');
      const summary = `${run.totals.appended} of ${run.totals.fetched} customers and subscriptions appended`;
      if (run.status === 'failed')
        this.logger.error(
          `${link.productId} → ${link.stripeProductId}: import run ${id} failed (${run.error}); ${summary}`,
        );
      else this.logger.log(`${link.productId} → ${link.stripeProductId}: imported (run ${id}), ${summary}`);
    };
    const follower = new CheckpointedFollower({
      checkpointId: PRODUCT_IMPORT_CHECKPOINT,
      filter: filterOf(PRODUCT_IMPORT_HANDLES),
      batchSize: 1,
      logger: this.logger,
      signal: lease.signal,
      handle: importFor,
    });
    follower.start(store);
    return follower;
  }
}

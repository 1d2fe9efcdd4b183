import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BackfillRuns, executeBackfill, productImportRequestOf, runFor } from '@ledgerline/backfill';
import { LEDGERLINE_CONFIG, type LedgerlineConfig } from '@ledgerline/config';
import type { EventStore, RecordedEvent, Subscription } from '@ledgerline/event-store';
import type { ProductLinkedToStripe } from '@ledgerline/events';
import { createStripeClient } from '@ledgerline/stripe';
import type { WorkerProcess } from '../worker-process';

export const PRODUCT_IMPORT_CHECKPOINT = 'product-import';
const RESTART_DELAY_MS = 5_000;

/**
 * Follows ProductLinkedToStripe from a durable checkpoint and, for each, imports from Stripe the
 * customers with subscriptions that give access to the linked product (a `product_import` backfill
 * run), so the access read model shows the platform product for them. The checkpoint moves on
 * only after the run ends: a worker that dies midway resumes the same run, which stores nothing
 * twice. A run that fails for good stays `failed` in /admin/backfill, where an admin resumes it;
 * the next links are not held up by it. Without STRIPE_API_KEY it waits, like outbound sync.
 */
@Injectable()
export class ProductImportProcess implements WorkerProcess {
  readonly name = 'product-import';
  private readonly logger = new Logger('ProductImport');
  private readonly abort = new AbortController();
  private subscription: Subscription | null = null;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(LEDGERLINE_CONFIG) private readonly config: LedgerlineConfig,
  ) {}

  async start(store: EventStore): Promise<void> {
    const { apiKey, apiBase } = this.config.stripe;
    if (!apiKey) {
      this.logger.warn(
        'STRIPE_API_KEY is not set: product links are recorded; their customers are imported once it is',
      );
      return;
    }
    const stripe = createStripeClient({ apiKey, apiBase });
    const runs = new BackfillRuns(this.dataSource);
    const importFor = async (event: RecordedEvent): Promise<void> => {
      const link = event.data as ProductLinkedToStripe;
      const request = productImportRequestOf(link.stripeProductId, link.stripeAccount);
      const { id } = await runFor(runs, request, `product-link:${event.metadata.actor ?? 'unknown'}`);
      const run = await executeBackfill({ store, stripe, runs, config: this.config.backfill }, id, {
        signal: this.abort.signal,
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
    this.loop = this.run(store, importFor);
  }

  /** An unexpected failure (database down, run held elsewhere) restarts from the checkpoint. */
  private async run(store: EventStore, importFor: (event: RecordedEvent) => Promise<void>): Promise<void> {
    while (!this.abort.signal.aborted) {
      this.subscription = store.subscribeToAll({
        checkpointId: PRODUCT_IMPORT_CHECKPOINT,
        filter: { eventTypePrefixes: ['ProductLinkedToStripe'] },
        batchSize: 1,
        handler: async (events) => {
          for (const event of events) {
            if (this.abort.signal.aborted) throw new Error('stopping');
            await importFor(event);
          }
        },
      });
      try {
        await this.subscription.done;
      } catch (error) {
        if (this.abort.signal.aborted) return;
        this.logger.error(
          `stopped on ${(error as Error).message}; resuming from the checkpoint in ${RESTART_DELAY_MS} ms`,
        );
        await sleep(RESTART_DELAY_MS, undefined, { signal: this.abort.signal }).catch(() => undefined);
      }
    }
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.subscription?.stop().catch(() => undefined);
    await this.loop?.catch(() => undefined);
  }
}

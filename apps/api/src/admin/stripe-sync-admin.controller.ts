import { Controller, Get, Inject, Query } from '@nestjs/common';
import { IsIn, IsOptional, IsUUID } from 'class-validator';
import { DataSource } from 'typeorm';
import { LEDGERLINE_CONFIG, type LedgerlineConfig } from '@ledgerline/config';
import { EVENT_STORE, type EventStore } from '@ledgerline/event-store';
import { STRIPE_SYNC_CHECKPOINT } from '@ledgerline/events';
import { listStripeSync, stripeSyncSummary } from '@ledgerline/read-models';
import { pageOf, PageRequest } from '../shared/page.request';

export class StripeSyncQuery extends PageRequest {
  /** `retrying`: the pending commands whose Stripe call failed in a way that passes and waits to be tried again. */
  @IsOptional()
  @IsIn(['pending', 'retrying', 'synced', 'failed'], {
    message: '$property must be one of pending, retrying, synced, failed',
  })
  status?: 'pending' | 'retrying' | 'synced' | 'failed';

  @IsOptional()
  @IsUUID('all', { message: '$property must be a platform customer id (uuid)' })
  customerId?: string;
}

/**
 * Where outbound Stripe sync stands: running or paused (and why), how far the process manager has
 * read, how many commands wait (and of them are being retried) or failed, and the commands
 * themselves with their outcome or retry. Admin only.
 */
@Controller('admin')
export class StripeSyncAdminController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGERLINE_CONFIG) private readonly config: LedgerlineConfig,
  ) {}

  @Get('stripe-sync')
  async status(@Query() query: StripeSyncQuery) {
    const [checkpoint, head, summary, commands] = await Promise.all([
      this.store.readCheckpoint(STRIPE_SYNC_CHECKPOINT),
      this.store.headPosition(),
      stripeSyncSummary(this.dataSource),
      listStripeSync(this.dataSource, { status: query.status, customerId: query.customerId }, pageOf(query)),
    ]);
    const paused = this.config.stripe.apiKey === null;
    return {
      outbound: paused
        ? { status: 'paused', reason: 'STRIPE_API_KEY is not set: commands are recorded and wait to be sent to Stripe' }
        : { status: 'running', reason: null },
      checkpoint: checkpoint?.toString() ?? null,
      headPosition: head.toString(),
      ...summary,
      commands,
    };
  }
}

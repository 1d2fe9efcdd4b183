import { Controller, Get, Inject, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Roles } from '@ledgerline/auth';
import { LEDGERLINE_CONFIG, type LedgerlineConfig } from '@ledgerline/config';
import { EVENT_STORE, type EventStore } from '@ledgerline/event-store';
import { subscriptionStream } from '@ledgerline/events';
import {
  findSubscription,
  latestStripeSync,
  outboundSync,
  type SubscriptionAsOfView,
  type SubscriptionRecordView,
  listSubscriptionInvoices,
  searchSubscriptions,
  streamSubscriptions,
  subscriptionAsOf,
} from '@ledgerline/read-models';
import { AsOfRequest, setAsOfHeaders } from '../../shared/as-of.request';
import { PageRequest, pageOf } from '../../shared/page.request';
import { SearchSubscriptionsRequest } from './search-subscriptions.request';
import { CSV_HEADER, csvRow } from './subscriptions-csv';

@Controller('subscriptions')
export class SubscriptionsController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGERLINE_CONFIG) private readonly config: LedgerlineConfig,
  ) {}

  @Roles('support')
  @Get()
  search(@Query() request: SearchSubscriptionsRequest) {
    return searchSubscriptions(this.dataSource, request, pageOf(request));
  }

  /** The same search as CSV, streamed in batches: memory stays flat however many rows match. */
  @Roles('support')
  @Get('export.csv')
  @ApiProduces('text/csv')
  @ApiOkResponse({
    description: 'The search as CSV, one subscription a line',
    content: { 'text/csv': { schema: { type: 'string' } } },
  })
  async export(@Query() request: SearchSubscriptionsRequest, @Res() response: Response): Promise<void> {
    response.status(200);
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', 'attachment; filename="subscriptions.csv"');
    response.write(CSV_HEADER);
    try {
      for await (const batch of streamSubscriptions(this.dataSource, { q: request.q, status: request.status })) {
        if (response.destroyed) return;
        if (!response.write(batch.map(csvRow).join(''))) {
          await new Promise((resolve) => response.once('drain', resolve));
        }
      }
      response.end();
    } catch (error) {
      // Headers are gone: all that is left is to cut the download short so it cannot pass as complete.
      response.destroy(error as Error);
    }
  }

  /**
   * By platform id or Stripe id (`sub_...`); with `asOf`, as it stood then (without the status
   * history). Now, with `stripeSync`: where its latest command (start, cancel, change plan, ...)
   * stands with Stripe (paused, pending, failed and why, synced), null when it has none.
   */
  @Roles('support')
  @Get(':id')
  async find(
    @Param('id') id: string,
    @Query() query: AsOfRequest,
    @Res({ passthrough: true }) response: Response,
    // Declared, not inferred: inference would merge the two answers into the one without history.
  ): Promise<SubscriptionRecordView | SubscriptionAsOfView> {
    if (query.asOf) {
      const asOf = new Date(query.asOf);
      const past = await subscriptionAsOf(this.dataSource, this.store, id, asOf);
      if (!past) throw new NotFoundException(`No subscription "${id}" existed at ${asOf.toISOString()}`);
      setAsOfHeaders(response, asOf, past.info);
      return past.view;
    }
    const subscription = await findSubscription(this.dataSource, id);
    if (!subscription) throw new NotFoundException(`No subscription "${id}" is known`);
    const streams = [subscriptionStream(subscription.id)];
    const stripeSync = await latestStripeSync(this.dataSource, streams, outboundSync(this.config.stripe.apiKey));
    return { ...subscription, stripeSync };
  }

  /** Its invoices, newest first (none until it is in Stripe: invoices name the `sub_` id). */
  @Roles('support')
  @Get(':id/invoices')
  async invoices(@Param('id') id: string, @Query() page: PageRequest) {
    const subscription = await findSubscription(this.dataSource, id);
    if (!subscription) throw new NotFoundException(`No subscription "${id}" is known`);
    const stripeId = subscription.stripeId as string | null;
    if (!stripeId) return { data: [], ...pageOf(page), hasMore: false };
    return listSubscriptionInvoices(this.dataSource, stripeId, pageOf(page));
  }
}

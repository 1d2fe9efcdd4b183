import { Controller, Get, NotFoundException, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Roles } from '@ledgerline/auth';
import { findSubscription, searchSubscriptions, streamSubscriptions } from '@ledgerline/read-models';
import { pageOf } from '../page.request';
import { SearchSubscriptionsRequest } from './search-subscriptions.request';
import { CSV_HEADER, csvRow } from './subscriptions-csv';

@Controller('subscriptions')
export class SubscriptionsController {
  constructor(private readonly dataSource: DataSource) {}

  @Roles('support')
  @Get()
  search(@Query() request: SearchSubscriptionsRequest) {
    return searchSubscriptions(this.dataSource, request, pageOf(request));
  }

  /** The same search as CSV, streamed in batches: memory stays flat however many rows match. */
  @Roles('support')
  @Get('export.csv')
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

  @Roles('support')
  @Get(':id')
  async find(@Param('id') id: string) {
    const subscription = await findSubscription(this.dataSource, id);
    if (!subscription) throw new NotFoundException(`No subscription "${id}" is known`);
    return subscription;
  }
}

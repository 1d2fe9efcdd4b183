import { Controller, Get, Inject, NotFoundException, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Roles } from '@ledgerline/auth';
import { LEDGERLINE_CONFIG, type LedgerlineConfig } from '@ledgerline/config';
import { EVENT_STORE, type EventStore } from '@ledgerline/event-store';
import { customerStream } from '@ledgerline/events';
import {
  customerAsOf,
  type CustomerRecordView,
  type CustomerView,
  findCustomer,
  latestStripeSync,
  outboundSync,
  searchCustomers,
} from '@ledgerline/read-models';
import { AsOfRequest, setAsOfHeaders } from '../../shared/as-of.request';
import { pageOf } from '../../shared/page.request';
import { customerSearchOf, SearchCustomersRequest } from './search-customers.request';

@Controller('customers')
export class CustomersController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(LEDGERLINE_CONFIG) private readonly config: LedgerlineConfig,
  ) {}

  @Roles('support')
  @Get()
  search(@Query() request: SearchCustomersRequest) {
    return searchCustomers(this.dataSource, customerSearchOf(request), pageOf(request));
  }

  /**
   * By platform id or by any linked Stripe customer id (`cus_...`); with `asOf`, as it stood then,
   * folded from the events (the read model is not read). Now, with `stripeSync`: where its latest
   * command (register, edit, delete) stands with Stripe (paused, pending, retrying, failed and why,
   * synced), null when it has none.
   */
  @Roles('support')
  @Get(':id')
  async find(
    @Param('id') id: string,
    @Query() query: AsOfRequest,
    @Res({ passthrough: true }) response: Response,
    // Declared, not inferred: inference would merge the two answers into the one without stripeSync.
  ): Promise<CustomerRecordView | CustomerView> {
    if (query.asOf) {
      const asOf = new Date(query.asOf);
      const past = await customerAsOf(this.dataSource, this.store, id, asOf);
      if (!past) throw new NotFoundException(`No customer "${id}" existed at ${asOf.toISOString()}`);
      setAsOfHeaders(response, asOf, past.info);
      return past.view;
    }
    const customer = await findCustomer(this.dataSource, id);
    if (!customer) throw new NotFoundException(`No customer "${id}" is known`);
    // The stream the customer commands are appended to (CustomerRecords), by the platform id.
    const streams = [customerStream(customer.id)];
    const stripeSync = await latestStripeSync(this.dataSource, streams, outboundSync(this.config.stripe.apiKey));
    return { ...customer, stripeSync };
  }
}

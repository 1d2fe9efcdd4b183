import { Controller, Get, Inject, NotFoundException, Param, Query, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { Roles } from '@ledgerline/auth';
import { EVENT_STORE, type EventStore } from '@ledgerline/event-store';
import { customerAsOf, findCustomer, searchCustomers } from '@ledgerline/read-models';
import { AsOfRequest, setAsOfHeaders } from '../as-of.request';
import { pageOf } from '../page.request';
import { SearchCustomersRequest } from './search-customers.request';

@Controller('customers')
export class CustomersController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Roles('support')
  @Get()
  search(@Query() request: SearchCustomersRequest) {
    return searchCustomers(this.dataSource, request.q, pageOf(request));
  }

  /**
   * By platform id or by any linked Stripe customer id (`cus_...`); with `asOf`, as it stood then,
   * folded from the events (the read model is not read).
   */
  @Roles('support')
  @Get(':id')
  async find(@Param('id') id: string, @Query() query: AsOfRequest, @Res({ passthrough: true }) response: Response) {
    if (query.asOf) {
      const asOf = new Date(query.asOf);
      const past = await customerAsOf(this.dataSource, this.store, id, asOf);
      if (!past) throw new NotFoundException(`No customer "${id}" existed at ${asOf.toISOString()}`);
      setAsOfHeaders(response, asOf, past.info);
      return past.view;
    }
    const customer = await findCustomer(this.dataSource, id);
    if (!customer) throw new NotFoundException(`No customer "${id}" is known`);
    return customer;
  }
}

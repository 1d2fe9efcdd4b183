import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Roles } from '@ledgerline/auth';
import { findCustomer, searchCustomers } from '@ledgerline/read-models';
import { pageOf } from '../page.request';
import { SearchCustomersRequest } from './search-customers.request';

@Controller('customers')
export class CustomersController {
  constructor(private readonly dataSource: DataSource) {}

  @Roles('support')
  @Get()
  search(@Query() request: SearchCustomersRequest) {
    return searchCustomers(this.dataSource, request.q, pageOf(request));
  }

  /** By platform id or by any linked Stripe customer id (`cus_...`). */
  @Roles('support')
  @Get(':id')
  async find(@Param('id') id: string) {
    const customer = await findCustomer(this.dataSource, id);
    if (!customer) throw new NotFoundException(`No customer "${id}" is known`);
    return customer;
  }
}

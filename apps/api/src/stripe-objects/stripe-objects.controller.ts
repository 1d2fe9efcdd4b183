import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Roles } from '@ledgerline/auth';
import { findStripeObject } from '@ledgerline/read-models';

@Controller('stripe-objects')
export class StripeObjectsController {
  constructor(private readonly dataSource: DataSource) {}

  /** The latest known snapshot of any Stripe object (cus_, in_, ch_, sub_ ...). */
  @Roles('support')
  @Get(':id')
  async find(@Param('id') id: string) {
    const found = await findStripeObject(this.dataSource, id);
    if (!found) throw new NotFoundException(`No Stripe object "${id}" is known`);
    return found;
  }
}

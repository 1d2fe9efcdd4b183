import { Controller, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Roles } from '@ledgerline/auth';
import { EVENT_STORE, type EventStore } from '@ledgerline/event-store';
import { findStripeObject } from '@ledgerline/read-models';

@Controller('stripe-objects')
export class StripeObjectsController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** The latest known snapshot of any Stripe object (cus_, in_, ch_, sub_ ...). */
  @Roles('support')
  @Get(':id')
  async find(@Param('id') id: string) {
    const found = await findStripeObject(this.dataSource, this.store, id);
    if (!found) throw new NotFoundException(`No Stripe object "${id}" is known`);
    return found;
  }
}

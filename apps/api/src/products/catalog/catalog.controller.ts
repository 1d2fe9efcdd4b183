import { Controller, Get, Query } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Roles } from '@ledgerline/auth';
import { listCoupons, listPrices } from '@ledgerline/read-models';
import { PageRequest, pageOf } from '../../shared/page.request';

/**
 * What a subscription can be started on or changed to, from the catalog read model: support picks
 * from these instead of typing Stripe ids (the start and change-plan commands still check them).
 */
@Controller()
export class CatalogController {
  constructor(private readonly dataSource: DataSource) {}

  /** Active recurring prices and legacy plans, with their product's name and trial. */
  @Roles('support')
  @Get('prices')
  prices(@Query() page: PageRequest) {
    return listPrices(this.dataSource, pageOf(page));
  }

  /** Coupons that can still be redeemed. */
  @Roles('support')
  @Get('coupons')
  coupons(@Query() page: PageRequest) {
    return listCoupons(this.dataSource, pageOf(page));
  }
}

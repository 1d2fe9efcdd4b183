import { Controller, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Roles } from '@ledgerline/auth';
import { LEDGERLINE_CONFIG, type LedgerlineConfig } from '@ledgerline/config';
import { findPayment, outboundSync, withPendingRefunds } from '@ledgerline/read-models';

@Controller('payments')
export class PaymentsController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(LEDGERLINE_CONFIG) private readonly config: LedgerlineConfig,
  ) {}

  /**
   * A charge (`ch_`, `py_`) or a payment intent (`pi_`), with refunds and disputes, the refunds asked
   * for that Stripe has not confirmed yet, and what is left to refund (`refundable`).
   */
  @Roles('support')
  @Get(':id')
  async find(@Param('id') id: string) {
    const payment = await findPayment(this.dataSource, id);
    if (!payment) throw new NotFoundException(`No payment "${id}" is known`);
    const [withRefunds] = await withPendingRefunds(this.dataSource, [payment], outboundSync(this.config.stripe.apiKey));
    return withRefunds!;
  }
}

import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Roles } from '@ledgerline/auth';
import { findPayment } from '@ledgerline/read-models';

@Controller('payments')
export class PaymentsController {
  constructor(private readonly dataSource: DataSource) {}

  /** A charge (`ch_`, `py_`) or a payment intent (`pi_`), with refunds and disputes. */
  @Roles('support')
  @Get(':id')
  async find(@Param('id') id: string) {
    const payment = await findPayment(this.dataSource, id);
    if (!payment) throw new NotFoundException(`No payment "${id}" is known`);
    return payment;
  }
}

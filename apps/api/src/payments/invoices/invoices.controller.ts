import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Roles } from '@ledgerline/auth';
import { findInvoice } from '@ledgerline/read-models';

@Controller('invoices')
export class InvoicesController {
  constructor(private readonly dataSource: DataSource) {}

  @Roles('support')
  @Get(':id')
  async find(@Param('id') id: string) {
    const invoice = await findInvoice(this.dataSource, id);
    if (!invoice) throw new NotFoundException(`No invoice "${id}" is known`);
    return invoice;
  }
}

import { Controller, Get, Inject, NotFoundException, Param, Query } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Roles } from '@ledgerline/auth';
import { EVENT_STORE, type EventStore } from '@ledgerline/event-store';
import { customerAudit, findCustomer } from '@ledgerline/read-models';
import { auditPage, AuditPageRequest } from '../../shared/audit-page.request';

/** Who changed a customer's record, when and how: every event that shaped it, in time order. */
@Controller('customers/:id/audit')
export class CustomerAuditController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Roles('support', 'finance', 'admin')
  @Get()
  async audit(@Param('id') id: string, @Query() request: AuditPageRequest) {
    const customer = await findCustomer(this.dataSource, id);
    if (!customer) throw new NotFoundException(`No customer "${id}" is known`);
    return auditPage(request, (query) =>
      customerAudit(this.dataSource, this.store, { id: customer.id, stripeIds: customer.stripeIds }, query),
    );
  }
}

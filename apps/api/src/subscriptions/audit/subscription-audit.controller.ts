import { Controller, Get, Inject, NotFoundException, Param, Query } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Roles } from '@ledgerline/auth';
import { EVENT_STORE, type EventStore } from '@ledgerline/event-store';
import { subscriptionAudit } from '@ledgerline/read-models';
import { auditPage, AuditPageRequest } from '../../shared/audit-page.request';

/** Who changed a subscription, when and how: every event of the streams its record is folded from. */
@Controller('subscriptions/:id/audit')
export class SubscriptionAuditController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Roles('support', 'finance', 'admin')
  @Get()
  async audit(@Param('id') id: string, @Query() request: AuditPageRequest) {
    const page = await auditPage(request, (query) => subscriptionAudit(this.dataSource, this.store, id, query));
    if (!page) throw new NotFoundException(`No subscription "${id}" is known`);
    return page;
  }
}

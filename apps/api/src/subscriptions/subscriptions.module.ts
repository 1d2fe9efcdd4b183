import { Module } from '@nestjs/common';
import { CommandsModule } from '@ledgerline/commands';
import { CommandInterceptor } from '../shared/idempotency.interceptor';
import { SubscriptionCommandsController } from './commands/subscription-commands.controller';
import { SubscriptionAuditController } from './audit/subscription-audit.controller';
import { SubscriptionsController } from './queries/subscriptions.controller';

/** `/subscriptions`: the support views and CSV export (queries), the subscription commands and the audit trail. */
@Module({
  imports: [CommandsModule],
  controllers: [SubscriptionsController, SubscriptionCommandsController, SubscriptionAuditController],
  providers: [CommandInterceptor],
})
export class SubscriptionsModule {}

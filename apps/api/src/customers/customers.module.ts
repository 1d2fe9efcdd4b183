import { Module } from '@nestjs/common';
import { CommandsModule } from '@ledgerline/commands';
import { CommandInterceptor } from '../shared/idempotency.interceptor';
import { CustomerCommandsController } from './commands/customer-commands.controller';
import { CustomersController } from './queries/customers.controller';
import { CustomerAuditController } from './audit/customer-audit.controller';
import { CustomerTabsController } from './queries/customer-tabs.controller';

/** `/customers`: the support views (queries), the customer commands and the audit trail. */
@Module({
  imports: [CommandsModule],
  controllers: [CustomersController, CustomerTabsController, CustomerCommandsController, CustomerAuditController],
  providers: [CommandInterceptor],
})
export class CustomersModule {}

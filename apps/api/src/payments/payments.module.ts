import { Module } from '@nestjs/common';
import { CommandsModule } from '@ledgerline/commands';
import { CommandInterceptor } from '../shared/idempotency.interceptor';
import { PaymentCommandsController } from './commands/payment-commands.controller';
import { InvoicesController } from './invoices/invoices.controller';
import { PaymentsController } from './queries/payments.controller';

/** `/payments` (queries and the refund command) and `/invoices`. */
@Module({
  imports: [CommandsModule],
  controllers: [InvoicesController, PaymentsController, PaymentCommandsController],
  providers: [CommandInterceptor],
})
export class PaymentsModule {}

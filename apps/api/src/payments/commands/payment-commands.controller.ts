import { Body, Controller, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Roles } from '@ledgerline/auth';
import { type CommandContext, type CommandResult, RefundPayment } from '@ledgerline/commands';
import { IssuedCommand } from '../../shared/command-http';
import { CommandRoutes } from '../../shared/idempotency.interceptor';
import { RefundPaymentRequest } from './refund-payment.request';

/** Refunds initiated on the platform (Stripe sees them with metadata `ledgerline_command_id`). */
@Controller('payments')
@Roles('support')
@CommandRoutes()
export class PaymentCommandsController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/refund')
  refund(
    @IssuedCommand() context: CommandContext,
    @Param('id') id: string,
    @Body() body: RefundPaymentRequest,
  ): Promise<CommandResult> {
    return this.commands.execute(new RefundPayment(context, id, body.amount, body.reason ?? null));
  }
}

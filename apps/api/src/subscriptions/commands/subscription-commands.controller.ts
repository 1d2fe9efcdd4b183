import { BadRequestException, Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Roles } from '@ledgerline/auth';
import {
  CancelSubscription,
  ChangePlan,
  ChangeSubscription,
  type CommandContext,
  type CommandResult,
  PlanChangeCredits,
  RenewSubscription,
  StartSubscription,
} from '@ledgerline/commands';
import { postalAddress } from '../../shared/address.request';
import { IssuedCommand } from '../../shared/command-http';
import { CommandRoutes } from '../../shared/idempotency.interceptor';
import {
  CancelSubscriptionRequest,
  ChangePlanRequest,
  ChangeSubscriptionRequest,
  StartSubscriptionRequest,
} from './subscription.requests';

/** Support staff start, change, cancel, re-plan and renew subscriptions (docs/commands.md). */
@Controller('subscriptions')
@Roles('support')
@CommandRoutes()
export class SubscriptionCommandsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly credits: PlanChangeCredits,
  ) {}

  @Post()
  start(@IssuedCommand() context: CommandContext, @Body() body: StartSubscriptionRequest): Promise<CommandResult> {
    return this.commands.execute(
      new StartSubscription(context, {
        ...body,
        shippingAddress: body.shippingAddress ? postalAddress(body.shippingAddress) : undefined,
      }),
    );
  }

  @Patch(':id')
  change(
    @IssuedCommand() context: CommandContext,
    @Param('id') id: string,
    @Body() body: ChangeSubscriptionRequest,
  ): Promise<CommandResult> {
    if (body.shippingAddress === undefined && body.shipmentsRemaining === undefined) {
      throw new BadRequestException(['Send shippingAddress and/or shipmentsRemaining to change a subscription']);
    }
    return this.commands.execute(
      new ChangeSubscription(context, id, {
        shippingAddress: body.shippingAddress ? postalAddress(body.shippingAddress) : undefined,
        shipmentsRemaining: body.shipmentsRemaining,
      }),
    );
  }

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(
    @IssuedCommand() context: CommandContext,
    @Param('id') id: string,
    @Body() body: CancelSubscriptionRequest,
  ): Promise<CommandResult> {
    return this.commands.execute(new CancelSubscription(context, id, body.when, body.reason?.trim() || null));
  }

  /**
   * What a plan change made now would credit to the customer's balance (`PLAN_CHANGE_REFUND`):
   * the console shows it before support confirms. Nothing is recorded.
   */
  @Get(':id/change-plan/credit')
  planChangeCredit(@Param('id') id: string) {
    return this.credits.preview(id);
  }

  @Post(':id/change-plan')
  changePlan(
    @IssuedCommand() context: CommandContext,
    @Param('id') id: string,
    @Body() body: ChangePlanRequest,
  ): Promise<CommandResult> {
    return this.commands.execute(new ChangePlan(context, id, body.priceId));
  }

  @Post(':id/renew')
  @HttpCode(200)
  renew(@IssuedCommand() context: CommandContext, @Param('id') id: string): Promise<CommandResult> {
    return this.commands.execute(new RenewSubscription(context, id));
  }
}

import { BadRequestException, Body, Controller, Delete, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Roles } from '@ledgerline/auth';
import {
  ChangeCustomerDetails,
  type CommandContext,
  type CommandResult,
  type CustomerDetailsPatch,
  DeleteCustomer,
  RegisterCustomer,
} from '@ledgerline/commands';
import { postalAddress } from '../../shared/address.request';
import { IssuedCommand } from '../../shared/command-http';
import { CommandRoutes } from '../../shared/idempotency.interceptor';
import { ChangeCustomerDetailsRequest, RegisterCustomerRequest } from './customer.requests';

/** Support staff create, edit and delete customers; each a platform event naming them (docs/commands.md). */
@Controller('customers')
@Roles('support')
@CommandRoutes()
export class CustomerCommandsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  register(@IssuedCommand() context: CommandContext, @Body() body: RegisterCustomerRequest): Promise<CommandResult> {
    return this.commands.execute(
      new RegisterCustomer(context, {
        firstName: body.firstName.trim(),
        lastName: body.lastName.trim(),
        email: body.email?.trim() ?? null,
        phone: body.phone?.trim() ?? null,
        address: body.address ? postalAddress(body.address) : null,
      }),
    );
  }

  @Patch(':id')
  change(
    @IssuedCommand() context: CommandContext,
    @Param('id') id: string,
    @Body() body: ChangeCustomerDetailsRequest,
  ): Promise<CommandResult> {
    const patch: CustomerDetailsPatch = {
      firstName: body.firstName?.trim(),
      lastName: body.lastName?.trim(),
      email: body.email === null ? null : body.email?.trim(),
      phone: body.phone === null ? null : body.phone?.trim(),
      address: body.address === null ? null : body.address ? postalAddress(body.address) : undefined,
    };
    if (Object.values(patch).every((value) => value === undefined)) {
      throw new BadRequestException([
        'Send at least one of firstName, lastName, email, phone, address to change a customer',
      ]);
    }
    return this.commands.execute(new ChangeCustomerDetails(context, id, patch));
  }

  @Delete(':id')
  @HttpCode(200)
  remove(@IssuedCommand() context: CommandContext, @Param('id') id: string): Promise<CommandResult> {
    return this.commands.execute(new DeleteCustomer(context, id));
  }
}

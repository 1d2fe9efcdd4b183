import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { customerStream } from '@ledgerline/events';
import { AggregateStore } from '../../command-handling/aggregate-store';
import { newIdFor } from '../../command-handling/command-context';
import { type CommandResult, commandResult } from '../../command-handling/command-result';
import { customerEvolver, decideRegister } from '../customer.aggregate';
import { RegisterCustomer } from './register-customer.command';

@CommandHandler(RegisterCustomer)
export class RegisterCustomerHandler implements ICommandHandler<RegisterCustomer, CommandResult> {
  constructor(private readonly aggregates: AggregateStore) {}

  async execute({ context, details }: RegisterCustomer): Promise<CommandResult> {
    const customerId = newIdFor(context, 'customer');
    const { events } = await this.aggregates.decideAndAppend(context, {
      read: () => this.aggregates.load(customerStream(customerId), customerEvolver),
      decide: ({ state }) => decideRegister(state, customerId, details),
    });
    return commandResult(context, customerId, events);
  }
}

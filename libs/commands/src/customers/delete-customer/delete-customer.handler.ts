import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AggregateStore } from '../../command-handling/aggregate-store';
import { type CommandResult, commandResult } from '../../command-handling/command-result';
import { decideDelete } from '../customer.aggregate';
import { CustomerRecords } from '../customer-records';
import { DeleteCustomer } from './delete-customer.command';

@CommandHandler(DeleteCustomer)
export class DeleteCustomerHandler implements ICommandHandler<DeleteCustomer, CommandResult> {
  constructor(
    private readonly customers: CustomerRecords,
    private readonly aggregates: AggregateStore,
  ) {}

  async execute({ context, customerId }: DeleteCustomer): Promise<CommandResult> {
    const { aggregate, events } = await this.aggregates.decideAndAppend(context, {
      name: `customer ${customerId}`,
      read: () => this.customers.load(customerId),
      decide: (customer) => decideDelete(customer.state, customer.customerId),
    });
    return commandResult(context, aggregate.customerId, events);
  }
}

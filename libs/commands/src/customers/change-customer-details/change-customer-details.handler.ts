import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AggregateStore } from '../../command-handling/aggregate-store';
import { type CommandResult, commandResult } from '../../command-handling/command-result';
import { assertActive, decideChangeDetails } from '../customer.aggregate';
import { CustomerRecords } from '../customer-records';
import { ChangeCustomerDetails } from './change-customer-details.command';

@CommandHandler(ChangeCustomerDetails)
export class ChangeCustomerDetailsHandler implements ICommandHandler<ChangeCustomerDetails, CommandResult> {
  constructor(
    private readonly customers: CustomerRecords,
    private readonly aggregates: AggregateStore,
  ) {}

  async execute({ context, customerId, patch }: ChangeCustomerDetails): Promise<CommandResult> {
    const { aggregate, events } = await this.aggregates.decideAndAppend(context, {
      name: `customer ${customerId}`,
      read: () => this.customers.load(customerId),
      decide: (customer) => {
        assertActive(customer.state, customerId);
        return decideChangeDetails(customer.state, customer.customerId, patch, customer.seededFromStripe);
      },
    });
    return commandResult(context, aggregate.customerId, events);
  }
}

import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AggregateStore, CONCURRENCY_ATTEMPTS } from '../../command-handling/aggregate-store';
import { type CommandResult, commandResult } from '../../command-handling/command-result';
import { retryOnConflict } from '../../command-handling/retry-on-conflict';
import { decideDelete } from '../customer.aggregate';
import { CustomerRecords } from '../customer-records';
import { DeleteCustomer } from './delete-customer.command';

@CommandHandler(DeleteCustomer)
export class DeleteCustomerHandler implements ICommandHandler<DeleteCustomer, CommandResult> {
  constructor(
    private readonly customers: CustomerRecords,
    private readonly aggregates: AggregateStore,
  ) {}

  execute({ context, customerId }: DeleteCustomer): Promise<CommandResult> {
    return retryOnConflict(CONCURRENCY_ATTEMPTS, `customer ${customerId}`, async () => {
      const customer = await this.customers.load(customerId);
      const events = await this.aggregates.append(
        customer.stream,
        decideDelete(customer.state, customer.customerId),
        context,
        customer.revision,
      );
      return commandResult(context, customer.customerId, events);
    });
  }
}

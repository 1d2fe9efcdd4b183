import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { AggregateStore, CONCURRENCY_ATTEMPTS } from '../../command-handling/aggregate-store';
import { type CommandResult, commandResult } from '../../command-handling/command-result';
import { retryOnConflict } from '../../command-handling/retry-on-conflict';
import { assertActive, decideChangeDetails } from '../customer.aggregate';
import { CustomerRecords } from '../customer-records';
import { ChangeCustomerDetails } from './change-customer-details.command';

@CommandHandler(ChangeCustomerDetails)
export class ChangeCustomerDetailsHandler implements ICommandHandler<ChangeCustomerDetails, CommandResult> {
  constructor(
    private readonly customers: CustomerRecords,
    private readonly aggregates: AggregateStore,
  ) {}

  execute({ context, customerId, patch }: ChangeCustomerDetails): Promise<CommandResult> {
    return retryOnConflict(CONCURRENCY_ATTEMPTS, `customer ${customerId}`, async () => {
      const customer = await this.customers.load(customerId);
      assertActive(customer.state, customerId);
      const decided = decideChangeDetails(customer.state, customer.customerId, patch, customer.seededFromStripe);
      const events = decided.length
        ? await this.aggregates.append(customer.stream, decided, context, customer.revision)
        : [];
      return commandResult(context, customer.customerId, events);
    });
  }
}

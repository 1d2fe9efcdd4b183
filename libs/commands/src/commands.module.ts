import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AggregateStore } from './command-handling/aggregate-store';
import { ChangeCustomerDetailsHandler } from './customers/change-customer-details/change-customer-details.handler';
import { CustomerRecords } from './customers/customer-records';
import { DeleteCustomerHandler } from './customers/delete-customer/delete-customer.handler';
import { RegisterCustomerHandler } from './customers/register-customer/register-customer.handler';
import { IdempotencyStore } from './idempotency/idempotency-store';
import { ReadModelLookups } from './lookups/read-model-lookups';
import { RefundPaymentHandler } from './payments/refund-payment/refund-payment.handler';
import { LinkProductToStripeHandler } from './products/link-product-to-stripe/link-product-to-stripe.handler';
import { UnlinkProductFromStripeHandler } from './products/unlink-product-from-stripe/unlink-product-from-stripe.handler';
import { CancelSubscriptionHandler } from './subscriptions/cancel-subscription/cancel-subscription.handler';
import { ChangePlanHandler } from './subscriptions/change-plan/change-plan.handler';
import { ChangeSubscriptionHandler } from './subscriptions/change-subscription/change-subscription.handler';
import { RenewSubscriptionHandler } from './subscriptions/renew-subscription/renew-subscription.handler';
import { StartSubscriptionHandler } from './subscriptions/start-subscription/start-subscription.handler';
import { SubscriptionRecords } from './subscriptions/subscription-records';
import { PlanChangeCredits } from './subscriptions/change-plan/plan-change-credit';

const HANDLERS = [
  RegisterCustomerHandler,
  ChangeCustomerDetailsHandler,
  DeleteCustomerHandler,
  StartSubscriptionHandler,
  ChangeSubscriptionHandler,
  CancelSubscriptionHandler,
  ChangePlanHandler,
  RenewSubscriptionHandler,
  RefundPaymentHandler,
  LinkProductToStripeHandler,
  UnlinkProductFromStripeHandler,
];

/** Platform commands: their handlers on the command bus, and what they share. Needs CoreModule. */
@Module({
  imports: [CqrsModule.forRoot()],
  providers: [
    AggregateStore,
    CustomerRecords,
    SubscriptionRecords,
    ReadModelLookups,
    IdempotencyStore,
    PlanChangeCredits,
    ...HANDLERS,
  ],
  exports: [CqrsModule, IdempotencyStore, CustomerRecords, ReadModelLookups, PlanChangeCredits],
})
export class CommandsModule {}

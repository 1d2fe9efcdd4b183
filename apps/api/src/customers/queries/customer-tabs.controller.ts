import { Controller, Get, Inject, NotFoundException, Param, Query } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Roles } from '@ledgerline/auth';
import { LEDGERLINE_CONFIG, type LedgerlineConfig } from '@ledgerline/config';
import {
  type CustomerRef,
  findCustomer,
  listCustomerAccess,
  listCustomerActivity,
  listCustomerInvoices,
  listCustomerNotifications,
  listCustomerPaymentMethods,
  listCustomerPayments,
  listCustomerSubscriptions,
  outboundSync,
  withPendingRefunds,
} from '@ledgerline/read-models';
import { PageRequest, pageOf } from '../../shared/page.request';
import { activityFilterOf, CustomerActivityRequest } from './customer-activity.request';

/** The tabs of a customer's record, each by platform id or Stripe customer id. */
@Controller('customers/:id')
export class CustomerTabsController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(LEDGERLINE_CONFIG) private readonly config: LedgerlineConfig,
  ) {}

  @Roles('support')
  @Get('subscriptions')
  async subscriptions(@Param('id') id: string, @Query() page: PageRequest) {
    return listCustomerSubscriptions(this.dataSource, await this.ref(id), pageOf(page));
  }

  @Roles('support')
  @Get('invoices')
  async invoices(@Param('id') id: string, @Query() page: PageRequest) {
    return listCustomerInvoices(this.dataSource, await this.ref(id), pageOf(page));
  }

  @Roles('support')
  @Get('payments')
  async payments(@Param('id') id: string, @Query() page: PageRequest) {
    const payments = await listCustomerPayments(this.dataSource, await this.ref(id), pageOf(page));
    // Each with its refunds Stripe has not confirmed yet and what is left to refund, as GET /payments/:id.
    const outbound = outboundSync(this.config.stripe.apiKey);
    return { ...payments, data: await withPendingRefunds(this.dataSource, payments.data, outbound) };
  }

  @Roles('support')
  @Get('payment-methods')
  async paymentMethods(@Param('id') id: string) {
    const customer = await this.customer(id);
    const defaultMethod = typeof customer.defaultPaymentMethod === 'string' ? customer.defaultPaymentMethod : null;
    return { data: await listCustomerPaymentMethods(this.dataSource, refOf(customer), defaultMethod) };
  }

  @Roles('support')
  @Get('addresses')
  async addresses(@Param('id') id: string) {
    return { data: (await this.customer(id)).addresses };
  }

  @Roles('support')
  @Get('activity')
  async activity(@Param('id') id: string, @Query() request: CustomerActivityRequest) {
    return listCustomerActivity(this.dataSource, await this.ref(id), pageOf(request), activityFilterOf(request));
  }

  @Roles('support')
  @Get('notifications')
  async notifications(@Param('id') id: string, @Query() page: PageRequest) {
    // Without a channel nothing sends them: each pending one says so (`waitingBecause`).
    const unsent = this.config.notifications.webhook
      ? null
      : 'NOTIFICATION_WEBHOOK_URL is not set: notifications are recorded and not sent';
    return listCustomerNotifications(this.dataSource, await this.ref(id), pageOf(page), unsent);
  }

  @Roles('support')
  @Get('access')
  async access(@Param('id') id: string) {
    return { data: await listCustomerAccess(this.dataSource, await this.ref(id)) };
  }

  private async customer(id: string) {
    const customer = await findCustomer(this.dataSource, id);
    if (!customer) throw new NotFoundException(`No customer "${id}" is known`);
    return customer;
  }

  private async ref(id: string): Promise<CustomerRef> {
    return refOf(await this.customer(id));
  }
}

function refOf(customer: { id: string; stripeIds: string[] }): CustomerRef {
  return { id: customer.id, stripeIds: customer.stripeIds };
}

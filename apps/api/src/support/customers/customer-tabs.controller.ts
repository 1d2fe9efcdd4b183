import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Roles } from '@ledgerline/auth';
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
} from '@ledgerline/read-models';
import { PageRequest, pageOf } from '../page.request';

/** The tabs of a customer's record, each by platform id or Stripe customer id. */
@Controller('customers/:id')
export class CustomerTabsController {
  constructor(private readonly dataSource: DataSource) {}

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
    return listCustomerPayments(this.dataSource, await this.ref(id), pageOf(page));
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
  async activity(@Param('id') id: string, @Query() page: PageRequest) {
    return listCustomerActivity(this.dataSource, await this.ref(id), pageOf(page));
  }

  @Roles('support')
  @Get('notifications')
  async notifications(@Param('id') id: string, @Query() page: PageRequest) {
    return listCustomerNotifications(this.dataSource, await this.ref(id), pageOf(page));
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

export * from './access/access.query';
export * from './customers/customers.query';
export * from './invoices/invoices.query';
export * from './payment-methods/payment-methods.query';
export * from './payments/payments.query';
export * from './payments/money-rows.query';
export * from './subscriptions/subscriptions.query';
export * from './shared/paging';
export { platformCustomerId, PLATFORM_CUSTOMER_METADATA_KEY } from './shared/stripe-refs';

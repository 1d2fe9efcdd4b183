export * from './stripe-objects/stripe-objects.projector';
export * from './stripe-objects/stripe-objects.query';
export * from './stripe-objects/stripe-objects.migration';
export { allProjectors } from './all-projectors';
export * from './activity';
export * from './support-migrations';
export * from './support-queries';
export * from './notifications/notification-events';
export * from './notifications/notifications.projector';
export * from './notifications/notifications.query';
export * from './notifications/notifications.migration';
export * from './stripe-sync';
export * from './history';
export * from './audit';
export * from './product-links';
export { customersProjector } from './customers/customers.projector';
/** Stripe minor units as money text (`$9.99`), as the activity feed writes them. */
export { money as moneyText } from './activity/format';

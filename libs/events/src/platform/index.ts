export * from './customer-events';
export * from './subscription-events';
export * from './payment-events';
export * from './stripe-sync-events';
export * from './product-events';

export * from './stripe/normalize-stripe-object';
export * from './stripe/stripe-json';
export * from './stripe/subscription-access';
export * from './stripe/backfilled-events';
export * from './platform';
export * from './schema';
export * from './time-bound';
export * from './storable-text';

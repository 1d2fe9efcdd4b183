export * from './stripe/normalize-stripe-object';
export * from './stripe/stripe-json';
export * from './platform';
export * from './schema';

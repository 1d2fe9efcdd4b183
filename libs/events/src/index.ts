export * from './stripe/normalize-stripe-object';
export * from './platform';
export * from './schema';

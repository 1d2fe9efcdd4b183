export * from './stripe/normalize-stripe-object';

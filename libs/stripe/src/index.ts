export * from './webhooks/webhook-verifier';
export * from './webhooks/stripe-event-routing';
export * from './webhooks/stripe-event-envelope';
export * from './webhooks/stripe-event-ingestor';
export * from './client/stripe-client';
export * from './client/stripe-retry-policy';
export * from './endpoints/ledgerline-event-types';
export * from './endpoints/webhook-endpoints';

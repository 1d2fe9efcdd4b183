export * from './stripe-sync.projector';
export * from './stripe-sync.migration';
export * from './stripe-sync.query';
export * from './record-sync.query';
export * from './stripe-sync-attempts';

export * from './audit-index.migration';
export * from './audit-index.projector';
export * from './customer-audit.query';
export * from './event-description';
export * from './subscription-audit.query';

export * from './projector';
export * from './projection-store';
export * from './projection-runner';
export * from './projection-status';
export * from './projection-engine.migration';
export * from './projections.providers';
export * from './rebuild-requests';
export * from './rebuilder';

export * from './entity-history.migration';
export * from './entity-history.projector';
export * from './records-as-of';

export * from './test-database';
export * from './migrate';

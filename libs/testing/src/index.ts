export * from './test-database';
export * from './migrate';
export * from './stripe-fixtures';
export * from './process-harness';
export * from './directory-lock';
export * from './webhook-posting';
export * from './eventually';
export * from './stripe-server';

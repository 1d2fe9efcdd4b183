export * from './core.module';
export * from './prepare-database';
export * from './migrations';
export * from './run-process';
export { ledgerlineVersion } from './version';

export * from './ledgerline-config';
export * from './config.module';
export * from './notifications-config';
export * from './commands-config';
export * from './feeds-config';
export * from './backfill-config';
export * from './workers-config';
export * from './logging-config';

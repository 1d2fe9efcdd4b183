export * from './ledgerline-config';
export * from './config.module';

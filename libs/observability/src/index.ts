export * from './metrics';
export * from './logging';
export * from './http-observer';
export * from './safe-errors';

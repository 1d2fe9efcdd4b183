export * from './embedded-postgres';
export * from './data-source';
export * from './returning';
export * from './migration-lock';

// Tests migrate exactly as the app does at start.
export { runMigrations } from '@ledgerline/database';

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres, type RunningPostgres } from '../../../database/src/embedded-postgres';

declare global {
  var __LEDGERLINE_TEST_POSTGRES__: RunningPostgres | undefined;
}

/**
 * Starts a throw-away embedded PostgreSQL for the whole test run, unless DATABASE_URL points at a
 * server already. Suites then create their own databases on it (see createTestDatabase).
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.env.LEDGERLINE_TEST_ADMIN_URL = process.env.DATABASE_URL;
    return;
  }
  const started = Date.now();
  const server = await startEmbeddedPostgres({
    dataDir: mkdtempSync(join(tmpdir(), 'ledgerline-test-pg-')),
    persistent: false,
    log: (line) => process.stdout.write(`${line}\n`),
    // A throw-away cluster needs no durability: without waiting on the disk a commit takes ~0.5 ms
    // instead of ~4 ms on this machine. Tests kill our processes, never this server, so nothing
    // they check depends on what an fsync would keep.
    settings: ['fsync=off', 'synchronous_commit=off', 'full_page_writes=off'],
  });
  globalThis.__LEDGERLINE_TEST_POSTGRES__ = server;
  process.env.LEDGERLINE_TEST_ADMIN_URL = server.adminUrl;
  process.stdout.write(`\nembedded PostgreSQL for tests started in ${Date.now() - started} ms\n`);
}

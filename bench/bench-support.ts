import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../libs/database/src/embedded-postgres';
import { createDataSource } from '../libs/database/src/data-source';

/** A scratch PostgreSQL database for a benchmark: DATABASE_URL's server if set, else embedded. */
export async function benchDatabase(
  migrations: Function[], // eslint-disable-line @typescript-eslint/no-unsafe-function-type
): Promise<{ url: string; stop(): Promise<void> }> {
  let adminUrl = process.env.DATABASE_URL;
  let stopServer = async (): Promise<void> => undefined;
  if (!adminUrl) {
    const server = await startEmbeddedPostgres({
      dataDir: mkdtempSync(join(tmpdir(), 'll-bench-')),
      persistent: false,
    });
    adminUrl = server.adminUrl;
    stopServer = () => server.stop();
  }
  const name = `bench_${Date.now()}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const dataSource = createDataSource(url.toString(), migrations);
  await dataSource.initialize();
  await dataSource.runMigrations();
  await dataSource.destroy();
  return { url: url.toString(), stop: stopServer };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function summarise(label: string, events: number, elapsedMs: number, latencies: number[]): string {
  const sorted = [...latencies].sort((a, b) => a - b);
  return [
    label.padEnd(48),
    `${Math.round((events / elapsedMs) * 1000)
      .toString()
      .padStart(7)} events/s`,
    `p50 ${percentile(sorted, 50).toFixed(2)} ms`,
    `p99 ${percentile(sorted, 99).toFixed(2)} ms`,
  ].join('  ');
}

/** Samples RSS so a benchmark can report its peak memory. */
export function trackPeakMemory(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  return {
    stop: () => {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss);
    },
  };
}

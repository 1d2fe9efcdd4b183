import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../libs/database/src/embedded-postgres';
import { runMigrations } from '../libs/database/src/data-source';

export interface BenchPostgres {
  adminUrl: string;
  /** Creates a fresh database named `<prefix>_<time>` (a copy of `template` if given) and returns its URL. */
  createDatabase(prefix: string, template?: string): Promise<string>;
  stop(): Promise<void>;
}

/** A PostgreSQL server for a benchmark: DATABASE_URL's server if set, else a throw-away embedded one. */
export async function benchPostgres(): Promise<BenchPostgres> {
  let adminUrl = process.env.DATABASE_URL;
  let stop = async (): Promise<void> => undefined;
  if (!adminUrl) {
    const dataDir = mkdtempSync(join(tmpdir(), 'll-bench-'));
    const server = await startEmbeddedPostgres({ dataDir, persistent: false });
    adminUrl = server.adminUrl;
    stop = () => server.stop().then(() => rmSync(dataDir, { recursive: true, force: true }));
  }
  const serverUrl = adminUrl;
  const createDatabase = async (prefix: string, template?: string): Promise<string> => {
    const name = `${prefix}_${Date.now()}`;
    const admin = new Client({ connectionString: serverUrl });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
    } finally {
      await admin.end();
    }
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return url.toString();
  };
  return { adminUrl: serverUrl, createDatabase, stop };
}

/** A scratch PostgreSQL database for a benchmark, with the given TypeORM migrations applied. */
export async function benchDatabase(
  migrations: Function[], // eslint-disable-line @typescript-eslint/no-unsafe-function-type
): Promise<{ url: string; stop(): Promise<void> }> {
  const server = await benchPostgres();
  const url = await server.createDatabase('bench');
  await runMigrations(url, migrations);
  return { url, stop: () => server.stop() };
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

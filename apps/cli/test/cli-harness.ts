import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { EVENT_STORE_MIGRATIONS, type NewEvent, PostgresEventStore } from '@ledgerline/event-store';
import { READ_MODEL_MIGRATIONS } from '@ledgerline/runtime';
import { ROOT, runMigrations } from '@ledgerline/testing';

export const CLI = join(ROOT, 'bin/ledgerline.js');

/** The CLI's environment: the suite's database for both read models and the store, nothing inherited. */
export function cliEnv(databaseUrl: string): NodeJS.ProcessEnv {
  return { ...process.env, DATABASE_URL: databaseUrl, EVENT_STORE_URL: '' };
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI to its end. */
export function runCli(args: string[], databaseUrl: string): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile('node', [CLI, ...args], { env: cliEnv(databaseUrl), timeout: 90_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

export interface RunningCli {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
  /** Resolves with the first match in the output stream once it appears. */
  waitFor(pattern: RegExp, stream?: 'stdout' | 'stderr', timeoutMs?: number): Promise<RegExpMatchArray>;
}

/** Starts the built CLI and keeps its output for the test to look at. */
export function spawnCli(args: string[], databaseUrl: string): RunningCli {
  const child = spawn('node', [CLI, ...args], { env: cliEnv(databaseUrl), stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (chunk: Buffer) => (output.stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output.stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    stdout: () => output.stdout,
    stderr: () => output.stderr,
    exited,
    async waitFor(pattern, stream = 'stdout', timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = output[stream].match(pattern);
        if (match) return match;
        if (child.exitCode !== null || Date.now() > deadline) {
          throw new Error(`no ${pattern} on ${stream} (exit ${child.exitCode}):\n${output.stdout}\n${output.stderr}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
  };
}

/** Migrates the suite's database as the app would and opens the store on it. */
export async function openStore(databaseUrl: string): Promise<PostgresEventStore> {
  await runMigrations(databaseUrl, [...EVENT_STORE_MIGRATIONS, ...READ_MODEL_MIGRATIONS]);
  return new PostgresEventStore({ connectionString: databaseUrl, pollIntervalMs: 50 });
}

/** A Stripe event as ingestion stores it: the Event object verbatim, in its object's stream. */
export function stripeEvent(
  type: string,
  object: Record<string, unknown> & { id: string; object: string },
  created = 1_700_000_000,
): { stream: string; event: NewEvent } {
  const id = `evt_${type.replace(/\W/g, '_')}_${object.id}_${created}`;
  return {
    stream: `stripe_${object.object}-${object.id}`,
    event: {
      type,
      data: { id, object: 'event', type, created, data: { object } },
      metadata: { source: 'stripe', stripeEventId: id, occurredAt: new Date(created * 1000).toISOString() },
    },
  };
}

import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildOnce, ROOT } from '@ledgerline/testing';
import { CLI, type CliResult } from './cli-harness';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** Runs the built CLI with exactly this environment (plus PATH): nothing else inherited. */
function runWith(args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      'node',
      [CLI, ...args],
      { env: { PATH: process.env.PATH, ...env }, timeout: 30_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('ledgerline --version', () => {
  let scratch: string;

  beforeAll(() => {
    buildOnce();
    scratch = mkdtempSync(join(tmpdir(), 'ledgerline-version-'));
  }, 300_000);
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('prints the package.json version and exits 0, with a configuration that could not start anything', async () => {
    expect(VERSION).toMatch(/^\d+\.\d+\.\d+(-[\w.]+)?$/);
    // Loading this configuration fails (exit 78), and no database answers at this address.
    const broken = { PORT: 'not-a-port', DATABASE_URL: 'postgres://nobody:nothing@127.0.0.1:1/none' };
    for (const flag of ['--version', '-v']) {
      expect({ flag, ...(await runWith([flag], broken)) }).toEqual({
        flag,
        code: 0,
        stdout: `${VERSION}\n`,
        stderr: '',
      });
    }
    const started = await runWith(['stats'], broken);
    expect(started.code).toBe(78);
    expect(started.stderr).toContain('PORT');
  }, 60_000);

  it('starts no embedded PostgreSQL: its data directory is never created', async () => {
    const dataDir = join(scratch, 'data');
    const result = await runWith(['--version'], { LEDGERLINE_DATA_DIR: dataDir });
    expect(result).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
    expect(existsSync(dataDir)).toBe(false);
  }, 60_000);

  it('is in the usage text', async () => {
    const help = await runWith(['help'], {});
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^ {2}--version, -v\n {6}print the version and exit$/m);
  }, 60_000);
});

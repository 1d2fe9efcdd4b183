import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { distIsCurrent, ROOT, withDirectoryLock } from '@ledgerline/testing';

/**
 * Builds the console from apps/console/src once per test run (Jest workers share the runner as
 * parent), into a directory of that run's own: a build by another run, or `npm run build`, never
 * swaps the files under a page a test is loading. A copy of dist/console when that was built from
 * the sources as they are.
 */
export function buildConsoleForTests(): string {
  const directory = join(tmpdir(), `ledgerline-console-${process.ppid}`);
  return withDirectoryLock(`${directory}.lock`, () => {
    if (existsSync(join(directory, 'index.html'))) return directory;
    removeOldBuilds();
    const built = join(ROOT, 'dist', 'console');
    if (existsSync(join(built, 'index.html')) && distIsCurrent()) {
      cpSync(built, directory, { recursive: true });
      return directory;
    }
    const vite = join(ROOT, 'node_modules', '.bin', 'vite');
    const config = join(ROOT, 'apps', 'console', 'vite.config.mts');
    execFileSync(vite, ['build', '--config', config, '--outDir', directory, '--emptyOutDir'], {
      cwd: ROOT,
      stdio: 'pipe',
      env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
    });
    return directory;
  });
}

/** Builds of earlier runs, left in the temporary directory, after an hour. */
function removeOldBuilds(): void {
  const hourAgo = Date.now() - 3_600_000;
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith('ledgerline-console-')) continue;
    const path = join(tmpdir(), name);
    try {
      if (statSync(path).mtimeMs < hourAgo) rmSync(path, { recursive: true, force: true });
    } catch {
      // another run removed it first
    }
  }
}

import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { distIsCurrent, ROOT, sourceDigest, withDirectoryLock } from '@ledgerline/testing';

/**
 * Builds the console from apps/console/src into a directory of its own, named by the digest of the
 * sources: `npm run build` never swaps the files under a page a test is loading, a build is never
 * reused for other sources (another checkout, an edit since), and runs of the same sources share
 * it. A copy of dist/console when that was built from the sources as they are.
 */
export function buildConsoleForTests(): string {
  const digest = sourceDigest();
  const directory = join(tmpdir(), `ledgerline-console-${digest.slice(0, 16)}`);
  return withDirectoryLock(`${directory}.lock`, () => {
    if (existsSync(join(directory, 'index.html'))) {
      const now = new Date();
      utimesSync(directory, now, now); // in use: not an old build to remove
      return directory;
    }
    removeOldBuilds();
    const built = join(ROOT, 'dist', 'console');
    if (existsSync(join(built, 'index.html')) && distIsCurrent(digest)) {
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

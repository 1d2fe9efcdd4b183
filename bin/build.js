#!/usr/bin/env node
// Builds dist/ (`npm run build`) when the build tools are installed: `npm ci` (its prepare script),
// `npm start` and the other start scripts run it. A production install (`npm ci --omit=dev`) has no
// build tools, only the dependencies that run dist/: then the dist/ built beforehand is used as it is.
// `--install` (the prepare script): a production install without dist/ yet still succeeds, so that
// dist/ can be copied in afterwards (a Docker build stage, say); a start without dist/ fails.
'use strict';
const { spawnSync } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const BUILD_TOOLS = ['typescript', 'tsc-alias', 'vite'];
const BUILT = ['dist/apps/api/src/main.js', 'dist/apps/worker/src/main.js', 'dist/apps/cli/src/main.js'];

function installed(name) {
  try {
    require.resolve(`${name}/package.json`, { paths: [root] });
    return true;
  } catch {
    return false;
  }
}

if (BUILD_TOOLS.every(installed)) {
  const npm = process.env.npm_execpath;
  const build = npm
    ? spawnSync(process.execPath, [npm, 'run', 'build', '--silent'], { cwd: root, stdio: 'inherit' })
    : spawnSync('npm', ['run', 'build', '--silent'], {
        cwd: root,
        stdio: 'inherit',
        shell: process.platform === 'win32',
      });
  process.exit(build.status ?? 1);
}

const missing = BUILT.filter((file) => !existsSync(join(root, file)));
if (missing.length === 0) process.exit(0);
const hint =
  'a production install (npm ci --omit=dev) has no build tools: build dist/ first with `npm ci && npm run build` ' +
  '(or `npm ci && npm prune --omit=dev` in one folder), see README.md';
if (process.argv.includes('--install')) {
  process.stderr.write(`ledgerline: dist/ is not built yet; ${hint}\n`);
  process.exit(0);
}
process.stderr.write(`ledgerline: cannot start, ${missing.join(', ')} missing; ${hint}\n`);
process.exit(1);

#!/usr/bin/env node
// A digest of what `npm run build` compiles (the apps' and libs' sources, the TypeScript and Vite
// configuration, the lock file), so that tests can tell a dist/ built from these very sources
// (`npm ci` builds it) and not build it a second time. The build runs `--begin` first (the digest of
// the sources it is about to compile, kept aside; the old record removed) and `--commit` once it
// succeeded, so a source edited during a build never passes for built.
'use strict';
const { createHash } = require('node:crypto');
const { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');

const root = join(__dirname, '..');
const RECORD = join(root, 'dist', '.source-digest');
const PENDING = `${RECORD}.pending`;
const ROOT_FILES = ['package-lock.json', 'tsconfig.json', 'tsconfig.base.json', 'tsconfig.build.json'];
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|css|html|json|svg)$/;
// Tests are not built: changing one must not cost a build.
const NOT_BUILT = /(\.spec\.ts$|\/test\/)/;

function sourcesUnder(directory) {
  const files = [];
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist') files.push(...sourcesUnder(path));
    } else if (SOURCE.test(entry.name) && !NOT_BUILT.test(path)) files.push(path);
  }
  return files;
}

function sourceDigest() {
  const hash = createHash('sha256');
  const files = [
    ...ROOT_FILES.map((name) => join(root, name)),
    ...sourcesUnder(join(root, 'apps')),
    ...sourcesUnder(join(root, 'libs')),
  ];
  for (const file of files.sort()) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

function recordedDigest() {
  try {
    return readFileSync(RECORD, 'utf8').trim();
  } catch {
    return null;
  }
}

module.exports = { sourceDigest, recordedDigest };

if (require.main === module) {
  if (process.argv.includes('--begin')) {
    mkdirSync(join(root, 'dist'), { recursive: true });
    rmSync(RECORD, { force: true });
    writeFileSync(PENDING, `${sourceDigest()}\n`);
  } else if (process.argv.includes('--commit')) {
    renameSync(PENDING, RECORD);
  }
}

import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';

// `import ... from '…'` and `export ... from '…'` (over several lines too), `import '…'`, `require('…')`.
const IMPORTS = /^(?:import|export)\b[^;]*?\bfrom\s+'([^']+)'|^import\s+'([^']+)'|\brequire\('([^']+)'\)/gm;
const root = join(__dirname, '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;

/**
 * The client ships as its own npm package with no dependencies. dependency-cruiser keeps it off the
 * rest of the repository but does not see node_modules, so this checks its imports too.
 */
describe('@ledgerline/feed-client as a package', () => {
  it('has no runtime dependencies and points at its build', () => {
    expect(manifest).toMatchObject({
      name: '@ledgerline/feed-client',
      main: 'dist/index.js',
      types: 'dist/index.d.ts',
    });
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(manifest.peerDependencies ?? {}).toEqual({});
  });

  it('imports only its own files and Node built-ins', () => {
    const sources = readdirSync(join(root, 'src')).filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'));
    const imported = sources.flatMap((file) =>
      [...readFileSync(join(root, 'src', file), 'utf8').matchAll(IMPORTS)].map(
        (match) => match[1] ?? match[2] ?? match[3]!,
      ),
    );
    const foreign = imported.filter(
      (specifier) => !specifier.startsWith('./') && !builtinModules.includes(specifier.replace(/^node:/, '')),
    );
    expect(sources.length).toBeGreaterThan(5);
    expect(foreign).toEqual([]);
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Ledgerline's version: `version` of the package.json this code belongs to, the nearest one named
 * `ledgerline` upwards from here (the same from the sources and from dist/).
 */
export function ledgerlineVersion(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown; version?: unknown };
      if (manifest.name === 'ledgerline' && typeof manifest.version === 'string') return manifest.version;
    }
    if (dirname(dir) === dir) throw new Error(`no package.json of ledgerline above ${from}`);
  }
}

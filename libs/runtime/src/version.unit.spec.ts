import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { ledgerlineVersion } from './version';

const ROOT = join(__dirname, '../../..');
const scratch = mkdtempSync(join(tmpdir(), 'ledgerline-version-unit-'));
const write = (dir: string, manifest: object) => {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
};

describe('ledgerlineVersion', () => {
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("is the repository's package.json version, from the sources and from dist/ alike", () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(ledgerlineVersion()).toBe(version);
    expect(ledgerlineVersion(join(ROOT, 'dist/apps/cli/src'))).toBe(version);
  });

  it('skips package.json files of other packages on the way up', () => {
    write(join(scratch, 'app'), { name: 'ledgerline', version: '9.8.7' });
    write(join(scratch, 'app/node_modules/other'), { name: 'other', version: '1.0.0' });
    expect(ledgerlineVersion(join(scratch, 'app/node_modules/other/lib'))).toBe('9.8.7');
  });

  it('fails when no package.json of ledgerline is above', () => {
    write(join(scratch, 'alone'), { name: 'other', version: '1.0.0' });
    expect(() => ledgerlineVersion(join(scratch, 'alone'))).toThrow(/no package.json of ledgerline above/);
  });
});

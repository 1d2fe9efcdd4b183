import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from '@jest/globals';

/**
 * A clone placed alone in an empty folder must work: nothing in the repository may read or cite a
 * file outside it. Checked over every file git knows (tracked, or new and not ignored), except the
 * third-party data in test/fixtures/ (checked against its manifest instead) and this file.
 */
const ROOT = resolve(__dirname, '..');
const SELF = relative(ROOT, __filename).split(sep).join('/');
const FIXTURES = 'test/fixtures/stripe';

/** Names of things that lived beside the repository once and must not be cited again. */
const GONE: readonly { pattern: RegExp; instead: string }[] = [
  { pattern: /shared\/stripe-fixtures/g, instead: 'test/fixtures/stripe (stripeFixturesDir())' },
  { pattern: /\bDESIGN\.md\b/g, instead: 'docs/design.md' },
];

/** `../` runs not inside a longer path (`../../x`, `./../x`, `'../..'`). */
const CLIMB = /(?<![\w./-])(?:\.\/)?(?:\.\.\/)+(?:\.\.(?![\w./]))?/g;
/** Path segments given one by one: `join(__dirname, '..', '..')`. */
const CLIMB_SEGMENTS = /(['"`])\.\.\1(?:\s*,\s*(['"`])\.\.\2)*/g;
/** A relative Markdown link target (no scheme, not an anchor on the same page). */
const MARKDOWN_LINK = /\]\((?![a-z][\w+.-]*:|#)([^)\s]+)\)/gi;
/** A docs page named by its path from the repository root, e.g. in a code comment. */
const DOCS_PATH = /(?<![\w./-])docs\/[\w./-]*?\.md\b/g;

interface OutsideReference {
  file: string;
  line: number;
  text: string;
  problem: string;
}

function isInside(path: string): boolean {
  const rel = relative(ROOT, path);
  return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/** Every reference in `text` (the content of `file`, relative to the root) to a file outside the repository or missing from it. */
function outsideReferences(
  file: string,
  text: string,
  exists: (path: string) => boolean = existsSync,
): OutsideReference[] {
  const found: OutsideReference[] = [];
  const dir = dirname(join(ROOT, file));
  text.split('\n').forEach((content, index) => {
    const report = (match: string, problem: string) => found.push({ file, line: index + 1, text: match, problem });
    for (const { pattern, instead } of GONE) {
      for (const match of content.matchAll(pattern)) report(match[0], `outside the repository: use ${instead}`);
    }
    for (const regex of [CLIMB, CLIMB_SEGMENTS]) {
      for (const match of content.matchAll(regex)) {
        const levels = match[0].match(/\.\./g)!.length;
        if (!isInside(resolve(dir, ...Array<string>(levels).fill('..')))) {
          report(match[0], `climbs ${levels} level(s) up from ${relative(ROOT, dir) || '.'}: out of the repository`);
        }
      }
    }
    if (file.endsWith('.md')) {
      for (const match of content.matchAll(MARKDOWN_LINK)) {
        const target = resolve(dir, decodeURI(match[1]!.replace(/[#?].*$/, '')));
        if (!isInside(target)) report(match[1]!, 'links outside the repository');
        else if (!exists(target)) report(match[1]!, 'links to a file that is not in the repository');
      }
    }
    for (const match of content.matchAll(DOCS_PATH)) {
      if (!exists(join(ROOT, match[0]))) report(match[0], 'names a docs page that is not in the repository');
    }
  });
  return found;
}

/** The files git knows of in the working tree: tracked ones and new ones it does not ignore. */
function repositoryFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return [...new Set(listed.split('\0'))]
    .filter((file) => file !== '' && existsSync(join(ROOT, file)) && statSync(join(ROOT, file)).isFile())
    .sort();
}

function isText(content: Buffer): boolean {
  return !content.subarray(0, 8000).includes(0);
}

function gitBlobHash(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

describe('outsideReferences (the check itself)', () => {
  const always = () => true;

  it('flags a relative path that climbs out of the repository from where the file sits', () => {
    const found = outsideReferences(
      'libs/testing/src/stripe-fixtures.ts',
      "const a = resolve(__dirname, '../../../../shared/stripe-fixtures');\nconst b = join(__dirname, '..', '..', '..', '..');",
      always,
    );
    expect(found.map(({ line, text }) => [line, text])).toEqual([
      [1, 'shared/stripe-fixtures'],
      [1, '../../../../'],
      [2, "'..', '..', '..', '..'"],
    ]);
    expect(outsideReferences('bench/x.ts', "join(__dirname, '../../shared/stripe/events')", always)).toHaveLength(1);
    expect(outsideReferences('package.json', '"x": "node ../other/run.js"', always)).toHaveLength(1);
    expect(outsideReferences('docs/x.md', 'see [the brief](../../brief.md)', always).map((f) => f.problem)).toEqual([
      'climbs 2 level(s) up from docs: out of the repository',
      'links outside the repository',
    ]);
  });

  it('lets relative paths that stay inside pass, and the same text with one level less', () => {
    const inside = [
      "import { paged } from '../shared/paging';",
      "export const ROOT = resolve(__dirname, '../../..');",
      "const dir = join(__dirname, '..', 'platform');",
      'const spread = [...items, ...more]; // 1..10 and so on..',
      'cd "$(dirname "$0")/.."',
    ];
    expect(outsideReferences('libs/testing/src/x.ts', inside.join('\n'), always)).toEqual([]);
    expect(outsideReferences('libs/testing/src/x.ts', "resolve(__dirname, '../../../')", always)).toEqual([]);
    expect(outsideReferences('libs/testing/src/x.ts', "resolve(__dirname, '../../../../')", always)).toHaveLength(1);
  });

  it('flags the design brief by name, and docs pages and links to files that do not exist', () => {
    const exists = (path: string) => !path.endsWith('gone.md');
    const text =
      'as DESIGN.md says\nsee docs/gone.md and docs/cli.md\n[gone](decisions/gone.md) [ok](cli.md#x) [web](https://x/y.md)';
    expect(outsideReferences('docs/x.md', text, exists).map(({ line, text }) => [line, text])).toEqual([
      [1, 'DESIGN.md'],
      [2, 'docs/gone.md'],
      [3, 'decisions/gone.md'],
    ]);
  });
});

describe('the repository is self-contained', () => {
  const files = repositoryFiles();

  it('lists the repository through git, source and fixtures alike', () => {
    expect(files).toEqual(expect.arrayContaining(['package.json', SELF, `${FIXTURES}/manifest.tsv`]));
    expect(files.filter((file) => file.startsWith('apps/')).length).toBeGreaterThan(100);
  });

  it('no source, test, benchmark, script, CI file, config or doc refers to a file outside it or missing from it', () => {
    const checked = files.filter(
      (file) => file !== SELF && !file.startsWith('test/fixtures/') && file !== 'package-lock.json',
    );
    const found = checked.flatMap((file) => {
      const content = readFileSync(join(ROOT, file));
      return isText(content) ? outsideReferences(file, content.toString('utf8')) : [];
    });
    expect(found.map(({ file, line, text, problem }) => `${file}:${line}: ${text} (${problem})`)).toEqual([]);
  });
});

describe('test/fixtures/stripe', () => {
  const root = join(ROOT, FIXTURES);
  const [header, ...rows] = readFileSync(join(root, 'manifest.tsv'), 'utf8').trimEnd().split('\n');
  const columns = header!.split('\t');
  const manifest = rows.map((row) => Object.fromEntries(row.split('\t').map((value, i) => [columns[i], value])));

  it('holds every file its manifest lists, byte for byte where the manifest has the blob hash', () => {
    expect(manifest.length).toBeGreaterThan(400);
    const changed = manifest.flatMap(({ dest, blob }) => {
      const path = join(root, dest!);
      if (!existsSync(path)) return [`${dest}: missing`];
      return /^[0-9a-f]{40}$/.test(blob!) && gitBlobHash(readFileSync(path)) !== blob ? [`${dest}: changed`] : [];
    });
    expect(changed).toEqual([]);
  });

  it('lists every data file it holds in the manifest', () => {
    const listed = new Set(manifest.map(({ dest }) => dest));
    const data = walk(root)
      .map((path) => relative(root, path).split(sep).join('/'))
      .filter((file) => file !== 'README.md' && file !== 'manifest.tsv' && !file.startsWith('licenses/'));
    expect(data.filter((file) => !listed.has(file))).toEqual([]);
    expect(data.length).toBe(manifest.length);
  });

  it('keeps a licence text for every source it copies from', () => {
    const licences = readdirSync(join(root, 'licenses'));
    const sources = [...new Set(manifest.map(({ source }) => source!))].sort();
    expect(sources).toEqual(['dj-stripe', 'stripe-dotnet', 'stripe-openapi', 'stripe-rails', 'stripe-ruby-mock']);
    for (const source of sources) {
      expect({ source, licence: licences.some((file) => file.startsWith(`${source}.LICENSE`)) }).toEqual({
        source,
        licence: true,
      });
    }
  });
});

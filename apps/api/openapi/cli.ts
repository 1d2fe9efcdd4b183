import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  generatedSources,
  OPENAPI_FOLDER,
  ROOT,
  SPEC_FILE,
  specText,
  TYPES_FILE,
  typesText,
  writeGenerated,
} from './generate';

/**
 * `npm run openapi`: regenerates the api's OpenAPI metadata, openapi.json and its types.
 * `npm run openapi -- --check`: changes nothing, and fails naming each file that is not what the
 * source gives (openapi.e2e.spec.ts runs it).
 */
async function main(check: boolean): Promise<number> {
  const started = Date.now();
  const sources = await generatedSources();
  if (check) {
    const files: Record<string, string> = Object.fromEntries(
      Object.entries(sources).map(([file, text]) => [join(OPENAPI_FOLDER, file), text]),
    );
    // The spec from the committed sources: a stale source shows above, a stale spec here.
    const spec = await specText();
    files[SPEC_FILE] = spec;
    files[TYPES_FILE] = await typesText(spec);
    const stale = Object.entries(files)
      .filter(([file, text]) => readOr(file) !== text)
      .map(([file]) => file);
    for (const file of stale) process.stderr.write(`openapi: ${relative(ROOT, file)} is not what the source gives\n`);
    if (stale.length > 0) process.stderr.write('openapi: run `npm run openapi` and commit the result\n');
    return stale.length > 0 ? 1 : 0;
  }
  writeGenerated(sources);
  // The app reads the generated sources: the spec is written from them once they are in place.
  const spec = await specText();
  writeFileSync(SPEC_FILE, spec);
  writeFileSync(TYPES_FILE, await typesText(spec));
  process.stdout.write(`openapi: generated in ${Date.now() - started} ms\n`);
  return 0;
}

function readOr(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

main(process.argv.includes('--check')).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);

import { writeFileSync } from 'node:fs';
import { generatedSources, SPEC_FILE, specText, TYPES_FILE, typesText, writeGenerated } from './generate';

/** `npm run openapi`: regenerates the api's OpenAPI metadata, openapi.json and its types. */
async function main(): Promise<void> {
  const started = Date.now();
  writeGenerated(await generatedSources());
  // The app reads the generated sources: the spec is written from them once they are in place.
  const spec = await specText();
  writeFileSync(SPEC_FILE, spec);
  writeFileSync(TYPES_FILE, await typesText(spec));
  process.stdout.write(`openapi: generated in ${Date.now() - started} ms\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});

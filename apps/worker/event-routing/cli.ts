import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventConsumers } from './consumers';
import { routingMarkdown } from './matrix';

const PAGE = join(__dirname, '../../../docs/event-routing.md');

/**
 * `npm run event-routing`: writes docs/event-routing.md from the declarations.
 * `npm run event-routing -- --check`: changes nothing, and fails when the committed page is stale.
 */
function main(check: boolean): number {
  const page = routingMarkdown(eventConsumers());
  if (!check) {
    writeFileSync(PAGE, page);
    return 0;
  }
  const committed = readOr(PAGE);
  if (committed === page) return 0;
  process.stderr.write('event-routing: docs/event-routing.md is not what the declarations give\n');
  process.stderr.write('event-routing: run `npm run event-routing` and commit the result\n');
  return 1;
}

function readOr(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

process.exitCode = main(process.argv.includes('--check'));

import { ledgerlineVersion } from '@ledgerline/runtime';
import { EXIT } from './command';

/** `ledgerline --version`: the version alone on stdout, before any configuration or database. */
export function printVersion(): number {
  process.stdout.write(`${ledgerlineVersion()}\n`);
  return EXIT.ok;
}

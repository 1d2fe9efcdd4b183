import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { UsageError } from './args';
import type { Command } from './command';
import { reconcileCommand } from './reconcile.command';
import { replayCommand } from './replay.command';
import { stripeEndpointCommand } from './stripe-endpoint.command';

/**
 * What `prepare` refuses, before any database work. main.ts turns a UsageError into exit 64 with
 * the usage line; the e2e suites check that once per command with a real process, and these check
 * every refusal without starting one.
 */
const refusal = (command: Command, args: string[]): string => {
  try {
    command.prepare(args);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error(`${command.name} ${args.join(' ')}: accepted`);
};

describe('ledgerline replay refuses, naming the option', () => {
  const cases: [string[], RegExp][] = [
    [[], /--from and --to are required/],
    [['--from', '1'], /--from and --to are required/],
    [['--from', 'yesterday', '--to', '5'], /option --from needs a store position or an ISO 8601 time/],
    [['--from', '2025-01-01T10:00', '--to', '5'], /option --from needs .* with a zone/],
    [['--from', '2025-02-01', '--to', '2025-01-01'], /--to \(2025-01-01\) must come after --from/],
    [['--from', '1', '--to', '5', '--batch-size', '0'], /option --batch-size needs an integer/],
    [['--from', '1', '--to', '5', '--projection', 'nope'], /unknown projection "nope"/],
    [['--resume', '1', '--dry-run'], /--resume does not go with --dry-run/],
    [['--from', '1', '--to', '5', '--dryrun'], /unknown option --dryrun/],
  ];
  it.each(cases)('%j', (args, message) => expect(refusal(replayCommand, args)).toMatch(message));
});

describe('ledgerline reconcile refuses, naming the option', () => {
  const DAY1 = ['--from', '2026-01-01', '--to', '2026-01-02'];
  const outDir = mkdtempSync(join(tmpdir(), 'reconcile-usage-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));
  const cases: [string[], RegExp][] = [
    [['--from', '2026-01-02', '--to', '2026-01-01'], /--to \(2026-01-01\) must come after --from \(2026-01-02\)/],
    [['--from', '2026-01-01', '--to', '2026-01-01'], /--to \(2026-01-01\) must come after --from/],
    [[...DAY1, '--currency', 'EUR'], /option --currency needs a three-letter code in lowercase \(eur\), got "EUR"/],
    [[...DAY1, '--currency', 'euro'], /option --currency needs/],
    [[...DAY1, '--account', 'cus_123'], /option --account needs a Connect account id \(acct_\.\.\.\), got "cus_123"/],
    [[...DAY1, '--format', 'xml'], /option --format needs json or csv, got "xml"/],
    [[...DAY1, '--out', join(outDir, 'missing', 'report.json')], /option --out: directory .*missing does not exist/],
    [['--from', '2026-01-01T10:00', '--to', '2026-01-02'], /option --from needs an ISO 8601 date or time with a zone/],
    [['--from', 'yesterday', '--to', '2026-01-02'], /option --from needs an ISO 8601/],
    [['--from', '2026-02-01', '--to', '2026-02-30'], /option --to needs an ISO 8601 .*got "2026-02-30"/],
    [['--from', '2026-01-01'], /--from and --to are required/],
    [['--list', '--from', '2026-01-01'], /--list does not go with --from/],
    [['--show', '42'], /option --show needs a run id/],
    [['--show', '42', '--currency', 'eur'], /--show does not go with --currency/],
    [[...DAY1, '--curency', 'eur'], /unknown option --curency/],
  ];
  it.each(cases)('%j', (args, message) => expect(refusal(reconcileCommand, args)).toMatch(message));
});

describe('ledgerline stripe-endpoint refuses, naming the option', () => {
  const URL = 'https://ledgerline.example.com/webhooks/stripe';
  const cases: [string[], string][] = [
    [[], 'option --url is required'],
    [['--url', 'http://ledgerline.example.com/webhooks/stripe'], 'option --url must be an https URL'],
    [['--url', 'ledgerline.example.com'], 'option --url "ledgerline.example.com" is not a URL'],
    [['--url', URL, '--events', 'some'], 'option --events must be "needed" or "all", got "some"'],
    [['--list', '--url', URL], '--list does not go with --url'],
    [['--url', URL, '--json'], '--json goes with --list only'],
    [['--url', URL, '--colour', 'red'], 'unknown option --colour'],
    [['--url', URL, 'extra'], 'unexpected argument "extra"'],
  ];
  it.each(cases)('%j', (args, message) => expect(refusal(stripeEndpointCommand, args)).toContain(message));
});

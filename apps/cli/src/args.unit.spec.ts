import { describe, expect, it } from '@jest/globals';
import { integerOption, listOption, parseArgs, positionOption, UsageError } from './args';

const SPECS = {
  from: { type: 'string' },
  category: { type: 'string', multiple: true },
  json: { type: 'boolean' },
} as const;

const usageError = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error('expected a UsageError');
};

describe('parseArgs', () => {
  it('reads --flag value, --flag=value, boolean flags and repeated flags in order', () => {
    const parsed = parseArgs(['--from', '12', '--category=a', '--json', '--category', 'b'], SPECS);
    expect(parsed).toEqual({ positionals: [], options: { from: '12', category: ['a', 'b'], json: true } });
  });

  it('leaves absent options undefined and keeps positionals up to the limit', () => {
    expect(parseArgs(['customers'], SPECS, { maxPositionals: 1 })).toEqual({
      positionals: ['customers'],
      options: {},
    });
  });

  it('takes everything after -- as positionals, dashes included', () => {
    expect(parseArgs(['--json', '--', '--from'], SPECS, { maxPositionals: 1 }).positionals).toEqual(['--from']);
  });

  it('keeps an = inside a value', () => {
    expect(parseArgs(['--from=a=b'], SPECS).options.from).toBe('a=b');
  });

  it('names the offending option in every usage error', () => {
    expect(usageError(() => parseArgs(['--bogus'], SPECS))).toBe('unknown option --bogus');
    expect(usageError(() => parseArgs(['--bogus=1'], SPECS))).toBe('unknown option --bogus');
    expect(usageError(() => parseArgs(['-j'], SPECS))).toMatch(/unknown option -j/);
    expect(usageError(() => parseArgs(['--from'], SPECS))).toBe('option --from needs a value');
    expect(usageError(() => parseArgs(['--from', '--json'], SPECS))).toBe('option --from needs a value');
    expect(usageError(() => parseArgs(['--from='], SPECS))).toBe('option --from needs a non-empty value');
    expect(usageError(() => parseArgs(['--json=yes'], SPECS))).toBe('option --json takes no value');
    expect(usageError(() => parseArgs(['--from', '1', '--from', '2'], SPECS))).toBe(
      'option --from is given more than once',
    );
    expect(usageError(() => parseArgs(['extra'], SPECS))).toBe('unexpected argument "extra"');
    expect(usageError(() => parseArgs(['a', 'b', 'c'], SPECS, { maxPositionals: 1 }))).toBe(
      'unexpected arguments "b" "c"',
    );
  });

  it('does not treat inherited object keys as options', () => {
    expect(usageError(() => parseArgs(['--toString'], SPECS))).toBe('unknown option --toString');
  });
});

describe('option values', () => {
  it('splits comma-separated lists across repeats and drops empty items', () => {
    expect(listOption(['customer.,invoice.', ' charge. ', ','])).toEqual(['customer.', 'invoice.', 'charge.']);
    expect(listOption(undefined)).toEqual([]);
  });

  it('reads positions as bigints, beyond 2^53 too', () => {
    expect(positionOption('from', '0')).toBe(0n);
    expect(positionOption('from', '18446744073709551615')).toBe(18446744073709551615n);
    expect(usageError(() => positionOption('from', '-1'))).toMatch(/--from needs a store position/);
    expect(usageError(() => positionOption('from', '1e3'))).toMatch(/--from/);
  });

  it('reads bounded integers', () => {
    expect(integerOption('batch-size', '500', 1, 10_000)).toBe(500);
    expect(usageError(() => integerOption('batch-size', '0', 1, 10_000))).toBe(
      'option --batch-size needs an integer from 1 to 10000, got "0"',
    );
    expect(usageError(() => integerOption('batch-size', '2.5', 1, 10_000))).toMatch(/--batch-size/);
  });
});

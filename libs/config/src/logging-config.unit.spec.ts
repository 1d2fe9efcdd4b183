import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from './ledgerline-config';
import { problemsOf } from './testing/config-problems';

describe('loadConfig: logging', () => {
  it('logs at info, in the format the terminal decides, by default', () => {
    expect(loadConfig({}).logging).toEqual({ level: 'info', format: null });
  });

  it.each(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'])('reads LOG_LEVEL=%s', (level) => {
    expect(loadConfig({ LOG_LEVEL: level }).logging.level).toBe(level);
  });

  it('reads a level in capitals and either format', () => {
    expect(loadConfig({ LOG_LEVEL: 'WARN', LOG_FORMAT: 'json' }).logging).toEqual({ level: 'warn', format: 'json' });
    expect(loadConfig({ LOG_FORMAT: 'Pretty' }).logging.format).toBe('pretty');
  });

  it('stops start-up on an unknown level or format, naming the variable and what it expects', () => {
    expect(problemsOf({ LOG_LEVEL: 'verbose', LOG_FORMAT: 'xml' })).toEqual([
      'LOG_LEVEL: expected one of trace, debug, info, warn, error, fatal, silent, got "verbose"',
      'LOG_FORMAT: expected "json" or "pretty", got "xml"',
    ]);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(ConfigError);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL: expected one of .*got "loud"/);
  });
});

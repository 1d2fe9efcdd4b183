import { describe, expect, it } from '@jest/globals';
import { timeBound } from './time-bound';

describe('timeBound', () => {
  it('reads a date as its UTC midnight and a time with a zone as that instant', () => {
    expect(timeBound('2026-01-02')).toEqual({ seconds: Date.UTC(2026, 0, 2) / 1000 });
    expect(timeBound('2026-01-02T01:00:00+01:00')).toEqual({ seconds: Date.UTC(2026, 0, 2) / 1000 });
  });

  it('refuses a time without a zone, a day that does not exist, and parts of a second', () => {
    expect(timeBound('2026-01-02T00:00:00')).toHaveProperty('problem');
    expect(timeBound('2026-02-30')).toHaveProperty('problem');
    expect(timeBound('yesterday')).toHaveProperty('problem');
    expect(timeBound('2026-01-02T00:00:00.5Z')).toEqual({ problem: 'needs whole seconds' });
  });
});

import { describe, expect, it } from '@jest/globals';
import { estimate, formatDuration } from '../src/operations/rebuild-speed';

describe('rebuild estimates (the Operations page’s speed and time left)', () => {
  it('measures the speed between the first and last sample and the time left at that speed', () => {
    const samples = [
      { at: 10_000, position: 500 },
      { at: 11_000, position: 500 },
      { at: 14_000, position: 2_500 },
    ];
    expect(estimate(samples, 6_500)).toEqual({ rate: 500, secondsLeft: 8 });
  });

  it('says nothing before a second of samples, and 0 events/s only after 10 s without progress', () => {
    expect(estimate([], 100)).toEqual({ rate: null, secondsLeft: null });
    expect(estimate([{ at: 0, position: 1 }], 100)).toEqual({ rate: null, secondsLeft: null });
    expect(
      estimate(
        [
          { at: 0, position: 1 },
          { at: 900, position: 50 },
        ],
        100,
      ),
    ).toEqual({ rate: null, secondsLeft: null });
    expect(
      estimate(
        [
          { at: 0, position: 1 },
          { at: 5_000, position: 1 },
        ],
        100,
      ),
    ).toEqual({ rate: null, secondsLeft: null });
    expect(
      estimate(
        [
          { at: 0, position: 1 },
          { at: 10_000, position: 1 },
        ],
        100,
      ),
    ).toEqual({ rate: 0, secondsLeft: null });
  });

  it('never reports time left below zero when the head is reached', () => {
    expect(
      estimate(
        [
          { at: 0, position: 0 },
          { at: 2_000, position: 100 },
        ],
        100,
      ),
    ).toEqual({ rate: 50, secondsLeft: 0 });
  });

  it('formats durations as the CLI does', () => {
    expect(formatDuration(0.2)).toBe('1 s');
    expect(formatDuration(42.1)).toBe('43 s');
    expect(formatDuration(125)).toBe('2 min 5 s');
    expect(formatDuration(7_260)).toBe('2 h 1 min');
  });
});

import { describe, expect, it } from '@jest/globals';
import { WrongExpectedRevisionError } from '@ledgerline/event-store';
import { CommandRejected } from './command-errors';
import { retryOnConflict } from './retry-on-conflict';

describe('retryOnConflict', () => {
  const conflict = () => new WrongExpectedRevisionError('customer-1', '3', 4n);

  it('decides again after a concurrent change and succeeds', async () => {
    let runs = 0;
    const result = await retryOnConflict(3, 'customer 1', async () => {
      runs += 1;
      if (runs < 3) throw conflict();
      return 'appended';
    });
    expect(result).toBe('appended');
    expect(runs).toBe(3);
  });

  it('answers a conflict (409) after the last attempt', async () => {
    let runs = 0;
    const attempt = retryOnConflict(3, 'customer 1', async () => {
      runs += 1;
      throw conflict();
    });
    await expect(attempt).rejects.toMatchObject({ kind: 'conflict' });
    await expect(attempt).rejects.toBeInstanceOf(CommandRejected);
    expect(runs).toBe(3);
  });

  it('does not retry other errors', async () => {
    let runs = 0;
    const attempt = retryOnConflict(3, 'customer 1', async () => {
      runs += 1;
      throw new Error('database down');
    });
    await expect(attempt).rejects.toThrow('database down');
    expect(runs).toBe(1);
  });
});

import { WrongExpectedRevisionError } from '@ledgerline/event-store';
import { CommandRejected } from './command-errors';

/**
 * Runs load-decide-append again when another command changed the stream in between (the append's
 * expected revision no longer matched); after `attempts`, the caller gets a 409 to retry later.
 */
export async function retryOnConflict<T>(attempts: number, what: string, run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      if (attempt >= attempts) {
        throw CommandRejected.conflict(
          `${what} was changed by other commands while this one was decided (${attempt} attempts); try again`,
        );
      }
    }
  }
}

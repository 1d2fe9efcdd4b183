import { createHash } from 'node:crypto';

/**
 * The live worker that should own `unit`: highest random weight (rendezvous) hashing. Every worker
 * computes the same answer from the same list, without talking to the others, and when a worker
 * joins or leaves only the units it wins or held move.
 */
export function preferredOwner(unit: string, workers: readonly string[]): string | null {
  let best: string | null = null;
  let bestWeight = -1n;
  for (const worker of workers) {
    const weight = createHash('sha256').update(`${unit}\n${worker}`).digest().readBigUInt64BE(0);
    if (weight > bestWeight || (weight === bestWeight && worker < best!)) [best, bestWeight] = [worker, weight];
  }
  return best;
}

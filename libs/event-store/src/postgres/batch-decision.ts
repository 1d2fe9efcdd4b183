/**
 * Decides a batch of appends against the stored state, as PostgreSQL would one at a time: the
 * pure core of group commit (group-commit.ts reads the state under the stream locks, then writes
 * what this decides). Appends are decided in order, each seeing the ones accepted before it.
 */

export interface AppendRequest {
  stream: string;
  /** 'any' | 'no_stream' | 'stream_exists' | a revision as decimal text. */
  expected: string;
  ids: string[];
}

export interface StoredEvent {
  stream: string;
  revision: bigint;
  position: bigint;
}

export type AppendDecision =
  /** Written by this batch: revisions from firstRevision, positions from the batch head + offset + 1. */
  | { kind: 'accepted'; firstRevision: bigint; offset: number }
  /** Every id already stored (before or earlier in this batch): nothing written. */
  | { kind: 'duplicate'; events: ({ stored: StoredEvent } | { inBatch: number; ord: number })[] }
  | { kind: 'wrong_revision'; actual: bigint | null }
  | { kind: 'conflict'; message: string };

export function decideBatch(
  appends: AppendRequest[],
  stored: ReadonlyMap<string, StoredEvent>,
  revisions: ReadonlyMap<string, bigint>,
): AppendDecision[] {
  const current = new Map(revisions);
  const written = new Map<string, { stream: string; append: number; ord: number }>();
  let offset = 0;
  return appends.map((append, index): AppendDecision => {
    const found = append.ids.map((id) => {
      const before = stored.get(id);
      if (before) return { stream: before.stream, ref: { stored: before } };
      const earlier = written.get(id);
      return earlier ? { stream: earlier.stream, ref: { inBatch: earlier.append, ord: earlier.ord } } : null;
    });
    const hits = found.filter((hit) => hit !== null);
    if (hits.length) {
      const foreign = hits.find((hit) => hit.stream !== append.stream);
      if (foreign)
        return { kind: 'conflict', message: `an event of this append is already stored in stream "${foreign.stream}"` };
      if (hits.length < append.ids.length) {
        return {
          kind: 'conflict',
          message: `${hits.length} of the ${append.ids.length} events are already stored; an append is all or nothing`,
        };
      }
      return { kind: 'duplicate', events: hits.map((hit) => hit.ref) };
    }

    const revision = current.get(append.stream) ?? null;
    if (!expectationHolds(append.expected, revision)) return { kind: 'wrong_revision', actual: revision };

    const firstRevision = revision === null ? 0n : revision + 1n;
    current.set(append.stream, firstRevision + BigInt(append.ids.length) - 1n);
    append.ids.forEach((id, ord) => written.set(id, { stream: append.stream, append: index, ord }));
    const decision: AppendDecision = { kind: 'accepted', firstRevision, offset };
    offset += append.ids.length;
    return decision;
  });
}

function expectationHolds(expected: string, revision: bigint | null): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return revision === null;
    case 'stream_exists':
      return revision !== null;
    default:
      return revision !== null && /^[0-9]+$/.test(expected) && revision === BigInt(expected);
  }
}

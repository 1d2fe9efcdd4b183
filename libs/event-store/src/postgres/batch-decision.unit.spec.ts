import { describe, expect, it } from '@jest/globals';
import { decideBatch, type StoredEvent } from './batch-decision';

const stored = (stream: string, revision: bigint, position: bigint): StoredEvent => ({ stream, revision, position });

describe('decideBatch', () => {
  it('given a new stream, when appending with no_stream, then accepts it from revision 0', () => {
    expect(decideBatch([{ stream: 's-1', expected: 'no_stream', ids: ['a', 'b'] }], new Map(), new Map())).toEqual([
      { kind: 'accepted', firstRevision: 0n, offset: 0 },
    ]);
  });

  it('given two appends to one stream in a batch, then the second sees the first', () => {
    const decisions = decideBatch(
      [
        { stream: 's-1', expected: '4', ids: ['a'] },
        { stream: 's-1', expected: '5', ids: ['b', 'c'] },
        { stream: 's-1', expected: '5', ids: ['d'] },
      ],
      new Map(),
      new Map([['s-1', 4n]]),
    );
    expect(decisions).toEqual([
      { kind: 'accepted', firstRevision: 5n, offset: 0 },
      { kind: 'accepted', firstRevision: 6n, offset: 1 },
      { kind: 'wrong_revision', actual: 7n },
    ]);
  });

  it.each([
    ['no_stream', 3n, 'wrong_revision'],
    ['stream_exists', null, 'wrong_revision'],
    ['2', 3n, 'wrong_revision'],
    ['2', null, 'wrong_revision'],
    ['3', 3n, 'accepted'],
    ['any', null, 'accepted'],
  ] as const)('given expectation %s and revision %s, then %s', (expected, revision, kind) => {
    const revisions = new Map(revision === null ? [] : [['s-1', revision]]);
    expect(decideBatch([{ stream: 's-1', expected, ids: ['a'] }], new Map(), revisions)[0]!.kind).toBe(kind);
  });

  it('given stored ids, when they are appended again, then reports a duplicate with where they are', () => {
    const decisions = decideBatch(
      [{ stream: 's-1', expected: 'no_stream', ids: ['a'] }],
      new Map([['a', stored('s-1', 0n, 9n)]]),
      new Map([['s-1', 0n]]),
    );
    expect(decisions).toEqual([{ kind: 'duplicate', events: [{ stored: stored('s-1', 0n, 9n) }] }]);
  });

  it('given twenty appends of one id in a batch, then accepts the first and reports the rest as its duplicates', () => {
    const decisions = decideBatch(
      Array.from({ length: 20 }, () => ({ stream: 's-1', expected: 'any', ids: ['a'] })),
      new Map(),
      new Map(),
    );
    expect(decisions[0]).toEqual({ kind: 'accepted', firstRevision: 0n, offset: 0 });
    for (const decision of decisions.slice(1)) {
      expect(decision).toEqual({ kind: 'duplicate', events: [{ inBatch: 0, ord: 0 }] });
    }
  });

  it('given an id stored in another stream or only part of an append stored, then reports a conflict', () => {
    const decisions = decideBatch(
      [
        { stream: 's-2', expected: 'any', ids: ['a'] },
        { stream: 's-1', expected: 'any', ids: ['a', 'new'] },
      ],
      new Map([['a', stored('s-1', 0n, 1n)]]),
      new Map([['s-1', 0n]]),
    );
    expect(decisions[0]).toEqual({
      kind: 'conflict',
      message: 'an event of this append is already stored in stream "s-1"',
    });
    expect(decisions[1]).toMatchObject({ kind: 'conflict', message: expect.stringContaining('1 of the 2 events') });
  });

  it('gives accepted appends consecutive offsets, skipping rejected ones', () => {
    const decisions = decideBatch(
      [
        { stream: 'a-1', expected: 'any', ids: ['1', '2'] },
        { stream: 'b-1', expected: 'stream_exists', ids: ['3'] },
        { stream: 'c-1', expected: 'any', ids: ['4'] },
      ],
      new Map(),
      new Map(),
    );
    expect(decisions.map((d) => (d.kind === 'accepted' ? d.offset : d.kind))).toEqual([0, 'wrong_revision', 2]);
  });
});

import type { DigestedEvent, MoneyDigests } from './money-digests';

/**
 * Keeps a run's digests while it reads on: in chunks, one chunk written at a time and in order (so
 * the kept range never has a gap), each while the run reads and folds the next events.
 */
export class DigestWriter {
  private chunk: DigestedEvent[] = [];
  private chunkFrom: bigint;
  private chunkTo: bigint;
  private writing: Promise<boolean> = Promise.resolve(true);
  private stopped = false;

  constructor(
    private readonly digests: MoneyDigests,
    from: bigint,
    private readonly chunkSize = 10_000,
  ) {
    this.chunkFrom = from;
    this.chunkTo = from;
  }

  /** The money events read after the last call, up to store position `to`. */
  async add(to: bigint, events: DigestedEvent[]): Promise<void> {
    if (this.stopped) return;
    for (const event of events) this.chunk.push(event);
    this.chunkTo = to;
    if (this.chunk.length >= this.chunkSize) await this.flush();
  }

  /** Writes what is left and waits until all is written. */
  async finish(): Promise<void> {
    if (!this.stopped && this.chunkTo > this.chunkFrom) await this.flush();
    await this.writing;
  }

  /** Waits for the previous chunk only, then starts writing this one. */
  private async flush(): Promise<void> {
    if (!(await this.writing)) {
      // Another run forgot the digests meanwhile: keep none rather than leave a gap.
      this.stopped = true;
      return;
    }
    const [from, to, events] = [this.chunkFrom, this.chunkTo, this.chunk];
    this.chunk = [];
    this.chunkFrom = to;
    this.writing = this.digests.keep(from, to, events);
    this.writing.catch(() => undefined); // seen by the next flush or finish; a stopped run never asks
  }
}

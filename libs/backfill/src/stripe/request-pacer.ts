import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Spaces Stripe requests to at most `maxPerSecond`, and slows down when Stripe says it is too fast:
 * each 429 halves the pace (down to one request every two seconds), each success wins back 5 %.
 * Spacing instead of bursting keeps a long backfill from tripping Stripe's per-second limiter at
 * the start of every second, which would cost the live application using the same key.
 */
export class RequestPacer {
  private perSecond: number;
  private nextAt = 0;

  constructor(private readonly maxPerSecond: number) {
    if (!(maxPerSecond > 0)) throw new RangeError(`maxPerSecond must be positive, got ${maxPerSecond}`);
    this.perSecond = maxPerSecond;
  }

  /** The pace now, in requests per second. */
  get pace(): number {
    return this.perSecond;
  }

  /** Waits for this request's turn. */
  async take(signal?: AbortSignal): Promise<void> {
    const now = Date.now();
    const at = Math.max(now, this.nextAt);
    this.nextAt = at + 1000 / this.perSecond;
    if (at > now) await sleep(at - now, undefined, { signal });
  }

  /** Stripe answered 429: halve the pace, and let nothing through for `pauseMs`. */
  rateLimited(pauseMs: number): void {
    this.perSecond = Math.max(0.5, this.perSecond / 2);
    this.nextAt = Math.max(this.nextAt, Date.now() + pauseMs);
  }

  succeeded(): void {
    this.perSecond = Math.min(this.maxPerSecond, this.perSecond * 1.05);
  }
}

/**
 * A one-line progress bar with counts, rate and ETA, redrawn in place on a terminal and printed
 * every few seconds otherwise (logs, CI).
 */
export class Progress {
  private readonly started = Date.now();
  private lastPrinted = 0;
  /** Where this run started: a resumed run (or a rebuild joined midway) must not count earlier work as speed. */
  private firstDone: number | null = null;

  constructor(
    private readonly label: string,
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {}

  /**
   * `detail` is shown after the counts (e.g. how many events were applied). A null total (not known
   * yet) shows the count and rate without a bar or an ETA.
   */
  update(done: number, total: number | null, detail?: string): void {
    const now = Date.now();
    this.firstDone ??= done;
    const interactive = this.out.isTTY === true;
    if (!interactive && now - this.lastPrinted < 5_000 && (total === null || done < total)) return;
    this.lastPrinted = now;
    const elapsed = (now - this.started) / 1000;
    const rate = elapsed > 0 ? (done - this.firstDone) / elapsed : 0;
    const extra = detail ? ` (${detail})` : '';
    const speed = `${Math.round(rate).toLocaleString('en')}/s`;
    if (total === null) {
      const line = `${this.label} ${done.toLocaleString('en')}${extra} ${speed} ETA unknown yet`;
      this.out.write(interactive ? `\r${line}\u001b[K` : `${line}\n`);
      return;
    }
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    const bar = '#'.repeat(Math.round(fraction * 30)).padEnd(30, '.');
    const eta = done >= total ? 'done' : rate > 0 ? `${formatDuration((total - done) / rate)} left` : 'starting';
    const line = `${this.label} [${bar}] ${done.toLocaleString('en')}/${total.toLocaleString('en')}${extra} ${speed} ${eta}`;
    this.out.write(interactive ? `\r${line}\u001b[K` : `${line}\n`);
  }

  finish(message: string): void {
    this.out.write(`${this.out.isTTY ? '\n' : ''}${this.label} ${message}\n`);
  }
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.ceil(seconds)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.ceil(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.ceil((seconds % 3600) / 60)} min`;
}

/** A rebuild's speed and time left, from the positions seen (no imports: unit-tested under Node). */

export interface Sample {
  at: number;
  position: number;
}

export interface RebuildEstimate {
  /** Events per second over the last samples: null until measured, 0 when it has not moved for 10 s. */
  rate: number | null;
  /** Seconds left at that rate; null without a rate. */
  secondsLeft: number | null;
}

/** Long enough to smooth the jumps of batched checkpoints, short enough to follow a change of pace. */
export const WINDOW_MS = 20_000;

/** The rate between the oldest and newest sample of the window, and the time left at that rate. */
export function estimate(samples: Sample[], headPosition: number): RebuildEstimate {
  const first = samples[0];
  const last = samples[samples.length - 1];
  const span = first && last ? last.at - first.at : 0;
  if (!first || !last || span < 1_000) return { rate: null, secondsLeft: null };
  const rate = ((last.position - first.position) * 1000) / span;
  if (rate <= 0) return { rate: span >= 10_000 ? 0 : null, secondsLeft: null };
  return { rate, secondsLeft: Math.max(0, headPosition - last.position) / rate };
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.ceil(seconds))} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${Math.ceil(seconds % 60)} s`;
  return `${Math.floor(seconds / 3600)} h ${Math.ceil((seconds % 3600) / 60)} min`;
}

export function formatCount(value: number): string {
  return value.toLocaleString('en');
}

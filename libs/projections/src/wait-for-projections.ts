import type { ProjectionStore } from './projection-store';

export interface WaitOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  pollMs?: number;
}

/**
 * Waits until every named projection's checkpoint has reached `position`, so that what its read
 * model says includes every event up to there. Answers the ones still behind at the deadline
 * (`payments at 41`, `product_links at never run`); empty when all caught up.
 */
export async function waitForProjections(
  projections: ProjectionStore,
  names: readonly string[],
  position: bigint,
  options: WaitOptions,
): Promise<string[]> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const lagging: string[] = [];
    for (const name of names) {
      const state = await projections.state(name);
      if (!state || BigInt(state.position) < position) lagging.push(`${name} at ${state?.position ?? 'never run'}`);
    }
    if (!lagging.length || Date.now() >= deadline) return lagging;
    options.signal?.throwIfAborted();
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 200));
  }
}

import { useEffect, useRef, useState } from 'react';
import type { RebuildRequest } from './operations-api';
import { estimate, type RebuildEstimate, type Sample, WINDOW_MS } from './rebuild-speed';

/**
 * The API gives a rebuild's position and the head; its speed comes from how the position moves
 * between refreshes, so it is measured here, per rebuild, over the last WINDOW_MS.
 */
export function useRebuildEstimates(
  rebuilds: RebuildRequest[] | undefined,
  at: number | undefined,
): Map<number, RebuildEstimate> {
  const samples = useRef(new Map<number, Sample[]>());
  const [estimates, setEstimates] = useState(() => new Map<number, RebuildEstimate>());
  useEffect(() => {
    if (!rebuilds || at === undefined) return;
    const next = new Map<number, RebuildEstimate>();
    const kept = new Map<number, Sample[]>();
    for (const rebuild of rebuilds) {
      if (!rebuild.progress) continue;
      const seen = [...(samples.current.get(rebuild.id) ?? []), { at, position: rebuild.progress.position }].filter(
        (sample) => at - sample.at <= WINDOW_MS,
      );
      kept.set(rebuild.id, seen);
      next.set(rebuild.id, estimate(seen, rebuild.progress.headPosition));
    }
    samples.current = kept; // rebuilds that are over are forgotten
    setEstimates(next);
  }, [rebuilds, at]);
  return estimates;
}

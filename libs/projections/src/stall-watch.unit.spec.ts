import { describe, expect, it } from '@jest/globals';
import { eventually } from '@ledgerline/testing';
import type { ProjectionStatus } from './projection-status';
import { StallWatch } from './stall-watch';

const running = (name: string, position: number): ProjectionStatus => ({
  name,
  version: 1,
  position,
  headPosition: 500,
  lag: 500 - position,
  lagSeconds: 0,
  status: 'running',
  lastError: null,
  lastErrorAt: null,
  parked: 0,
  stalled: false,
  stalledSeconds: 0,
});
const stalled = (name: string, position: number, stalledSeconds: number): ProjectionStatus => ({
  ...running(name, position),
  lagSeconds: stalledSeconds + 5,
  stalled: true,
  stalledSeconds,
});

/** A watch over statuses the test sets, and the lines it logged. */
function watching(watches?: (name: string) => boolean) {
  let current: ProjectionStatus[] = [];
  let checks = 0;
  const lines: string[] = [];
  const watch = new StallWatch({
    statuses: async () => {
      checks += 1;
      return current;
    },
    log: (line) => lines.push(line),
    watches,
  });
  return {
    watch,
    lines,
    checks: () => checks,
    set: (...statuses: ProjectionStatus[]) => (current = statuses),
  };
}

describe('StallWatch', () => {
  it('logs one line when a projection stalls and one when it moves again, none while nothing changes', async () => {
    const { watch, lines, set } = watching();
    set(running('customers', 480), running('payments', 500));
    await watch.check();
    expect(lines).toEqual([]);

    set(stalled('customers', 480, 31.6), running('payments', 500));
    await watch.check();
    set(stalled('customers', 480, 45), running('payments', 500));
    await watch.check();
    await watch.check();
    expect(lines).toEqual(['projection customers stalled at position 480: lag 20 events, no progress for 32 s']);

    set(running('customers', 495), running('payments', 500));
    await watch.check();
    await watch.check();
    expect(lines.slice(1)).toEqual(['projection customers moving again at position 495: lag 5 events']);

    // A second stall is news again.
    set(stalled('customers', 495, 40), running('payments', 500));
    await watch.check();
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('projection customers stalled at position 495: lag 5 events, no progress for 40 s');
  });

  it('watches only the projections it is given', async () => {
    const { watch, lines, set } = watching((name) => name === 'payments');
    set(stalled('customers', 100, 60), stalled('payments', 200, 60));
    await watch.check();
    expect(lines).toEqual(['projection payments stalled at position 200: lag 300 events, no progress for 60 s']);
  });

  it('forgets, without a line, a stalled projection that is no longer listed, and logs it if it stalls again', async () => {
    const { watch, lines, set } = watching();
    set(stalled('customers:rebuild', 10, 60));
    await watch.check();
    set();
    await watch.check();
    expect(lines).toHaveLength(1);
    set(stalled('customers:rebuild', 10, 90));
    await watch.check();
    expect(lines).toHaveLength(2);
  });

  it('checks every interval once started, and no more once stopped', async () => {
    const { watch, lines, checks, set } = watching();
    set(stalled('customers', 480, 31));
    watch.start(5);
    await eventually(async () => checks() >= 3, 2_000, 'three checks');
    expect(lines).toHaveLength(1);
    await watch.stop();
    const stoppedAt = checks();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(checks()).toBe(stoppedAt);
  });

  it('never runs two checks at once, however slow a check is', async () => {
    let inFlight = 0;
    let mostInFlight = 0;
    let checks = 0;
    const watch = new StallWatch({
      statuses: async () => {
        checks += 1;
        mostInFlight = Math.max(mostInFlight, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 20));
        inFlight -= 1;
        return [];
      },
      log: () => undefined,
    });
    watch.start(1);
    await eventually(async () => checks >= 3, 2_000, 'three checks');
    await watch.stop();
    expect(inFlight).toBe(0);
    expect(mostInFlight).toBe(1);
  });

  it('logs a failing check once until a check succeeds again', async () => {
    const outcomes = ['fails', 'fails', 'fails', 'answers', 'fails', 'fails'];
    const lines: string[] = [];
    const watch = new StallWatch({
      statuses: async () => {
        if (outcomes.shift() === 'fails') throw new Error('connection terminated');
        return [];
      },
      log: (line) => lines.push(line),
    });
    watch.start(5);
    await eventually(async () => outcomes.length === 0, 2_000, 'every outcome');
    await watch.stop();
    expect(lines).toEqual([
      'projection stall check failed: connection terminated',
      'projection stall check failed: connection terminated',
    ]);
  });
});

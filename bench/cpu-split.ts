import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds used so far by a process (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0; // exited
  }
}

/** Every postgres process on the machine (the bench's own server: nothing else runs PostgreSQL). */
function postgresPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
      } catch {
        return false;
      }
    });
}

export interface CpuSplit {
  stop(): string;
}

/** What the split calls the process under test and the bench process. */
export interface CpuSplitNames {
  server: string;
  bench: string;
}

/**
 * Where the two cores went during a phase: the server under test, PostgreSQL (all its processes,
 * backends that ended during the phase not counted), and the bench process (the load generator).
 * When the process under test is the bench process itself, it is listed once.
 */
export function measureCpu(
  serverPid: number,
  names: CpuSplitNames = { server: 'server', bench: 'load generator' },
): CpuSplit {
  const started = performance.now();
  const server = cpuSeconds(serverPid);
  const pg = new Map(postgresPids().map((pid) => [pid, cpuSeconds(pid)]));
  const bench = process.cpuUsage();
  return {
    stop: () => {
      const wall = (performance.now() - started) / 1000;
      const pgNow = postgresPids().reduce((sum, pid) => sum + cpuSeconds(pid) - (pg.get(pid) ?? 0), 0);
      const benchUsage = process.cpuUsage(bench);
      const share = (seconds: number): string => `${((seconds / wall) * 100).toFixed(0)}%`;
      const benchShare =
        serverPid === process.pid ? '' : `, ${names.bench} ${share((benchUsage.user + benchUsage.system) / 1e6)}`;
      return `cpu over ${wall.toFixed(1)} s (200% = both cores): ${names.server} ${share(cpuSeconds(serverPid) - server)}, postgres ${share(pgNow)}${benchShare}`;
    },
  };
}

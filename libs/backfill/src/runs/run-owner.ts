import { hostname } from 'node:os';

/** Who runs a backfill: `host:pid`, so a run left behind by a killed process on this host is known dead at once. */
export function thisProcess(): string {
  return `${hostname()}:${process.pid}`;
}

/**
 * True when `owner` is a process on this host that no longer exists. A run's heartbeat only goes
 * stale after a minute; a CLI killed with SIGKILL and started again should not wait that long.
 * Processes on other hosts cannot be checked: for them the heartbeat decides.
 */
export function isDeadLocalProcess(owner: string | null): boolean {
  if (!owner) return false;
  const at = owner.lastIndexOf(':');
  const host = owner.slice(0, at);
  const pid = Number(owner.slice(at + 1));
  if (host !== hostname() || !Number.isInteger(pid) || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

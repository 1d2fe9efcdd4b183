import { mkdirSync, rmSync } from 'node:fs';

/** Longer than any build under the lock takes: a lock held longer was left by a process that died. */
const LOCK_WAIT_MS = 120_000;

/**
 * Runs `fn` while holding `lock`, a directory: mkdir either creates it or fails, in one step, so
 * it is a lock between processes (Jest workers) with nothing to install. A lock still held after
 * LOCK_WAIT_MS is broken.
 */
export function withDirectoryLock<T>(lock: string, fn: () => T): T {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) rmSync(lock, { recursive: true, force: true });
      // Sleeps synchronously: the callers are synchronous, and their worker has nothing else to do meanwhile.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

import { mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Position } from './types';

/**
 * Where a subscription keeps its position. `save` is called after each handled event (and on
 * heartbeats that move past filtered-out events), and only after the handler resolved; `load`
 * once at start. A loaded position wins over the subscription's `from`.
 */
export interface CheckpointStore {
  load(): Promise<Position | null>;
  save(position: Position): Promise<void>;
}

/** A checkpoint in memory: for tests, or a consumer that wants to start over on every restart. */
export function memoryCheckpoint(
  initial: Position | null = null,
): CheckpointStore & { readonly position: Position | null } {
  let position = initial;
  return {
    get position() {
      return position;
    },
    load: async () => position,
    save: async (next) => {
      position = next;
    },
  };
}

export interface FileCheckpointOptions {
  /**
   * fsync the file before it replaces the old one: the position then also survives a power loss,
   * at the cost of a disk flush per event. Without it a crashed process still never leaves a
   * half-written file (the rename is atomic). Default false.
   */
  fsync?: boolean;
}

/**
 * A checkpoint in a file holding the position as text. Each save writes a temporary file next to
 * it and renames it over the old one, so the file always holds a whole position: the old one or the
 * new one, whenever the process dies.
 */
export function fileCheckpoint(path: string, options: FileCheckpointOptions = {}): CheckpointStore {
  const temporary = `${path}.${process.pid}.tmp`;
  let directoryMade = false;
  return {
    async load() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw error;
      }
      const position = text.trim();
      if (!/^\d{1,19}$/.test(position)) throw new Error(`checkpoint file ${path} does not hold a position: "${text}"`);
      return position;
    },
    async save(position) {
      if (!directoryMade) {
        await mkdir(dirname(path), { recursive: true });
        directoryMade = true;
      }
      if (options.fsync) {
        const file = await open(temporary, 'w');
        try {
          await file.writeFile(`${position}\n`);
          await file.sync();
        } finally {
          await file.close();
        }
      } else {
        await writeFile(temporary, `${position}\n`);
      }
      await rename(temporary, path);
    },
  };
}

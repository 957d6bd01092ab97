import Piscina from 'piscina';
import { compiledWorkerFile } from './worker-file';

/** Added to the threads' nice value: the scheduler runs them after the request thread. */
const NICE_INCREMENT = 10;

export interface BackgroundPool {
  /** The pool, started on first use. */
  get(): Piscina;
  /** Ends its threads; call once no task is awaited. */
  close(): Promise<void>;
}

/**
 * Worker threads for background work (sending emails, expanding calendar feeds) at a lower CPU
 * priority than the request thread (nice, through piscina's optional @napi-rs/nice), so requests
 * come first and the work takes the CPU they leave over. `file` is the compiled worker of the
 * module in directory `here` (worker-file.ts); threads start with the first task and stop after
 * `idleTimeout` without one.
 */
export function backgroundPool(here: string, file: string, options: { maxThreads: number; concurrentTasksPerWorker?: number; idleTimeout: number }): BackgroundPool {
  let pool: Piscina | null = null;
  return {
    get: () => (pool ??= new Piscina({ filename: compiledWorkerFile(here, file), minThreads: 0, niceIncrement: NICE_INCREMENT, ...options })),
    close: async () => pool?.destroy(),
  };
}

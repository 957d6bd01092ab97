/** Writes that a transient failure rolled back, run again. */
import { DeadlockException, LockWaitTimeoutException } from '@mikro-orm/core';

const LOCK_RETRIES = 5;

/**
 * Runs `write` again when it rolled back for a transient reason: a SQLite lock that still timed
 * out under heavy multi-process load, a PostgreSQL deadlock or serialization failure. A unique
 * violation is not transient: it means the time is taken.
 */
export async function retryTransient<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      const transient = err instanceof LockWaitTimeoutException || err instanceof DeadlockException;
      if (!transient || attempt >= LOCK_RETRIES) throw err;
    }
  }
}


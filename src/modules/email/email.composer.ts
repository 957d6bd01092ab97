/**
 * Where emails are rendered and composed (issue 22: bookSlot with emails on ≥ 0.9× with them off).
 * Rendering React to HTML, writing the invitation and composing MIME cost about 5 ms of CPU per
 * email; on the request thread that time was taken from bookSlot under load. It runs in a worker
 * thread (Piscina) at a lower CPU priority (nice), so requests come first and emails take the
 * time left over; the request thread only hands the finished message to the SMTP connection.
 */
import { resolve } from 'node:path';
import Piscina from 'piscina';
import { compiledWorkerFile } from '../../shared/worker-file';
import { composeEmail, type Envelope } from './render/compose';
import type { EmailFacts } from './render';

export interface EmailComposer {
  compose(facts: EmailFacts, envelope: Envelope, signal: AbortSignal): Promise<Buffer>;
  close(): Promise<void>;
}

/** Added to the composer threads' nice value: the scheduler runs them after the request thread. */
const NICE_INCREMENT = 10;

/** `threads` worker threads (started on the first email, stopped when idle); 0 composes on the calling thread. */
export function emailComposer(threads: number): EmailComposer {
  if (threads === 0) return { compose: (facts, envelope) => composeEmail(facts, envelope), close: async () => {} };
  let pool: Piscina | null = null;
  return {
    async compose(facts, envelope, signal) {
      pool ??= new Piscina({
        filename: compiledWorkerFile(resolve(__dirname, 'render'), 'compose.worker.js'),
        minThreads: 0,
        maxThreads: threads,
        idleTimeout: 60_000,
        niceIncrement: NICE_INCREMENT,
      });
      const raw: Uint8Array = await pool.run({ facts, envelope }, { signal });
      return Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    },
    close: async () => pool?.destroy(),
  };
}

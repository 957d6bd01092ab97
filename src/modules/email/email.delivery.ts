/**
 * Where emails are rendered, composed and sent (issue 22: bookSlot with emails on ≥ 0.9× with them
 * off). Rendering React, writing the invitation, composing MIME and speaking SMTP cost the CPU of
 * an email; on the request thread that time was taken from bookSlot under load. All of it runs in
 * a worker thread (Piscina) at a lower CPU priority (nice), so requests come first and emails take
 * the time left over; the request thread only claims and records the outbox rows, as it does with
 * no SMTP_URL at all.
 */
import Piscina from 'piscina';
import { compiledWorkerFile } from '../../shared/worker-file';
import { closeTransports, deliverEmail, type Delivery, type DeliveryResult } from './smtp-delivery';

export interface EmailCourier {
  deliver(delivery: Delivery): Promise<DeliveryResult>;
  /** Ends the threads and their SMTP connections; call once no delivery is awaited. */
  close(): Promise<void>;
}

/** Added to the email threads' nice value: the scheduler runs them after the request thread. */
const NICE_INCREMENT = 10;

/**
 * `threads` worker threads (started on the first email, stopped after a minute idle), each with
 * up to `concurrency` emails in flight over its own SMTP connections; 0 sends from the calling thread.
 */
export function emailCourier(threads: number, concurrency: number): EmailCourier {
  if (threads === 0) return { deliver: deliverEmail, close: async () => closeTransports() };
  let pool: Piscina | null = null;
  return {
    // No abort signal per task: Piscina runs an abortable task alone on its thread. Shutdown
    // stops waiting for them (email.sender.ts) and then ends the threads here.
    deliver: (delivery) =>
      (pool ??= new Piscina({
        filename: compiledWorkerFile(__dirname, 'delivery.worker.js'),
        minThreads: 0,
        maxThreads: threads,
        concurrentTasksPerWorker: Math.ceil(concurrency / threads),
        idleTimeout: 60_000,
        niceIncrement: NICE_INCREMENT,
      })).run(delivery),
    close: async () => pool?.destroy(),
  };
}

/**
 * Where emails are rendered, composed and sent (issue 22: bookSlot with emails on ≥ 0.9× with them
 * off). Rendering React, writing the invitation, composing MIME and speaking SMTP cost the CPU of
 * an email; on the request thread that time was taken from bookSlot under load. All of it runs in
 * a worker thread (Piscina) at a lower CPU priority (nice), so requests come first and emails take
 * the time left over; the request thread only claims and records the outbox rows, as it does with
 * no SMTP_URL at all.
 */
import { backgroundPool } from '../../shared/background-pool';
import { closeTransports, deliverEmail, type Delivery, type DeliveryResult } from './smtp-delivery';

export interface EmailCourier {
  deliver(delivery: Delivery): Promise<DeliveryResult>;
  /** Ends the threads and their SMTP connections; call once no delivery is awaited. */
  close(): Promise<void>;
}

/** Emails in flight per thread, and so the SMTP connections each thread keeps: together at most one per email in flight. */
export function emailsPerThread(concurrency: number, threads: number): number {
  return Math.ceil(concurrency / Math.max(1, threads));
}

/**
 * `threads` worker threads (started on the first email, or at once when `warm`; stopped after a
 * minute idle) with up to
 * `concurrency` emails in flight between them, each thread over SMTP connections of its own; 0
 * sends from the calling thread.
 */
export function emailCourier(threads: number, concurrency: number, { warm }: { warm: boolean }): EmailCourier {
  if (threads === 0) return { deliver: deliverEmail, close: async () => closeTransports() };
  const pool = backgroundPool(__dirname, 'delivery.worker.js', { maxThreads: threads, concurrentTasksPerWorker: emailsPerThread(concurrency, threads), idleTimeout: 60_000 });
  // With SMTP_URL, a thread starts with the process and loads what sending needs (about half a
  // second of CPU) then, not in the middle of the first bookings. It may stop after a minute idle.
  if (warm) void pool.get().run(null, { name: 'warm' }).catch(() => {});
  return {
    // No abort signal per task: Piscina runs an abortable task alone on its thread. Shutdown
    // stops waiting for them (email.sender.ts) and then ends the threads here.
    deliver: (delivery) => pool.get().run(delivery),
    close: () => pool.close(),
  };
}

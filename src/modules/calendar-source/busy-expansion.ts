/*
 * Expanding a source's data without holding up requests (docs/api.md Part 3, 30: "No read waits
 * on a remote calendar"). expandBusy is synchronous CPU work: a 100,000-event feed (12.7 MB)
 * takes about 3 s on this machine, during which the process would answer nothing. Data past
 * INLINE_LIMIT_CHARS is expanded in a worker thread instead; only a handful of events inline,
 * where a worker's start (loading ical.js again, tens of ms) would cost more than the work.
 */
import { Worker } from 'node:worker_threads';
import { compiledWorkerFile } from '../../shared/worker-file';
import type { Interval } from '../../scheduling';
import { expandBusy, type ExpandOptions } from './ics-expand';
import { CalendarSourceError, type CalendarSourceFailure } from './calendar-source.errors';

/**
 * Up to this many characters (a handful of events) expansion runs inline. What it costs follows
 * the occurrences, not the bytes: a 63 KB feed of 300 events with weekly series (bench/busy-feed.mjs)
 * took 100-300 ms inline, a 2.5 KB one of 10 events 9-23 ms (node on dist, the shared bench
 * machine); with 10 such sources syncing, freeSlots' throughput fell to 0.68× and its p99 rose
 * 1.24× (bench/busy-sources.mjs) while the limit was 256 KB.
 */
export const INLINE_LIMIT_CHARS = 4 * 1024;

/** An expansion not over within this fails (TIMEOUT) and its worker is stopped. */
export const EXPANSION_TIMEOUT_MS = 60_000;

const sizeOf = (data: string | readonly string[]): number => (typeof data === 'string' ? data.length : data.reduce((sum, text) => sum + text.length, 0));

export interface OffThreadOptions {
  /** Aborted (shutdown): the worker is stopped and this rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Overrides INLINE_LIMIT_CHARS (tests force the worker with 0). */
  inlineLimitChars?: number;
  timeoutMs?: number;
}

/** expandBusy's intervals, computed inline for small data and in a worker thread for large. */
export async function expandBusyOffThread(data: string | readonly string[], options: Omit<ExpandOptions, 'ignoreUid'>, offThread: OffThreadOptions = {}): Promise<Interval[]> {
  if (sizeOf(data) <= (offThread.inlineLimitChars ?? INLINE_LIMIT_CHARS)) return expandBusy(data, options).intervals;
  const worker = new Worker(compiledWorkerFile(__dirname, 'busy-expansion.worker.js'), { workerData: { data, options } });
  try {
    return await new Promise<Interval[]>((done, fail) => {
      const timer = setTimeout(() => fail(new CalendarSourceError('TIMEOUT', 'expanding the calendar took too long')), offThread.timeoutMs ?? EXPANSION_TIMEOUT_MS);
      const stop = () => fail(offThread.signal?.reason ?? new Error('aborted'));
      offThread.signal?.addEventListener('abort', stop, { once: true });
      const settle = () => {
        clearTimeout(timer);
        offThread.signal?.removeEventListener('abort', stop);
      };
      worker.once('message', (answer: { flat: Float64Array } | { failure: CalendarSourceFailure; message: string }) => {
        settle();
        if ('failure' in answer) return fail(new CalendarSourceError(answer.failure, answer.message));
        const intervals: Interval[] = [];
        for (let i = 0; i < answer.flat.length; i += 2) intervals.push({ start: answer.flat[i]!, end: answer.flat[i + 1]! });
        done(intervals);
      });
      worker.once('error', () => {
        settle();
        // Out of memory, mostly: a worker's own heap is bounded.
        fail(new CalendarSourceError('TOO_LARGE', 'the calendar is too large to expand'));
      });
      worker.once('exit', () => {
        settle();
        fail(new CalendarSourceError('MALFORMED', 'the calendar data could not be read'));
      });
    });
  } finally {
    await worker.terminate();
  }
}

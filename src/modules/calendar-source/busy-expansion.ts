/*
 * Expanding a source's data without holding up requests (docs/api.md Part 3, 30: "No read waits
 * on a remote calendar"). expandBusy is synchronous CPU work: a 100,000-event feed (12.7 MB)
 * takes about 3 s on this machine, during which the process would answer nothing. Data past
 * INLINE_LIMIT_CHARS is expanded in a worker thread instead, one of a small pool kept between
 * syncs (Piscina), so a sync does not pay a thread's start (loading ical.js again, about 100 ms),
 * and run at a lower CPU priority (nice), so syncs take the CPU requests leave over; only a
 * handful of events inline, where handing the data over would cost more than the work.
 */
import { backgroundPool } from '../../shared/background-pool';
import type { Interval } from '../../scheduling';
import { expandBusy, type ExpandOptions } from './ics-expand';
import { CalendarSourceError } from './calendar-source.errors';
import type { ExpansionAnswer, ExpansionTask } from './busy-expansion.worker';

/**
 * Up to this many characters (a handful of events) expansion runs inline. What it costs follows
 * the occurrences, not the bytes: a 63 KB feed of 300 events with weekly series (bench/busy-feed.mjs)
 * took 100-300 ms inline, a 2.5 KB one of 10 events 9-23 ms (node on dist, the shared bench
 * machine); with 10 such sources syncing, freeSlots' throughput fell to 0.68× and its p99 rose
 * 1.24× (bench/busy-sources.mjs) while the limit was 256 KB.
 */
export const INLINE_LIMIT_CHARS = 4 * 1024;

/** An expansion not over within this (waiting for a thread included) fails (TIMEOUT), and its thread is stopped. */
export const EXPANSION_TIMEOUT_MS = 60_000;

/** Threads expanding at once: two cores here, and requests come first. */
const EXPANSION_THREADS = 2;

const sizeOf = (data: string | readonly string[]): number => (typeof data === 'string' ? data.length : data.reduce((sum, text) => sum + text.length, 0));

export interface OffThreadOptions {
  /** Aborted (shutdown): the expansion's thread is stopped and this rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Overrides INLINE_LIMIT_CHARS (tests force the worker with 0). */
  inlineLimitChars?: number;
  timeoutMs?: number;
}

export interface BusyExpander {
  /** expandBusy's intervals, computed inline for small data and in a worker thread for large. */
  expand(data: string | readonly string[], options: Omit<ExpandOptions, 'ignoreUid'>, offThread?: OffThreadOptions): Promise<Interval[]>;
  /** Ends the threads; call once no expansion is awaited. */
  close(): Promise<void>;
}

/** The calendar-sync kind's expander: its threads start with the first large expansion and stop after 30 s idle. */
export function busyExpander(): BusyExpander {
  const pool = backgroundPool(__dirname, 'busy-expansion.worker.js', { maxThreads: EXPANSION_THREADS, idleTimeout: 30_000 });
  return {
    async expand(data, options, offThread = {}) {
      if (sizeOf(data) <= (offThread.inlineLimitChars ?? INLINE_LIMIT_CHARS)) return expandBusy(data, options).intervals;
      const timeout = AbortSignal.timeout(offThread.timeoutMs ?? EXPANSION_TIMEOUT_MS);
      let answer: ExpansionAnswer;
      try {
        const task: ExpansionTask = { data, options };
        answer = await pool.get().run(task, { signal: offThread.signal ? AbortSignal.any([offThread.signal, timeout]) : timeout });
      } catch {
        if (offThread.signal?.aborted) throw offThread.signal.reason ?? new Error('aborted');
        if (timeout.aborted) throw new CalendarSourceError('TIMEOUT', 'expanding the calendar took too long');
        // The thread died: out of memory, mostly (a worker's own heap is bounded).
        throw new CalendarSourceError('TOO_LARGE', 'the calendar is too large to expand');
      }
      if ('failure' in answer) throw new CalendarSourceError(answer.failure, answer.message);
      const intervals: Interval[] = [];
      for (let i = 0; i < answer.length; i += 2) intervals.push({ start: answer[i]!, end: answer[i + 1]! });
      return intervals;
    },
    close: () => pool.close(),
  };
}

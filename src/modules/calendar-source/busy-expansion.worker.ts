/*
 * The worker thread of busy-expansion.ts: expands one source's data (ics-expand.ts) off the
 * event loop that serves requests, and answers the intervals as one transferred Float64Array
 * (start, end, start, end, …) or the CalendarSourceError's failure and message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { expandBusy, type ExpandOptions } from './ics-expand';
import { CalendarSourceError } from './calendar-source.errors';

const { data, options } = workerData as { data: string | string[]; options: Omit<ExpandOptions, 'ignoreUid'> };
try {
  const { intervals } = expandBusy(data, options);
  const flat = new Float64Array(intervals.length * 2);
  intervals.forEach((interval, i) => {
    flat[2 * i] = interval.start;
    flat[2 * i + 1] = interval.end;
  });
  parentPort!.postMessage({ flat }, [flat.buffer]);
} catch (err) {
  parentPort!.postMessage(
    err instanceof CalendarSourceError ? { failure: err.failure, message: err.message } : { failure: 'MALFORMED', message: 'the calendar data could not be read' },
  );
}

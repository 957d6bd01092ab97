/*
 * The worker thread of busy-expansion.ts: expands one source's data per task (ics-expand.ts) off
 * the event loop that serves requests, and answers the intervals as one Float64Array (start, end,
 * start, end, …) moved rather than copied, or the CalendarSourceError's failure and message.
 */
import { move } from 'piscina';
import { expandBusy, type ExpandOptions } from './ics-expand';
import { CalendarSourceError, type CalendarSourceFailure } from './calendar-source.errors';

export interface ExpansionTask {
  data: string | readonly string[];
  options: Omit<ExpandOptions, 'ignoreUid'>;
}

export type ExpansionAnswer = Float64Array | { failure: CalendarSourceFailure; message: string };

export default function expand({ data, options }: ExpansionTask): ExpansionAnswer {
  try {
    const { intervals } = expandBusy(data, options);
    const flat = new Float64Array(intervals.length * 2);
    intervals.forEach((interval, i) => {
      flat[2 * i] = interval.start;
      flat[2 * i + 1] = interval.end;
    });
    return move(flat) as Float64Array;
  } catch (err) {
    return err instanceof CalendarSourceError ? { failure: err.failure, message: err.message } : { failure: 'MALFORMED', message: 'the calendar data could not be read' };
  }
}

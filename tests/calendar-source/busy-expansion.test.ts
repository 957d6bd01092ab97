/*
 * Where a sync's expansion runs (busy-expansion.ts; docs/api.md Part 3, 30: no read waits on a
 * remote calendar): a feed of a few dozen events with weekly series costs tens to hundreds of ms
 * of ical.js, so it must leave the event loop free; an almost empty one stays inline.
 */
import { expandBusy } from '../../src/modules/calendar-source/ics-expand';
import { busyExpander } from '../../src/modules/calendar-source/busy-expansion';
import { CalendarSourceError } from '../../src/modules/calendar-source/calendar-source.errors';

const NOW = Date.parse('2030-01-07T12:00:00Z');
const options = { ownerTimeZone: 'Europe/Berlin', now: NOW };
const expander = busyExpander();
afterAll(() => expander.close());

/** `count` weekly meetings, begun last year, each with an EXDATE (about 250 characters apiece). */
function weeklySeries(count: number): string {
  const events = Array.from({ length: count }, (_, n) => {
    const day = String(1 + (n % 28)).padStart(2, '0');
    return [
      'BEGIN:VEVENT',
      `UID:weekly-${n}@tests`,
      'DTSTAMP:20290101T000000Z',
      `DTSTART;TZID=Europe/Berlin:202901${day}T${String(8 + (n % 9)).padStart(2, '0')}0000`,
      `DTEND;TZID=Europe/Berlin:202901${day}T${String(9 + (n % 9)).padStart(2, '0')}0000`,
      'RRULE:FREQ=WEEKLY',
      `EXDATE;TZID=Europe/Berlin:202902${day}T${String(8 + (n % 9)).padStart(2, '0')}0000`,
      'END:VEVENT',
    ];
  });
  return ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Slotbook tests//EN', ...events.flat(), 'END:VCALENDAR', ''].join('\r\n');
}

/** How many timer ticks ran while `work` was in progress: none when it held the event loop throughout. */
async function ticksDuring(work: () => Promise<unknown>): Promise<number> {
  let ticks = 0;
  const ticker = setInterval(() => (ticks += 1), 1);
  try {
    await work();
  } finally {
    clearInterval(ticker);
  }
  return ticks;
}

test('a feed of 100 weekly series (25 KB) is expanded off the event loop, to the same intervals', async () => {
  const feed = weeklySeries(100);
  expect(feed.length).toBeLessThan(32 * 1024);
  let intervals: Array<{ start: number; end: number }> = [];
  const ticks = await ticksDuring(async () => {
    intervals = await expander.expand(feed, options);
  });
  expect(ticks).toBeGreaterThan(0);
  expect(intervals).toEqual(expandBusy(feed, options).intervals);
  expect(intervals.length).toBeGreaterThan(100 * 50);
});

test('a feed of one event is expanded inline', async () => {
  const ticks = await ticksDuring(() => expander.expand(weeklySeries(1), options));
  expect(ticks).toBe(0);
});

test('two expansions at once each get their own answer', async () => {
  const feeds = [weeklySeries(40), weeklySeries(60)];
  const answers = await Promise.all(feeds.map((feed) => expander.expand(feed, options)));
  answers.forEach((intervals, i) => expect(intervals).toEqual(expandBusy(feeds[i]!, options).intervals));
});

test('an expansion over its time fails as TIMEOUT, an aborted one with the reason, a malformed feed as MALFORMED', async () => {
  const feed = weeklySeries(400);
  await expect(expander.expand(feed, options, { timeoutMs: 1 })).rejects.toMatchObject({ failure: 'TIMEOUT' });
  const shutdown = new AbortController();
  const aborted = expander.expand(feed, options, { signal: shutdown.signal });
  shutdown.abort(new Error('shutting down'));
  await expect(aborted).rejects.toThrow('shutting down');
  const malformed = expander.expand('BEGIN:VCALENDAR\r\n' + 'X'.repeat(8 * 1024), options);
  await expect(malformed).rejects.toBeInstanceOf(CalendarSourceError);
  await expect(malformed).rejects.toMatchObject({ failure: 'MALFORMED' });
  // The pool still answers after its threads were stopped.
  expect(await expander.expand(weeklySeries(30), options)).toEqual(expandBusy(weeklySeries(30), options).intervals);
});

import { DEFAULT_NOW, startTestApp, type TestApp } from './support/app';
import { CalendarStore } from '../src/modules/availability/calendar.store';
import {
  AddOneTimeWindowDocument,
  BookSlotDocument,
  CancelBookingDocument,
  CreateEventTypeDocument,
  EventTypeFreeSlotsDocument,
  EventTypeSlotsDocument,
  FreeSlotsDocument,
  RescheduleBookingDocument,
  UpdateEventTypeDocument,
  type EventTypeInput,
} from './generated/graphql';

// The read side of docs/api.md Part 2, semantics 9 and 10: which slots freeSlots lists for
// an event type, and what a booking's occupied span takes from every kind of slot. One example
// per rule, over the typed operations a client sends; the engine's own tables cover the
// combinations (tests/scheduling/policies.test.ts).

let t: TestApp;
beforeAll(async () => { t = await startTestApp({ over: 'http' }); });
afterAll(() => t.close());
afterEach(() => {
  t.clock.now = DEFAULT_NOW;
  jest.restoreAllMocks();
});

/** Tuesday 2030-01-08, the day after the test clock's Monday. */
const DAY = { from: '2030-01-08T00:00:00Z', to: '2030-01-09T00:00:00Z' };
const on8th = (hhmm: string) => `2030-01-08T${hhmm}:00.000Z`;
/** 'HH:MM' of UTC instants on one day, for short expectations. */
const times = (slots: Array<{ startsAt: string }>) => slots.map((s) => s.startsAt.slice(11, 16));
const invitee = { name: 'Ada', email: 'ada@example.com' };

/** An owner (UTC unless told) available in each [start, end) given. */
async function ownerWith(windows: Array<[string, string]>, owner: { timeZone?: string; slotMinutes?: number } = {}) {
  const o = await t.createOwner({ timeZone: 'UTC', ...owner });
  for (const [startsAt, endsAt] of windows) await t.ok(AddOneTimeWindowDocument, { input: { startsAt, endsAt } }, o.token);
  return o;
}

async function createEventType(token: string, input: Partial<EventTypeInput> = {}): Promise<string> {
  return (await t.ok(CreateEventTypeDocument, { input: { slug: 'e', title: 'Event', ...input } }, token)).createEventType.id;
}

async function slotsOf(ownerId: string, eventTypeId: string | null, range = DAY, duration?: number) {
  return (await t.ok(EventTypeFreeSlotsDocument, { ownerId, eventTypeId, duration, ...range })).freeSlots;
}

async function book(ownerId: string, startsAt: string, eventTypeId: string | null = null, duration?: number) {
  return (await t.ok(BookSlotDocument, { input: { ownerId, startsAt, invitee, eventTypeId, duration } })).bookSlot;
}

describe('Semantics 9: slots of an event type', () => {
  test('durations: the default duration unless one of the others is asked for; each slot lasts it', async () => {
    const o = await ownerWith([[on8th('09:00'), on8th('11:00')]]);
    const id = await createEventType(o.token, { durations: [60, 30], defaultDuration: 30 });
    const byDefault = await slotsOf(o.id, id);
    expect(byDefault.map((s) => [s.startsAt.slice(11, 16), s.endsAt.slice(11, 16)])).toEqual([['09:00', '09:30'], ['09:30', '10:00'], ['10:00', '10:30'], ['10:30', '11:00']]);
    expect(times(await slotsOf(o.id, id, DAY, 60))).toEqual(['09:00', '10:00']);
  });

  test('slotStepMinutes: a 45-minute step over a 60-minute duration, counted from the window\'s start; a slot past its end is dropped', async () => {
    const o = await ownerWith([[on8th('09:00'), on8th('11:30')]]);
    const id = await createEventType(o.token, { durations: [60], slotStepMinutes: 45 });
    expect(times(await slotsOf(o.id, id))).toEqual(['09:00', '09:45', '10:30']);
  });

  test('minNoticeMinutes: no slot starts before now + notice, at any whole minute, even inside a merged interval', async () => {
    const o = await ownerWith([[on8th('09:00'), on8th('13:00')]]);
    // Now 2030-01-08T08:00Z; 121 minutes of notice: the first start is 10:01 or later.
    t.clock.now = new Date(on8th('08:00'));
    const id = await createEventType(o.token, { durations: [60], slotStepMinutes: 30, minNoticeMinutes: 121 });
    expect(times(await slotsOf(o.id, id))).toEqual(['10:30', '11:00', '11:30', '12:00']);
  });

  test('minNoticeMinutes follows the clock on a cached list: a later request drops the slots its notice now covers', async () => {
    const o = await ownerWith([[on8th('09:00'), on8th('13:00')]]);
    const id = await createEventType(o.token, { durations: [60], minNoticeMinutes: 120 });
    t.clock.now = new Date(on8th('06:00'));
    expect(times(await slotsOf(o.id, id))).toEqual(['09:00', '10:00', '11:00', '12:00']);

    const reads = jest.spyOn(CalendarStore.prototype, 'read');
    t.clock.now = new Date(on8th('08:30'));
    expect(times(await slotsOf(o.id, id))).toEqual(['11:00', '12:00']);
    t.clock.now = new Date(on8th('09:00'));
    expect(times(await slotsOf(o.id, id))).toEqual(['11:00', '12:00']);
    t.clock.now = new Date(on8th('09:01'));
    expect(times(await slotsOf(o.id, id))).toEqual(['12:00']);
    // Served from the list the first request computed: the cut is the request's own.
    expect(reads).not.toHaveBeenCalled();
  });

  test('buffers: a span may not overlap an occupied span, recorded by a booking of another event type; window edges are kept', async () => {
    const o = await ownerWith([[on8th('09:00'), on8th('12:00')]]);
    const other = await createEventType(o.token, { slug: 'other', durations: [30], bufferAfterMinutes: 20 });
    await book(o.id, on8th('10:00'), other);
    // The booking occupies [10:00, 10:50), whatever `other` says later (Semantics 13).
    await t.ok(UpdateEventTypeDocument, { id: other, input: { bufferAfterMinutes: 0 } }, o.token);
    const id = await createEventType(o.token, { durations: [30], slotStepMinutes: 15, bufferBeforeMinutes: 10, bufferAfterMinutes: 5 });
    // A span is [start − 10, start + 35): it must end by 10:00 or start at 10:50 or later. 09:00
    // starts when the window opens despite the before-buffer, 11:30 ends when it closes despite
    // the after-buffer.
    expect(times(await slotsOf(o.id, id))).toEqual(['09:00', '09:15', '11:00', '11:15', '11:30']);
  });

  test("horizonDays: slots start before 00:00 in the owner's zone of today + N days, across a spring-forward change", async () => {
    // New York springs forward on Sunday 2030-03-10: its 00:00 of 03-11 is 04:00Z, not 05:00Z.
    const o = await ownerWith([['2030-03-11T02:00:00Z', '2030-03-11T06:00:00Z']], { timeZone: 'America/New_York' });
    t.clock.now = new Date('2030-03-08T17:00:00Z'); // 12:00 on Friday 03-08 in New York
    const id = await createEventType(o.token, { durations: [60], horizonDays: 3 });
    const range = { from: '2030-03-11T00:00:00Z', to: '2030-03-12T00:00:00Z' };
    expect((await slotsOf(o.id, id, range)).map((s) => s.startsAt)).toEqual(['2030-03-11T02:00:00.000Z', '2030-03-11T03:00:00.000Z']);
  });

  test('maxBookingsPerDay counts live bookings of the event type per owner-local date, near local midnight far from UTC', async () => {
    // Kiritimati is UTC+14: 2030-01-08T10:00Z is 00:00 on its 01-09. Window: 22:00 on 01-08 to 02:00 on 01-09, local.
    const o = await ownerWith([[on8th('08:00'), on8th('12:00')]], { timeZone: 'Pacific/Kiritimati' });
    const id = await createEventType(o.token, { durations: [30], maxBookingsPerDay: 1 });
    const other = await createEventType(o.token, { slug: 'other', durations: [30] });
    await book(o.id, on8th('08:00'), other); // local 01-08, another event type: counts against nothing
    const booked = await book(o.id, on8th('10:30'), id); // 00:30 on 01-09, local
    expect(times(await slotsOf(o.id, id))).toEqual(['08:30', '09:00', '09:30']);
    // A cancelled booking counts no more.
    await t.ok(CancelBookingDocument, { id: booked.booking.id }, o.token);
    expect(times(await slotsOf(o.id, id))).toEqual(['08:30', '09:00', '09:30', '10:00', '10:30', '11:00', '11:30']);
  });

  test('an inactive event type has no slots, through Query.freeSlots and EventType.freeSlots', async () => {
    const o = await ownerWith([[on8th('09:00'), on8th('11:00')]]);
    const id = await createEventType(o.token, { durations: [60], active: false });
    expect(await slotsOf(o.id, id)).toEqual([]);
    const read = await t.ok(EventTypeSlotsDocument, { ownerId: o.id, slug: 'e', ...DAY }, o.token);
    expect(read.eventType).toMatchObject({ id, active: false, freeSlots: [] });
  });

  test('EventType.freeSlots lists what Query.freeSlots lists with that event type, for each duration', async () => {
    const o = await ownerWith([[on8th('09:00'), on8th('12:00')]]);
    const id = await createEventType(o.token, { durations: [30, 90], slotStepMinutes: 30, bufferAfterMinutes: 10 });
    await book(o.id, on8th('10:00'), id);
    for (const duration of [undefined, 30, 90]) {
      const field = (await t.ok(EventTypeSlotsDocument, { ownerId: o.id, slug: 'e', duration, ...DAY })).eventType!.freeSlots;
      expect(field).toEqual(await slotsOf(o.id, id, DAY, duration));
    }
    // The booking occupies [10:00, 10:40); 11:30 ends when the window closes, its after-buffer past it.
    expect(times(await slotsOf(o.id, id))).toEqual(['09:00', '11:00', '11:30']);
  });

  describe('bad arguments', () => {
    test.each([
      ['a duration without eventTypeId', null, 30],
      ['a duration not among the durations', 'own', 45],
    ])('%s is BAD_USER_INPUT naming duration', async (_case, eventType, duration) => {
      const o = await ownerWith([]);
      const id = await createEventType(o.token, { durations: [30, 60] });
      const error = await t.fails(EventTypeFreeSlotsDocument, { ownerId: o.id, eventTypeId: eventType && id, duration, ...DAY }, 'BAD_USER_INPUT');
      expect(error.extensions).toMatchObject({ field: 'duration' });
    });

    test('EventType.freeSlots with a duration not among the durations is BAD_USER_INPUT naming duration', async () => {
      const o = await ownerWith([]);
      await createEventType(o.token, { durations: [30, 60] });
      const error = await t.fails(EventTypeSlotsDocument, { ownerId: o.id, slug: 'e', duration: 45, ...DAY }, 'BAD_USER_INPUT');
      expect(error.extensions).toMatchObject({ field: 'duration' });
    });

    test("an unknown eventTypeId, or another owner's, is NOT_FOUND", async () => {
      const o = await ownerWith([[on8th('09:00'), on8th('11:00')]]);
      const stranger = await ownerWith([[on8th('09:00'), on8th('11:00')]]);
      const theirs = await createEventType(stranger.token);
      for (const eventTypeId of [theirs, 'no-such-event-type']) {
        const error = await t.fails(EventTypeFreeSlotsDocument, { ownerId: o.id, eventTypeId, ...DAY }, 'NOT_FOUND');
        expect(error.message).not.toContain(stranger.id);
      }
    });

    test('a range the wrong way round is BAD_USER_INPUT naming to, with an event type as without', async () => {
      const o = await ownerWith([]);
      const id = await createEventType(o.token);
      const error = await t.fails(EventTypeFreeSlotsDocument, { ownerId: o.id, eventTypeId: id, from: DAY.to, to: DAY.from }, 'BAD_USER_INPUT');
      expect(error.extensions).toMatchObject({ field: 'to' });
    });
  });
});

describe('Semantics 10: occupied spans and Part 1 slots', () => {
  test("Part 1's slots (no event type) are dropped when they overlap a booking's buffers", async () => {
    const o = await ownerWith([[on8th('09:00'), on8th('12:00')]], { slotMinutes: 30 });
    const id = await createEventType(o.token, { durations: [30], bufferBeforeMinutes: 5, bufferAfterMinutes: 10 });
    await book(o.id, on8th('10:00'), id);
    // Occupied: [09:55, 10:40).
    expect(times((await t.ok(FreeSlotsDocument, { ownerId: o.id, ...DAY })).freeSlots)).toEqual(['09:00', '11:00', '11:30']);
  });

  test('a booking that started more than a day before the range still takes what its after-buffer reaches', async () => {
    const o = await ownerWith([['2030-01-07T09:00:00Z', on8th('12:00')]], { slotMinutes: 30 });
    const id = await createEventType(o.token, { durations: [1440], bufferAfterMinutes: 60 });
    await book(o.id, '2030-01-07T09:00:00Z', id);
    // Occupied until 10:00 on the 8th, 24 hours and 30 minutes after the booking started.
    const slots = (await t.ok(FreeSlotsDocument, { ownerId: o.id, from: on8th('09:30'), to: DAY.to })).freeSlots;
    expect(times(slots)).toEqual(['10:00', '10:30', '11:00', '11:30']);
  });

  test('Part 1 unchanged: without an event type, slots of slotMinutes and no policies, whatever event types exist', async () => {
    const o = await ownerWith([[on8th('09:00'), on8th('11:00')]], { slotMinutes: 60 });
    await createEventType(o.token, { durations: [30], slotStepMinutes: 15, minNoticeMinutes: 2000, maxBookingsPerDay: 1 });
    const plain = (await t.ok(FreeSlotsDocument, { ownerId: o.id, ...DAY })).freeSlots;
    expect(plain).toEqual([
      { startsAt: on8th('09:00'), endsAt: on8th('10:00') },
      { startsAt: on8th('10:00'), endsAt: on8th('11:00') },
    ]);
  });
});

describe('limits', () => {
  // Budgets of 100 free slots and 7 days of range per request; an owner with 5-minute slots all
  // day on 2030-01-08: 288 of them.
  let limited: TestApp;
  let owner: { id: string; token: string };
  beforeAll(async () => {
    limited = await startTestApp({ over: 'http', queryLimits: { maxFreeSlots: 100, maxFreeSlotDays: 7 } });
    owner = await limited.createOwner({ timeZone: 'UTC', slotMinutes: 5 });
    await limited.ok(AddOneTimeWindowDocument, { input: { startsAt: DAY.from, endsAt: DAY.to } }, owner.token);
  });
  afterAll(() => limited.close());

  test('GRAPHQL_MAX_FREE_SLOTS counts the slots of an event type', async () => {
    const id = (await limited.ok(CreateEventTypeDocument, { input: { slug: 'five', title: 'Five', durations: [5] } }, owner.token)).createEventType.id;
    const error = await limited.fails(EventTypeFreeSlotsDocument, { ownerId: owner.id, eventTypeId: id, ...DAY }, 'BAD_USER_INPUT');
    expect(error.extensions).toMatchObject({ field: 'to' });
    expect(error.message).toContain('GRAPHQL_MAX_FREE_SLOTS');
  });

  test('a range whose upcoming slots fit the budget is answered in full, however many it held before now + notice', async () => {
    const id = (await limited.ok(CreateEventTypeDocument, { input: { slug: 'noticed', title: 'Noticed', durations: [5], minNoticeMinutes: 600 } }, owner.token)).createEventType.id;
    try {
      // Part 1 at 20:00, the event type at 10:00 with 10 hours' notice: 48 slots each, 20:00 to 23:55.
      for (const [now, eventTypeId] of [['20:00', null], ['10:00', id]] as const) {
        limited.clock.now = new Date(on8th(now));
        const slots = (await limited.ok(EventTypeFreeSlotsDocument, { ownerId: owner.id, eventTypeId, ...DAY })).freeSlots;
        expect([slots.length, slots[0]!.startsAt, slots.at(-1)!.startsAt]).toEqual([48, on8th('20:00'), on8th('23:55')]);
      }
    } finally {
      limited.clock.now = DEFAULT_NOW;
    }
  });

  test('EventType.freeSlots counts in the freeSlots range cost (GRAPHQL_MAX_FREE_SLOT_DAYS), before any resolver runs', async () => {
    await limited.ok(CreateEventTypeDocument, { input: { slug: 'cost', title: 'Cost' } }, owner.token);
    const error = await limited.fails(EventTypeSlotsDocument, { ownerId: owner.id, slug: 'cost', from: DAY.from, to: '2030-01-16T00:00:00Z' }, 'BAD_USER_INPUT');
    expect(error.message).toMatch(/query too expensive: .* 8 days/);
  });
});

describe('the free-slot cache', () => {
  test('keys on the event type and the duration: the same range of each kind answers its own slots', async () => {
    const o = await ownerWith([[on8th('09:00'), on8th('11:00')]], { slotMinutes: 60 });
    const a = await createEventType(o.token, { slug: 'a', durations: [30, 120] });
    const b = await createEventType(o.token, { slug: 'b', durations: [30], slotStepMinutes: 15 });
    for (let round = 0; round < 2; round++) {
      expect(times(await slotsOf(o.id, null))).toEqual(['09:00', '10:00']);
      expect(times(await slotsOf(o.id, a))).toEqual(['09:00', '09:30', '10:00', '10:30']);
      expect(times(await slotsOf(o.id, a, DAY, 120))).toEqual(['09:00']);
      expect(times(await slotsOf(o.id, b))).toEqual(['09:00', '09:15', '09:30', '09:45', '10:00', '10:15', '10:30']);
    }
  });

  test('a policy change shows at once', async () => {
    const o = await ownerWith([[on8th('09:00'), on8th('11:00')]]);
    const id = await createEventType(o.token, { durations: [60] });
    expect(times(await slotsOf(o.id, id))).toEqual(['09:00', '10:00']);
    await t.ok(UpdateEventTypeDocument, { id, input: { slotStepMinutes: 30 } }, o.token);
    expect(times(await slotsOf(o.id, id))).toEqual(['09:00', '09:30', '10:00']);
    await t.ok(UpdateEventTypeDocument, { id, input: { active: false } }, o.token);
    expect(await slotsOf(o.id, id)).toEqual([]);
  });
});

describe('moving a booking', () => {
  test.each([
    ['overlaps its own occupied span', { bufferAfterMinutes: 30 }, '10:00'],
    ['stays on its own capped day', { maxBookingsPerDay: 1 }, '11:00'],
  ])('a booking moved to a start that %s is not in its own way', async (_case, policy, to) => {
    const o = await ownerWith([[on8th('09:00'), on8th('12:00')]]);
    const id = await createEventType(o.token, { durations: [60], ...policy });
    const booked = await book(o.id, on8th('09:00'), id);
    const moved = await t.ok(RescheduleBookingDocument, { id: booked.booking.id, startsAt: on8th(to), manageToken: booked.manageToken });
    expect(moved.rescheduleBooking).toMatchObject({ startsAt: on8th(to) });
  });
});

import { startTestApp, type TestApp } from './support/app';
import {
  AddOneTimeWindowDocument,
  BookSlotDocument,
  BookingEventTypeDocument,
  CreateEventTypeDocument,
  EventTypeBySlugDocument,
  OwnerEventTypesDocument,
  UpdateEventTypeDocument,
  UpdateOwnerDocument,
  type EventTypeInput,
  type EventTypePatch,
} from './generated/graphql';

let t: TestApp;
beforeAll(async () => { t = await startTestApp({ over: 'http' }); });
afterAll(() => t.close());

const sql = <Row>(statement: string, params: unknown[] = []): Promise<Row[]> => t.app.orm.em.fork().getConnection().execute(statement, params);

async function createEventType(token: string, input: Partial<EventTypeInput> = {}) {
  const data = await t.ok(CreateEventTypeDocument, { input: { slug: 'intro', title: 'Intro call', ...input } }, token);
  return data.createEventType;
}

async function dataVersion(ownerId: string): Promise<number> {
  const [row] = await sql<{ data_version: number | string }>('select data_version from owner where id = ?', [ownerId]);
  return Number(row!.data_version);
}

describe('createEventType', () => {
  test('applies the defaults: durations [owner.slotMinutes], the first as default, no policies, active', async () => {
    const owner = await t.createOwner({ slotMinutes: 45 });
    const created = await createEventType(owner.token, { title: '  Intro call ' });
    expect(created).toEqual({
      id: expect.any(String),
      slug: 'intro',
      title: 'Intro call',
      description: null,
      durations: [45],
      defaultDuration: 45,
      slotStepMinutes: null,
      minNoticeMinutes: 0,
      bufferBeforeMinutes: 0,
      bufferAfterMinutes: 0,
      horizonDays: null,
      maxBookingsPerDay: null,
      minCancelNoticeMinutes: 0,
      active: true,
      owner: { id: owner.id },
    });
  });

  test('keeps every field given, durations in the order given', async () => {
    const owner = await t.createOwner();
    const input = {
      slug: 'session-90',
      title: 'Session',
      description: 'Bring your notes.',
      durations: [90, 30, 60],
      defaultDuration: 60,
      slotStepMinutes: 15,
      minNoticeMinutes: 121,
      bufferBeforeMinutes: 5,
      bufferAfterMinutes: 10,
      horizonDays: 30,
      maxBookingsPerDay: 4,
      minCancelNoticeMinutes: 1441,
      active: false,
    };
    expect(await createEventType(owner.token, input)).toEqual({ id: expect.any(String), ...input, owner: { id: owner.id } });
  });

  test('the default durations are fixed at creation: a later slotMinutes change does not move them', async () => {
    const owner = await t.createOwner({ slotMinutes: 30 });
    const created = await createEventType(owner.token);
    await t.ok(UpdateOwnerDocument, { input: { slotMinutes: 90 } }, owner.token);
    const read = await t.ok(EventTypeBySlugDocument, { ownerId: owner.id, slug: 'intro' });
    expect(read.eventType).toMatchObject({ id: created.id, durations: [30], defaultDuration: 30 });
  });

  test.each<[string, Partial<EventTypeInput>, string, string]>([
    ['empty slug', { slug: '' }, 'input.slug', 'must be 1 to 60 characters'],
    ['slug over 60 characters', { slug: 'a'.repeat(61) }, 'input.slug', 'must be 1 to 60 characters'],
    ['slug with an upper-case letter', { slug: 'Intro' }, 'input.slug', 'may hold only lowercase letters a-z, digits and -'],
    ['slug with a space', { slug: 'intro call' }, 'input.slug', 'may hold only'],
    ['slug with a non-ASCII letter', { slug: 'café' }, 'input.slug', 'may hold only'],
    ['slug starting with -', { slug: '-intro' }, 'input.slug', 'must start and end with a letter or digit'],
    ['slug ending with -', { slug: 'intro-' }, 'input.slug', 'must start and end with a letter or digit'],
    ['slug of only -', { slug: '-' }, 'input.slug', 'must start and end with a letter or digit'],
    ['empty title', { title: '' }, 'input.title', 'must be 1 to 200 characters'],
    ['blank title', { title: '   ' }, 'input.title', 'must be 1 to 200 characters'],
    ['title over 200 characters', { title: 'x'.repeat(201) }, 'input.title', 'must be 1 to 200 characters'],
    ['title over 200 code points in fewer UTF-16 pairs', { title: '😀'.repeat(201) }, 'input.title', 'must be 1 to 200 characters'],
    ['description over 2000 characters', { description: 'x'.repeat(2001) }, 'input.description', 'must be 0 to 2000 characters'],
    ['no durations', { durations: [] }, 'input.durations', 'must hold 1 to 10 lengths'],
    ['11 durations', { durations: [5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55] }, 'input.durations', 'must hold 1 to 10 lengths'],
    ['a duration below 5', { durations: [30, 0] }, 'input.durations', 'each length must be at least 5 minutes'],
    ['a duration above 1440', { durations: [1445] }, 'input.durations', 'each length must be at most 1440 minutes'],
    ['a duration off the grid', { durations: [30, 42] }, 'input.durations', 'each length must be a multiple of 5 minutes'],
    ['a repeated duration', { durations: [30, 60, 30] }, 'input.durations', 'must not repeat a length (30)'],
    ['defaultDuration not among durations', { durations: [30, 60], defaultDuration: 45 }, 'input.defaultDuration', 'must be one of durations (30, 60)'],
    ['defaultDuration without durations, not the slot length', { defaultDuration: 30 }, 'input.defaultDuration', 'must be one of durations (60)'],
    ['slotStepMinutes below 5', { slotStepMinutes: 0 }, 'input.slotStepMinutes', 'must be at least 5 minutes'],
    ['slotStepMinutes above 1440', { slotStepMinutes: 1445 }, 'input.slotStepMinutes', 'must be at most 1440 minutes'],
    ['slotStepMinutes off the grid', { slotStepMinutes: 7 }, 'input.slotStepMinutes', 'must be a multiple of 5 minutes'],
    ['negative minNoticeMinutes', { minNoticeMinutes: -1 }, 'input.minNoticeMinutes', 'must be at least 0 minutes'],
    ['minNoticeMinutes above a year', { minNoticeMinutes: 525_601 }, 'input.minNoticeMinutes', 'must be at most 525600 minutes'],
    ['negative bufferBeforeMinutes', { bufferBeforeMinutes: -5 }, 'input.bufferBeforeMinutes', 'must be at least 0 minutes'],
    ['bufferBeforeMinutes above 1440', { bufferBeforeMinutes: 1445 }, 'input.bufferBeforeMinutes', 'must be at most 1440 minutes'],
    ['bufferBeforeMinutes off the grid', { bufferBeforeMinutes: 3 }, 'input.bufferBeforeMinutes', 'must be a multiple of 5 minutes'],
    ['negative bufferAfterMinutes', { bufferAfterMinutes: -5 }, 'input.bufferAfterMinutes', 'must be at least 0 minutes'],
    ['bufferAfterMinutes above 1440', { bufferAfterMinutes: 1445 }, 'input.bufferAfterMinutes', 'must be at most 1440 minutes'],
    ['bufferAfterMinutes off the grid', { bufferAfterMinutes: 12 }, 'input.bufferAfterMinutes', 'must be a multiple of 5 minutes'],
    ['horizonDays 0', { horizonDays: 0 }, 'input.horizonDays', 'must be at least 1 days'],
    ['horizonDays above 3660', { horizonDays: 3661 }, 'input.horizonDays', 'must be at most 3660 days'],
    ['maxBookingsPerDay 0', { maxBookingsPerDay: 0 }, 'input.maxBookingsPerDay', 'must be at least 1 bookings'],
    ['maxBookingsPerDay above 1000', { maxBookingsPerDay: 1001 }, 'input.maxBookingsPerDay', 'must be at most 1000 bookings'],
    ['negative minCancelNoticeMinutes', { minCancelNoticeMinutes: -1 }, 'input.minCancelNoticeMinutes', 'must be at least 0 minutes'],
    ['minCancelNoticeMinutes above a year', { minCancelNoticeMinutes: 525_601 }, 'input.minCancelNoticeMinutes', 'must be at most 525600 minutes'],
  ])('%s is BAD_USER_INPUT naming the field and the rule', async (_case, input, field, rule) => {
    const owner = await t.createOwner();
    const error = await t.fails(CreateEventTypeDocument, { input: { slug: 'intro', title: 'Intro', ...input } }, 'BAD_USER_INPUT', owner.token);
    expect(error.extensions?.field).toBe(field);
    expect(error.message).toContain(`${field}: ${rule}`);
    expect((await t.ok(OwnerEventTypesDocument, { id: owner.id }, owner.token)).owner!.eventTypes).toEqual([]);
  });

  test.each<[string, Partial<EventTypeInput>]>([
    ['the shortest and longest slug', { slug: 'a' }],
    ['a 60-character slug', { slug: `a${'-b'.repeat(29)}c` }],
    ['a digit-only slug', { slug: '30' }],
    ['a 200-character title', { title: '😀'.repeat(200) }],
    ['a 2000-character description', { description: 'é'.repeat(2000) }],
    ['an empty description', { description: '' }],
    ['10 durations at the bounds', { durations: [5, 10, 15, 20, 25, 30, 35, 40, 45, 1440] }],
    ['notice of any whole minute, at the bounds', { minNoticeMinutes: 525_600, minCancelNoticeMinutes: 7 }],
    ['buffers and step at the bounds', { bufferBeforeMinutes: 1440, bufferAfterMinutes: 0, slotStepMinutes: 5 }],
    ['horizon and cap at the bounds', { horizonDays: 3660, maxBookingsPerDay: 1000 }],
    ['horizon and cap at their lower bounds', { horizonDays: 1, maxBookingsPerDay: 1 }],
  ])('accepts %s', async (_case, input) => {
    const owner = await t.createOwner();
    const created = await createEventType(owner.token, input);
    expect(created).toMatchObject(input);
  });

  test('a slug is unique per owner (BAD_USER_INPUT naming input.slug); two owners may share one', async () => {
    const ada = await t.createOwner();
    const bob = await t.createOwner();
    await createEventType(ada.token, { slug: 'consult' });
    const error = await t.fails(CreateEventTypeDocument, { input: { slug: 'consult', title: 'Again' } }, 'BAD_USER_INPUT', ada.token);
    expect(error.extensions?.field).toBe('input.slug');
    expect(error.message).toContain('must be unique');
    expect(await createEventType(bob.token, { slug: 'consult' })).toMatchObject({ slug: 'consult', owner: { id: bob.id } });
    expect((await t.ok(OwnerEventTypesDocument, { id: ada.id }, ada.token)).owner!.eventTypes.map((e) => e.slug)).toEqual(['consult']);
  });

  test('of 6 concurrent creations with one slug exactly one succeeds, the others are BAD_USER_INPUT', async () => {
    const owner = await t.createOwner();
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => t.run(CreateEventTypeDocument, { input: { slug: 'race', title: `Try ${i}` } }, owner.token)),
    );
    expect(results.filter((r) => r.data?.createEventType)).toHaveLength(1);
    for (const r of results) if (!r.data?.createEventType) expect(r.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  test('needs the owner token', async () => {
    await t.fails(CreateEventTypeDocument, { input: { slug: 'intro', title: 'Intro' } }, 'UNAUTHENTICATED');
    await t.fails(CreateEventTypeDocument, { input: { slug: 'intro', title: 'Intro' } }, 'UNAUTHENTICATED', 'sbo_not-a-real-token');
  });
});

describe('updateEventType', () => {
  test('changes only the given fields; an explicit null clears a nullable field, and keeps any other', async () => {
    const owner = await t.createOwner();
    const created = await createEventType(owner.token, {
      description: 'Old', durations: [30, 60], slotStepMinutes: 15, horizonDays: 30, maxBookingsPerDay: 4, minNoticeMinutes: 60,
    });
    const updated = await t.ok(UpdateEventTypeDocument, { id: created.id, input: { title: 'New title', bufferAfterMinutes: 10 } }, owner.token);
    expect(updated.updateEventType).toEqual({ ...created, title: 'New title', bufferAfterMinutes: 10 });

    const cleared = await t.ok(UpdateEventTypeDocument, {
      id: created.id,
      input: { description: null, slotStepMinutes: null, horizonDays: null, maxBookingsPerDay: null, title: null, durations: null, minNoticeMinutes: null, active: null },
    }, owner.token);
    expect(cleared.updateEventType).toEqual({
      ...created, title: 'New title', bufferAfterMinutes: 10, description: null, slotStepMinutes: null, horizonDays: null, maxBookingsPerDay: null,
    });
    const read = await t.ok(EventTypeBySlugDocument, { ownerId: owner.id, slug: 'intro' });
    expect(read.eventType).toEqual(cleared.updateEventType);
  });

  test('durations that drop defaultDuration are BAD_USER_INPUT unless the patch sets defaultDuration too', async () => {
    const owner = await t.createOwner();
    const { id } = await createEventType(owner.token, { durations: [30, 60], defaultDuration: 60 });
    const dropped = await t.fails(UpdateEventTypeDocument, { id, input: { durations: [30, 45] } }, 'BAD_USER_INPUT', owner.token);
    expect(dropped.extensions?.field).toBe('input.durations');
    expect(dropped.message).toContain('must hold defaultDuration (60)');

    const outside = await t.fails(UpdateEventTypeDocument, { id, input: { durations: [30, 45], defaultDuration: 90 } }, 'BAD_USER_INPUT', owner.token);
    expect(outside.extensions?.field).toBe('input.defaultDuration');
    const alone = await t.fails(UpdateEventTypeDocument, { id, input: { defaultDuration: 45 } }, 'BAD_USER_INPUT', owner.token);
    expect(alone.extensions?.field).toBe('input.defaultDuration');

    const kept = await t.ok(UpdateEventTypeDocument, { id, input: { durations: [90, 60] } }, owner.token);
    expect(kept.updateEventType).toMatchObject({ durations: [90, 60], defaultDuration: 60 });
    const both = await t.ok(UpdateEventTypeDocument, { id, input: { durations: [30, 45], defaultDuration: 45 } }, owner.token);
    expect(both.updateEventType).toMatchObject({ durations: [30, 45], defaultDuration: 45 });
  });

  test.each<[string, EventTypePatch, string]>([
    ['a bad slug', { slug: 'Bad' }, 'input.slug'],
    ['a blank title', { title: ' ' }, 'input.title'],
    ['a long description', { description: 'x'.repeat(2001) }, 'input.description'],
    ['empty durations', { durations: [] }, 'input.durations'],
    ['a step off the grid', { slotStepMinutes: 8 }, 'input.slotStepMinutes'],
    ['notice over a year', { minNoticeMinutes: 525_601 }, 'input.minNoticeMinutes'],
    ['a buffer off the grid', { bufferBeforeMinutes: 1 }, 'input.bufferBeforeMinutes'],
    ['a negative after-buffer', { bufferAfterMinutes: -5 }, 'input.bufferAfterMinutes'],
    ['a zero horizon', { horizonDays: 0 }, 'input.horizonDays'],
    ['a zero cap', { maxBookingsPerDay: 0 }, 'input.maxBookingsPerDay'],
    ['a negative cancel notice', { minCancelNoticeMinutes: -1 }, 'input.minCancelNoticeMinutes'],
  ])('%s is BAD_USER_INPUT naming the field; nothing changes', async (_case, input, field) => {
    const owner = await t.createOwner();
    const created = await createEventType(owner.token);
    const error = await t.fails(UpdateEventTypeDocument, { id: created.id, input }, 'BAD_USER_INPUT', owner.token);
    expect(error.extensions?.field).toBe(field);
    expect((await t.ok(EventTypeBySlugDocument, { ownerId: owner.id, slug: 'intro' })).eventType).toEqual(created);
  });

  test('a slug taken by another event type of the owner is BAD_USER_INPUT; the event type keeps its own', async () => {
    const owner = await t.createOwner();
    await createEventType(owner.token, { slug: 'first' });
    const second = await createEventType(owner.token, { slug: 'second' });
    const error = await t.fails(UpdateEventTypeDocument, { id: second.id, input: { slug: 'first', title: 'Renamed' } }, 'BAD_USER_INPUT', owner.token);
    expect(error.extensions?.field).toBe('input.slug');
    expect((await t.ok(EventTypeBySlugDocument, { ownerId: owner.id, slug: 'second' })).eventType).toEqual(second);
    const renamed = await t.ok(UpdateEventTypeDocument, { id: second.id, input: { slug: 'third' } }, owner.token);
    expect(renamed.updateEventType).toMatchObject({ slug: 'third', title: second.title });
  });

  test('UNAUTHENTICATED without a token, FORBIDDEN for another owner, NOT_FOUND for an unknown id', async () => {
    const owner = await t.createOwner();
    const other = await t.createOwner();
    const { id } = await createEventType(owner.token);
    await t.fails(UpdateEventTypeDocument, { id, input: { title: 'Mine now' } }, 'UNAUTHENTICATED');
    await t.fails(UpdateEventTypeDocument, { id, input: { title: 'Mine now' } }, 'FORBIDDEN', other.token);
    await t.fails(UpdateEventTypeDocument, { id: 'no-such-event-type', input: { title: 'x' } }, 'NOT_FOUND', owner.token);
    expect((await t.ok(EventTypeBySlugDocument, { ownerId: owner.id, slug: 'intro' })).eventType?.title).toBe('Intro call');
  });
});

describe('visibility of inactive event types', () => {
  test('eventType(ownerId, slug): null when unknown; an inactive one only for its owner', async () => {
    const owner = await t.createOwner();
    const other = await t.createOwner();
    const created = await createEventType(owner.token, { slug: 'hidden', active: false });
    expect((await t.ok(EventTypeBySlugDocument, { ownerId: owner.id, slug: 'hidden' })).eventType).toBeNull();
    expect((await t.ok(EventTypeBySlugDocument, { ownerId: owner.id, slug: 'hidden' }, other.token)).eventType).toBeNull();
    expect((await t.ok(EventTypeBySlugDocument, { ownerId: owner.id, slug: 'hidden' }, owner.token)).eventType).toEqual(created);
    expect((await t.ok(EventTypeBySlugDocument, { ownerId: owner.id, slug: 'nope' }, owner.token)).eventType).toBeNull();
    expect((await t.ok(EventTypeBySlugDocument, { ownerId: other.id, slug: 'hidden' }, other.token)).eventType).toBeNull();
    expect((await t.ok(EventTypeBySlugDocument, { ownerId: 'no-such-owner', slug: 'hidden' })).eventType).toBeNull();
  });

  test('Owner.eventTypes: the public and other owners see the active ones, the owner all, by slug', async () => {
    const owner = await t.createOwner();
    const other = await t.createOwner();
    await createEventType(owner.token, { slug: 'b-active' });
    const off = await createEventType(owner.token, { slug: 'a-hidden' });
    await t.ok(UpdateEventTypeDocument, { id: off.id, input: { active: false } }, owner.token);
    const slugs = async (token?: string) => (await t.ok(OwnerEventTypesDocument, { id: owner.id }, token)).owner!.eventTypes.map((e) => e.slug);
    expect(await slugs()).toEqual(['b-active']);
    expect(await slugs(other.token)).toEqual(['b-active']);
    expect(await slugs(owner.token)).toEqual(['a-hidden', 'b-active']);
    await t.ok(UpdateEventTypeDocument, { id: off.id, input: { active: true } }, owner.token);
    expect(await slugs()).toEqual(['a-hidden', 'b-active']);
  });
});

describe('Booking.eventType', () => {
  async function plainBooking() {
    const owner = await t.createOwner({ timeZone: 'UTC' });
    await t.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-08T09:00:00Z', endsAt: '2030-01-08T12:00:00Z' } }, owner.token);
    const { bookSlot } = await t.ok(BookSlotDocument, {
      input: { ownerId: owner.id, startsAt: '2030-01-08T09:00:00Z', invitee: { name: 'Grace', email: 'grace@example.com' } },
    });
    return { owner, booking: bookSlot.booking, manageToken: bookSlot.manageToken };
  }

  test('is null for a booking made without one, which records no buffers and no reschedules', async () => {
    const { booking, manageToken } = await plainBooking();
    expect((await t.ok(BookingEventTypeDocument, { id: booking.id, manageToken })).booking).toEqual({ id: booking.id, eventType: null });
    const [row] = await sql<Record<string, unknown>>(
      'select event_type_id, buffer_before_minutes, buffer_after_minutes, reschedule_count from booking where id = ?', [booking.id],
    );
    expect({ ...row, buffer_before_minutes: Number(row!.buffer_before_minutes), buffer_after_minutes: Number(row!.buffer_after_minutes), reschedule_count: Number(row!.reschedule_count) })
      .toEqual({ event_type_id: null, buffer_before_minutes: 0, buffer_after_minutes: 0, reschedule_count: 0 });
  });

  test('resolves the event type recorded on the booking, also after it is deactivated', async () => {
    const { owner } = await plainBooking();
    const eventType = await createEventType(owner.token);
    const { bookSlot: { booking, manageToken } } = await t.ok(BookSlotDocument, {
      input: { ownerId: owner.id, eventTypeId: eventType.id, startsAt: '2030-01-08T10:00:00Z', invitee: { name: 'Grace', email: 'grace@example.com' } },
    });
    await t.ok(UpdateEventTypeDocument, { id: eventType.id, input: { active: false } }, owner.token);
    expect((await t.ok(BookingEventTypeDocument, { id: booking.id, manageToken })).booking.eventType).toEqual({ id: eventType.id, slug: 'intro', active: false });
    expect((await t.ok(BookingEventTypeDocument, { id: booking.id }, owner.token)).booking.eventType?.id).toBe(eventType.id);
  });
});

describe('the data version (free-slot cache key)', () => {
  test('creating, changing and deactivating an event type each bump its owner\'s data version, and only its owner\'s', async () => {
    const owner = await t.createOwner();
    const bystander = await t.createOwner();
    const bystanderVersion = await dataVersion(bystander.id);
    let version = await dataVersion(owner.id);
    const { id } = await createEventType(owner.token);
    expect(await dataVersion(owner.id)).toBeGreaterThan(version);
    version = await dataVersion(owner.id);
    await t.ok(UpdateEventTypeDocument, { id, input: { bufferAfterMinutes: 15 } }, owner.token);
    expect(await dataVersion(owner.id)).toBeGreaterThan(version);
    version = await dataVersion(owner.id);
    await t.ok(UpdateEventTypeDocument, { id, input: { active: false } }, owner.token);
    expect(await dataVersion(owner.id)).toBeGreaterThan(version);
    expect(await dataVersion(bystander.id)).toBe(bystanderVersion);
  });

  test('a write made outside the app bumps it too: the database keeps the rule', async () => {
    const owner = await t.createOwner();
    const { id } = await createEventType(owner.token);
    const version = await dataVersion(owner.id);
    await sql('update event_type set min_notice_minutes = 30 where id = ?', [id]);
    expect(await dataVersion(owner.id)).toBeGreaterThan(version);
  });
});

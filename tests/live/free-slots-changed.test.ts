import http from 'node:http';
import WebSocket from 'ws';
import { startTestApp, type ServedTestApp } from '../support/app';
import { testDialect } from '../support/database';
import { AddOneTimeWindowDocument, AddRecurringWindowDocument, BookSlotDocument, CancelBookingDocument, CreateEventTypeDocument, UpdateEventTypeDocument, UpdateOwnerDocument } from '../generated/graphql';
import { FREE_SLOTS_CHANGED, liveClient, twoAppsOnOneDatabase, waitFor, watch, wsUrlOf, type LiveClient } from './live-client';

// Subscription.freeSlotsChanged (docs/api.md Part 2, 19) over real sockets with graphql-ws's
// own client, on two apps sharing one database of the dialect under test (a SQLite file, or a
// PostgreSQL database): subscribers on A, changes made through B. A polls (SQLite) every 50 ms.
// Every wait has a 2 s deadline: it waits for a message, it does not time the server.

const RANGE = { from: '2030-01-08T00:00:00Z', to: '2030-01-09T00:00:00Z' };
const NINE_TO_TWELVE = ['2030-01-08T09:00:00.000Z', '2030-01-08T10:00:00.000Z', '2030-01-08T11:00:00.000Z'];

describe(`freeSlotsChanged across two apps on one database (${testDialect})`, () => {
  let apps: Awaited<ReturnType<typeof twoAppsOnOneDatabase>>;
  let a: ServedTestApp;
  let b: ServedTestApp;
  const clients: LiveClient[] = [];

  const client = () => {
    const live = liveClient(a.url);
    clients.push(live);
    return live;
  };

  async function ownerWithMorning(): Promise<{ id: string; token: string }> {
    const owner = await b.createOwner({ timeZone: 'UTC' });
    await b.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-08T09:00:00Z', endsAt: '2030-01-08T12:00:00Z' } }, owner.token);
    return owner;
  }

  const book = (ownerId: string, startsAt: string) =>
    b.ok(BookSlotDocument, { input: { ownerId, startsAt, invitee: { name: 'Grace', email: 'grace@example.com' } } }).then((d) => d.bookSlot);

  beforeAll(async () => {
    apps = await twoAppsOnOneDatabase();
    ({ a, b } = apps);
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
  });

  afterAll(() => apps?.close());

  test('sends the list at once, the list without a slot booked through B, and the slot again once cancelled', async () => {
    const owner = await ownerWithMorning();
    const w = watch(client(), { ownerId: owner.id, ...RANGE });
    expect(await w.nth(1)).toEqual(NINE_TO_TWELVE);

    const booked = await book(owner.id, NINE_TO_TWELVE[1]!);
    expect(await w.nth(2)).toEqual([NINE_TO_TWELVE[0], NINE_TO_TWELVE[2]]);

    await b.ok(CancelBookingDocument, { id: booked.booking.id, manageToken: booked.manageToken });
    expect(await w.nth(3)).toEqual(NINE_TO_TWELVE);
    expect(w.errors).toEqual([]);
  });

  test('a change to another owner sends nothing; a change that leaves the list as it was sends nothing', async () => {
    const owner = await ownerWithMorning();
    const other = await ownerWithMorning();
    const w = watch(client(), { ownerId: owner.id, ...RANGE });
    await w.nth(1);

    await book(other.id, NINE_TO_TWELVE[0]!);
    // Availability outside the range: the owner's data changed, its list did not.
    await b.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-02-01T09:00:00Z', endsAt: '2030-02-01T10:00:00Z' } }, owner.token);
    // A change that alters the list comes after both: once its list is here, the two before it
    // have certainly been seen (by the same poll or notification stream, in commit order).
    await book(owner.id, NINE_TO_TWELVE[2]!);
    expect(await w.nth(2)).toEqual(NINE_TO_TWELVE.slice(0, 2));
    await new Promise((r) => setTimeout(r, 200));
    expect(w.lists).toHaveLength(2);
  });

  test("follows the owner's slot length and event types, through the same rules as freeSlots", async () => {
    const owner = await ownerWithMorning();
    const w = watch(client(), { ownerId: owner.id, ...RANGE });
    await w.nth(1);
    await b.ok(UpdateOwnerDocument, { input: { slotMinutes: 90 } }, owner.token);
    expect(await w.nth(2)).toEqual(['2030-01-08T09:00:00.000Z', '2030-01-08T10:30:00.000Z']);

    const created = await b.ok(CreateEventTypeDocument, { input: { slug: 'intro', title: 'Intro', durations: [30, 60] } }, owner.token);
    const e = watch(client(), { ownerId: owner.id, ...RANGE, eventTypeId: created.createEventType.id, duration: 60 });
    expect(await e.nth(1)).toEqual(NINE_TO_TWELVE);
    // Booked without the event type it lasts the owner's 90 minutes: 10:00 overlaps it too.
    await book(owner.id, NINE_TO_TWELVE[0]!);
    expect(await e.nth(2)).toEqual([NINE_TO_TWELVE[2]]);
  });

  test("arguments a change makes invalid end the subscription with the error freeSlots would give (BAD_USER_INPUT naming the field)", async () => {
    const owner = await ownerWithMorning();
    const created = await b.ok(CreateEventTypeDocument, { input: { slug: 'long', title: 'Long', durations: [30, 60] } }, owner.token);
    const w = watch(client(), { ownerId: owner.id, ...RANGE, eventTypeId: created.createEventType.id, duration: 60 });
    await w.nth(1);
    await b.ok(UpdateEventTypeDocument, { id: created.createEventType.id, input: { durations: [30], defaultDuration: 30 } }, owner.token);
    expect((await w.failure()).extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'duration' });
    await waitFor(() => w.completed, 'the subscription to complete');
  });

  test('invalid arguments fail as BAD_USER_INPUT naming the field, and the same connection serves a valid subscription afterwards', async () => {
    const owner = await ownerWithMorning();
    const live = client();
    const reversed = await watch(live, { ownerId: owner.id, from: RANGE.to, to: RANGE.from }).failure();
    expect(reversed.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    const durationAlone = await watch(live, { ownerId: owner.id, ...RANGE, duration: 30 }).failure();
    expect(durationAlone.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'duration' });
    const unknown = await watch(live, { ownerId: 'no-such-owner', ...RANGE }).failure();
    expect(unknown.extensions).toMatchObject({ code: 'NOT_FOUND' });

    expect(await watch(live, { ownerId: owner.id, ...RANGE }).nth(1)).toEqual(NINE_TO_TWELVE);
    expect(live.connections).toBe(1);
    expect(live.closeCodes).toEqual([]);
  });
});

describe(`freeSlotsChanged limits and gates (${testDialect})`, () => {
  let app: ServedTestApp;
  let owner: { id: string; token: string };
  const clients: LiveClient[] = [];
  const client = () => {
    const live = liveClient(app.url);
    clients.push(live);
    return live;
  };

  beforeAll(async () => {
    app = await startTestApp({
      listen: true,
      subscriptions: { maxPerConnection: 2, maxPerProcess: 3, initTimeoutMs: 100, pollIntervalMs: 50 },
      queryLimits: { maxFreeSlotDays: 10 },
    });
    owner = await app.createOwner({ timeZone: 'UTC' });
    await app.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-08T09:00:00Z', endsAt: '2030-01-08T12:00:00Z' } }, owner.token);
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
    await waitFor(() => app.app.liveSlots.size === 0, 'every subscription to end');
  });

  afterAll(async () => {
    await app?.close();
  });

  test('a connection holds at most SUBSCRIPTIONS_PER_CONNECTION subscriptions; completing one makes room', async () => {
    const live = client();
    const first = watch(live, { ownerId: owner.id, ...RANGE });
    await first.nth(1);
    await watch(live, { ownerId: owner.id, ...RANGE }).nth(1);
    const third = await watch(live, { ownerId: owner.id, ...RANGE }).failure();
    expect(third.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(third.message).toMatch(/SUBSCRIPTIONS_PER_CONNECTION/);

    first.stop();
    await waitFor(() => app.app.liveSlots.size === 1, 'the completed subscription to end');
    await watch(live, { ownerId: owner.id, ...RANGE }).nth(1);
    expect(live.connections).toBe(1);
  });

  test('a process serves at most SUBSCRIPTIONS_PER_PROCESS subscriptions over all its connections', async () => {
    const [one, two] = [client(), client()];
    await watch(one, { ownerId: owner.id, ...RANGE }).nth(1);
    await watch(one, { ownerId: owner.id, ...RANGE }).nth(1);
    await watch(two, { ownerId: owner.id, ...RANGE }).nth(1);
    const fourth = await watch(two, { ownerId: owner.id, ...RANGE }).failure();
    expect(fourth.extensions).toMatchObject({ code: 'RATE_LIMITED' });
    expect(fourth.message).toMatch(/SUBSCRIPTIONS_PER_PROCESS/);
  });

  test('the freeSlots range budget, the query limits and the NUL check hold over WebSocket too; only subscriptions are served', async () => {
    const live = client();
    const long = await watch(live, { ownerId: owner.id, from: '2030-01-01T00:00:00Z', to: '2030-02-01T00:00:00Z' }).failure();
    expect(long.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(long.message).toMatch(/31 days/);
    const nul = await watch(live, { ownerId: `${owner.id}\u0000`, ...RANGE }).failure();
    expect(nul.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });

    const answers: unknown[] = [];
    await new Promise<void>((resolve) => {
      live.client.subscribe({ query: '{ owner(id: "x") { id } }' }, { next: (r) => answers.push(r), error: (e) => { answers.push(e); resolve(); }, complete: resolve });
    });
    expect(answers).toEqual([[expect.objectContaining({ extensions: { code: 'BAD_REQUEST' } })]]);

    const invalid = await new Promise<Array<{ extensions?: unknown }>>((resolve) => {
      live.client.subscribe({ query: 'subscription { freeSlotsChanged(ownerId: "x") { startsAt } }' }, { next: () => undefined, error: (e) => resolve(e as never), complete: () => undefined });
    });
    expect(invalid.map((e) => e.extensions)).toEqual([{ code: 'GRAPHQL_VALIDATION_FAILED' }, { code: 'GRAPHQL_VALIDATION_FAILED' }]);
    expect(await watch(live, { ownerId: owner.id, ...RANGE }).nth(1)).toEqual(NINE_TO_TWELVE);
    expect(live.connections).toBe(1);
  });

  test('a socket that sends no connection_init within SUBSCRIPTION_INIT_TIMEOUT_MS is closed with 4408', async () => {
    const socket = new WebSocket(wsUrlOf(app.url), 'graphql-transport-ws');
    const code = await new Promise<number>((resolve, reject) => {
      socket.once('close', (c) => resolve(c));
      socket.once('error', reject);
    });
    expect(code).toBe(4408);
  });

  test('only /graphql upgrades to WebSocket', async () => {
    const socket = new WebSocket(wsUrlOf(app.url).replace(/\/graphql$/, '/elsewhere'), 'graphql-transport-ws');
    const refused = await new Promise<string>((resolve) => {
      socket.once('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      socket.once('error', (err) => resolve(String(err.message)));
    });
    expect(refused).toMatch(/404/);
  });

  test('subscriptions over HTTP are still refused as BAD_REQUEST', async () => {
    const response = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: FREE_SLOTS_CHANGED, variables: { ownerId: owner.id, ...RANGE } }),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: Array<{ extensions: { code: string } }> }).errors[0]!.extensions.code).toBe('BAD_REQUEST');
  });
});

describe(`a slow reader (${testDialect})`, () => {
  test('a socket that leaves more than SUBSCRIPTION_MAX_BUFFERED_BYTES unsent is dropped, not buffered', async () => {
    const app = await startTestApp({ listen: true, subscriptions: { maxBufferedBytes: 64 * 1024, pollIntervalMs: 20 } });
    const socket = new WebSocket(wsUrlOf(app.url), 'graphql-transport-ws');
    try {
      // Five-minute slots around the clock for a month: each list is about half a megabyte.
      const owner = await app.createOwner({ timeZone: 'UTC', slotMinutes: 5 });
      await app.ok(AddRecurringWindowDocument, { input: { frequency: 'DAILY', startTime: '00:00', endTime: '24:00', startsOn: '2030-01-08' } }, owner.token);
      const messages: string[] = [];
      socket.on('message', (data) => messages.push(String(data)));
      if (socket.readyState !== WebSocket.OPEN) await new Promise((resolve) => socket.once('open', resolve));
      socket.send(JSON.stringify({ type: 'connection_init' }));
      await waitFor(() => messages.some((m) => m.includes('connection_ack')), 'connection_ack');
      const variables = { ownerId: owner.id, from: '2030-01-08T00:00:00Z', to: '2030-02-07T00:00:00Z' };
      socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: FREE_SLOTS_CHANGED, variables } }));
      await waitFor(() => messages.some((m) => m.includes('"type":"next"')), 'the first list');
      expect(app.app.liveSlots.size).toBe(1);

      // This reader stops reading; every booking sends it a new list, which piles up unsent.
      socket.pause();
      for (let i = 0; i < 60 && app.app.liveSlots.size > 0; i++) {
        const startsAt = new Date(Date.parse('2030-01-08T00:00:00Z') + i * 5 * 60_000).toISOString();
        await app.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt, invitee: { name: 'Grace', email: 'grace@example.com' } } });
        await new Promise((r) => setTimeout(r, 30));
      }
      await waitFor(() => app.app.liveSlots.size === 0, 'the slow subscriber to be dropped');
    } finally {
      socket.terminate();
      await app.close();
    }
  });
});

describe(`closing the app (${testDialect})`, () => {
  test('close() lets an HTTP request in flight finish before it closes the sockets', async () => {
    const app = await startTestApp({ listen: true });
    const owner = await app.createOwner({ timeZone: 'UTC' });
    await app.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-08T09:00:00Z', endsAt: '2030-01-08T12:00:00Z' } }, owner.token);
    const live = liveClient(app.url);
    const events: string[] = [];
    try {
      await watch(live, { ownerId: owner.id, ...RANGE }).nth(1);
      live.client.on('closed', () => events.push('socket closed'));
      // A request whose body is held back: `Expect: 100-continue` puts it on the server's books first.
      const body = JSON.stringify({ query: 'query($id: ID!) { owner(id: $id) { id } }', variables: { id: owner.id } });
      const request = http.request(app.url, { method: 'POST', agent: false, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), expect: '100-continue' } });
      const inFlight = new Promise<void>((resolve) => request.once('continue', () => resolve()));
      const answered = new Promise<number>((resolve, reject) => {
        request.once('error', reject);
        request.once('response', (res) => {
          res.resume();
          res.once('end', () => {
            events.push('HTTP answered');
            resolve(res.statusCode!);
          });
        });
      });
      request.flushHeaders();
      await inFlight;
      const closing = app.close();
      await new Promise((r) => setTimeout(r, 200));
      events.push('body sent');
      request.end(body);
      expect(await answered).toBe(200);
      await closing;
      await waitFor(() => events.includes('socket closed'), 'the socket to close');
      expect(events).toEqual(['body sent', 'HTTP answered', 'socket closed']);
      expect(live.closeCodes).toEqual([1001]);
    } finally {
      await live.dispose();
      await app.close();
    }
  });

  test('close() ends every socket with 1001 and leaves no subscription behind', async () => {
    const app = await startTestApp({ listen: true, subscriptions: { pollIntervalMs: 50 } });
    const owner = await app.createOwner({ timeZone: 'UTC' });
    await app.ok(AddOneTimeWindowDocument, { input: { startsAt: '2030-01-08T09:00:00Z', endsAt: '2030-01-08T12:00:00Z' } }, owner.token);
    const live = liveClient(app.url);
    try {
      await watch(live, { ownerId: owner.id, ...RANGE }).nth(1);
      await app.close();
      await waitFor(() => live.closeCodes.length > 0, 'the socket to close');
      expect(live.closeCodes).toEqual([1001]);
      expect(app.app.liveSlots.size).toBe(0);
    } finally {
      await live.dispose();
    }
  });
});

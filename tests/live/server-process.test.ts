import { startTestApp, type ServedTestApp } from '../support/app';
import { freshDatabaseUrl, testDialect } from '../support/database';
import { dayAhead, spawnServer, waitUntilHealthy, type ServerProcess } from '../support/server-process';
import { discardSharedDatabase } from '../support/shared-database';
import { AddOneTimeWindowDocument, BookSlotDocument, CancelBookingDocument } from '../generated/graphql';
import { liveClient, waitFor, watch, type LiveClient } from './live-client';

// A real server process (dist/main.js, as `npm start` runs it) serves the subscription; the
// changes come from an app in this test's process on the same database. The server reads the
// real clock, so the window lies a year ahead (dayAhead) and the in-process app's clock is now.

const DAY = dayAhead(0);
const at = (hour: number) => `${DAY}T${String(hour).padStart(2, '0')}:00:00.000Z`;

describe(`freeSlotsChanged served by a server process (${testDialect})`, () => {
  let databaseUrl: string;
  let writer: ServedTestApp;
  let server: ServerProcess;
  let live: LiveClient;

  beforeAll(async () => {
    databaseUrl = await freshDatabaseUrl({ shared: true });
    // Migrates the database before the server opens it.
    writer = await startTestApp({ databaseUrl, listen: true, now: new Date() });
    server = await spawnServer('live', databaseUrl, 'silent', { SQLITE_CHANGE_POLL_MS: '50' });
    await waitUntilHealthy(server);
    live = liveClient(server.url);
  });

  afterAll(async () => {
    await live?.dispose();
    if (server && server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
    await server?.exited;
    await writer?.close();
    if (databaseUrl) discardSharedDatabase(databaseUrl);
  });

  test('a booking and its cancellation made through another process reach the subscriber; SIGTERM closes the socket with 1001', async () => {
    const owner = await writer.createOwner({ timeZone: 'UTC' });
    await writer.ok(AddOneTimeWindowDocument, { input: { startsAt: at(9), endsAt: at(12) } }, owner.token);
    const w = watch(live, { ownerId: owner.id, from: `${DAY}T00:00:00Z`, to: `${DAY}T23:00:00Z` });
    expect(await w.nth(1)).toEqual([at(9), at(10), at(11)]);

    const booked = (await writer.ok(BookSlotDocument, { input: { ownerId: owner.id, startsAt: at(10), invitee: { name: 'Grace', email: 'grace@example.com' } } })).bookSlot;
    expect(await w.nth(2)).toEqual([at(9), at(11)]);
    await writer.ok(CancelBookingDocument, { id: booked.booking.id, manageToken: booked.manageToken });
    expect(await w.nth(3)).toEqual([at(9), at(10), at(11)]);

    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    await waitFor(() => live.closeCodes.length > 0, 'the socket to close');
    expect(live.closeCodes).toEqual([1001]);
  });
});

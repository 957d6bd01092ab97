import { setTimeout as sleep } from 'node:timers/promises';
import { v7 as uuidv7 } from 'uuid';
import type { RequestContext } from '../context';
import type { Owner } from '../owner/owner.entity';
import { badInput, forbidden, notFound } from '../../shared/errors';
import { checkWebhookUrl, parseWebhookUrl, UnsafeUrlError } from '../webhook/url-safety';
import { CalendarSourceKind, type CalendarSource } from './calendar-source.entity';
import type { CalendarSourceInput, CalendarSourcePatch } from './calendar-source.inputs';
import type { SourcePatch } from './calendar-source.store';
import { credentialContext } from './calendar-sync';
import type { SecretBox } from './secret-box';

/** What the calendar source module needs of the app around it (made once in createApp). */
export interface CalendarSourceSettings {
  /** CALENDAR_ALLOW_PRIVATE_URLS=true: sources may be private addresses. */
  allowPrivateUrls: boolean;
  secretBox(): Promise<SecretBox>;
  /** The sync job's clock (calendar-sync.ts): what due times and leases are compared with. */
  jobNow(): Date;
  /** Tells this process's outbox to look for due syncs now. */
  wake(): void;
  /** Syncs the source now in this process under a lease of its own; false while another sync holds it. */
  attemptNow(sourceId: string): Promise<boolean>;
  /** How long a sync may hold its lease: the longest syncCalendarSource waits for another process's. */
  leaseMs: number;
}

/** Most sources one owner may have (docs/api.md, Part 3, 30). The migration's trigger (Migration20261207051000) repeats the number. */
export const MAX_SOURCES_PER_OWNER = 10;

const MAX_NAME_LENGTH = 200;
const MAX_CREDENTIAL_LENGTH = 1000;
/** How often syncCalendarSource looks whether another process's sync of the source is over. */
const HELD_POLL_MS = 100;

/** The owner's calendar sources (docs/api.md, Part 3, 28-30): the owner's only. */
export class CalendarSourceService {
  constructor(private readonly ctx: RequestContext) {}

  async sourcesOf(owner: Owner): Promise<CalendarSource[]> {
    await this.ctx.auth.requireOwnerOf(owner.id);
    return this.ctx.stores.calendarSources.sourcesOf(owner.id);
  }

  async addSource(input: CalendarSourceInput): Promise<CalendarSource> {
    const owner = await this.ctx.auth.requireOwner();
    const settings = this.ctx.calendarSources;
    const store = this.ctx.stores.calendarSources;
    const writeBookings = input.writeBookings ?? false;
    if (writeBookings && input.kind !== CalendarSourceKind.CALDAV) throw writeBookingsOnFeed();
    const target = await this.validUrl('input.url', input.url);
    const username = validCredential('input.username', input.username) ?? target.username;
    const password = validCredential('input.password', input.password) ?? target.password;
    const name = validName('input.name', input.name);
    // The count here answers most requests early; the database's trigger decides races.
    if ((await store.countSources(owner.id)) >= MAX_SOURCES_PER_OWNER) throw tooManySources();
    const id = uuidv7();
    // Only credentials need the key (without SECRET_KEY, its first use stores one in the database).
    const box = username !== null || password !== null ? await settings.secretBox() : null;
    const now = settings.jobNow();
    const source = await store.addSource({
      id,
      ownerId: owner.id,
      kind: input.kind,
      url: target.url,
      name,
      usernameSealed: username === null ? null : box!.seal(username, credentialContext(id, 'username')),
      passwordSealed: password === null ? null : box!.seal(password, credentialContext(id, 'password')),
      writeBookings,
      createdAt: this.ctx.now(),
      nextSyncAt: now,
    });
    if (source === 'full') throw tooManySources();
    settings.wake();
    return source;
  }

  async updateSource(id: string, patch: CalendarSourcePatch): Promise<CalendarSource> {
    const source = await this.ownSource(id);
    const settings = this.ctx.calendarSources;
    if (patch.writeBookings && source.kind !== CalendarSourceKind.CALDAV) throw writeBookingsOnFeed();
    const changes: SourcePatch = {};
    let fromUrl: { username: string | null; password: string | null } = { username: null, password: null };
    if (patch.url != null) {
      const target = await this.validUrl('input.url', patch.url);
      changes.url = target.url;
      fromUrl = target;
    }
    if (patch.name != null) changes.name = validName('input.name', patch.name);
    if (patch.writeBookings != null) changes.writeBookings = patch.writeBookings;
    const seal = async (field: 'username' | 'password', given: string | null | undefined, inUrl: string | null): Promise<string | null | undefined> => {
      const plain = given != null ? validCredential(`input.${field}`, given) : inUrl;
      if (given == null && inUrl === null) return undefined;
      return plain === null ? null : (await settings.secretBox()).seal(plain, credentialContext(source.id, field));
    };
    const usernameSealed = await seal('username', patch.username, fromUrl.username);
    const passwordSealed = await seal('password', patch.password, fromUrl.password);
    if (usernameSealed !== undefined) changes.usernameSealed = usernameSealed;
    if (passwordSealed !== undefined) changes.passwordSealed = passwordSealed;
    // What is read changed: sync again from scratch, now.
    const rereads = changes.url !== undefined || usernameSealed !== undefined || passwordSealed !== undefined;
    const updated = await this.ctx.stores.calendarSources.updateSource(source, changes, rereads ? settings.jobNow() : null);
    if (rereads) settings.wake();
    return updated;
  }

  /** Removes the source with its busy intervals; returns its id. Only the calendar's OWNER may (docs/api.md, Part 3, 33). */
  async removeSource(id: string): Promise<string> {
    const source = await this.ownSource(id, { asOwner: true });
    await this.ctx.stores.calendarSources.removeSource(source.owner.id, source.id);
    return source.id;
  }

  /**
   * Syncs the source now and answers it as the sync left it: OK, or FAILING with lastError (not a
   * GraphQL error). While another process's sync holds it, waits for that one and answers its
   * outcome instead of starting a second (docs/api.md, Part 3, 30: one process at a time).
   */
  async syncSource(id: string): Promise<CalendarSource> {
    const source = await this.ownSource(id);
    const settings = this.ctx.calendarSources;
    const store = this.ctx.stores.calendarSources;
    if (!(await settings.attemptNow(source.id))) {
      const giveUpAt = Date.now() + settings.leaseMs;
      while ((await store.heldBy(source.id, settings.jobNow())) !== null && Date.now() < giveUpAt) await sleep(HELD_POLL_MS);
    }
    const synced = await store.reloadSource(source.id);
    if (!synced) throw notFound(`calendar source ${JSON.stringify(id.slice(0, 64))}`);
    return synced;
  }

  private async ownSource(id: string, { asOwner = false } = {}): Promise<CalendarSource> {
    const owner = asOwner ? await this.ctx.auth.requireCalendarOwner() : await this.ctx.auth.requireOwner();
    const source = await this.ctx.stores.calendarSources.findSource(id);
    if (!source) throw notFound(`calendar source ${JSON.stringify(id.slice(0, 64))}`);
    if (source.owner.id !== owner.id) throw forbidden();
    return source;
  }

  /**
   * The URL as stored (WHATWG-normalized, without user:password@) and the credentials it held,
   * or BAD_USER_INPUT naming `field`. The rules are webhooks' (docs/api.md, Part 2, 16).
   */
  private async validUrl(field: string, raw: string): Promise<{ url: string; username: string | null; password: string | null }> {
    try {
      const parsed = parseWebhookUrl(raw);
      const username = parsed.username === '' ? null : decoded(parsed.username);
      const password = parsed.password === '' ? null : decoded(parsed.password);
      parsed.username = '';
      parsed.password = '';
      const url = await checkWebhookUrl(parsed.href, this.ctx.calendarSources.allowPrivateUrls);
      return { url: url.href, username, password };
    } catch (err) {
      if (err instanceof UnsafeUrlError) throw badInput(field, `must be a public http or https URL: ${err.message}`);
      throw err;
    }
  }
}

/** A URL's percent-encoded user or password as typed; left as it is when not valid percent-encoding. */
function decoded(component: string): string {
  try {
    return decodeURIComponent(component);
  } catch {
    return component;
  }
}

function tooManySources() {
  return badInput('input', `an owner has at most ${MAX_SOURCES_PER_OWNER} calendar sources; remove one first`);
}

function writeBookingsOnFeed() {
  return badInput('input.writeBookings', 'only a CALDAV source can have bookings written into it; an ICS feed is read-only');
}

function validName(field: string, raw: string | null | undefined): string | null {
  const name = raw?.trim() ?? '';
  if ([...name].length > MAX_NAME_LENGTH) throw badInput(field, `must be at most ${MAX_NAME_LENGTH} characters`);
  return name === '' ? null : name;
}

function validCredential(field: string, raw: string | null | undefined): string | null {
  if (raw == null || raw === '') return null;
  if ([...raw].length > MAX_CREDENTIAL_LENGTH) throw badInput(field, `must be at most ${MAX_CREDENTIAL_LENGTH} characters`);
  return raw;
}

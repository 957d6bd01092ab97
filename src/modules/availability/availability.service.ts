import type { RequestContext } from '../context';
import { badInput, forbidden, notFound } from '../../shared/errors';
import { requireBefore, requireMinutesOnGrid, requireOnGrid, MAX_RANGE_MS } from '../../shared/grid';
import { lastOccurrenceDate, occursOn, WEEKDAYS, type RecurrenceRule } from '../../scheduling';
import type { Owner } from '../owner/owner.entity';
import type { OccurrenceChange } from './calendar.store';
import { FrequencyEnum, type OneTimeWindow, type RecurringWindow } from './window.entity';
import type { OneTimeWindowInput, RecurringWindowInput, RecurringWindowPatch } from './window.inputs';


/** Owners' availability windows and per-date exceptions: validation, authorization, persistence. */
export class AvailabilityService {
  constructor(private readonly ctx: RequestContext) {}

  async listWindows(owner: Owner): Promise<Array<OneTimeWindow | RecurringWindow>> {
    await this.ctx.auth.requireOwnerOf(owner.id);
    return this.ctx.loaders.windowsByOwnerId.load(owner.id);
  }

  async addOneTimeWindow(input: OneTimeWindowInput): Promise<OneTimeWindow> {
    const owner = await this.ctx.auth.requireOwner();
    requireOnGrid('input.startsAt', input.startsAt);
    requireOnGrid('input.endsAt', input.endsAt);
    requireBefore('input.startsAt', input.startsAt, 'input.endsAt', input.endsAt);
    if (input.endsAt.getTime() - input.startsAt.getTime() > MAX_RANGE_MS) {
      throw badInput('input.endsAt', 'a one-time window may last at most 366 days');
    }
    return this.ctx.stores.calendar.addOneTimeWindow(owner, input.startsAt, input.endsAt);
  }

  async addRecurringWindow(input: RecurringWindowInput): Promise<RecurringWindow> {
    const owner = await this.ctx.auth.requireOwner();
    const rule = validateRule({
      frequency: input.frequency ?? FrequencyEnum.WEEKLY,
      interval: input.interval ?? 1,
      weekdays: input.weekdays ?? [],
      startTime: input.startTime,
      endTime: input.endTime,
      startsOn: input.startsOn,
      endsOn: input.endsOn ?? null,
      count: input.count ?? null,
    });
    return this.ctx.stores.calendar.addRecurringWindow(owner, { ...rule, lastOccursOn: lastOccursOn(rule) });
  }

  async updateRecurringWindow(id: string, patch: RecurringWindowPatch): Promise<RecurringWindow> {
    const window = await this.ownRecurringWindow(id, 'id');
    const current = ruleOf(window);
    const rule = validateRule({
      frequency: patch.frequency ?? current.frequency,
      interval: patch.interval ?? current.interval,
      weekdays: patch.weekdays ?? current.weekdays,
      startTime: patch.startTime ?? current.startTime,
      endTime: patch.endTime ?? current.endTime,
      startsOn: patch.startsOn ?? current.startsOn,
      endsOn: patch.endsOn === undefined ? current.endsOn : patch.endsOn,
      count: patch.count === undefined ? current.count : patch.count,
    });
    await this.ctx.stores.calendar.updateRecurringWindow(window, { ...rule, lastOccursOn: lastOccursOn(rule) });
    return window;
  }

  async removeWindow(id: string): Promise<string> {
    const owner = await this.ctx.auth.requireOwner();
    const calendar = this.ctx.stores.calendar;
    const window = (await calendar.findOneTimeWindow(id)) ?? (await calendar.findRecurringWindow(id));
    if (!window) throw notFound(`window ${JSON.stringify(id.slice(0, 64))}`);
    if (window.owner.id !== owner.id) throw forbidden();
    await calendar.removeWindow(window);
    return id;
  }

  async cancelOccurrence(windowId: string, date: string): Promise<RecurringWindow> {
    return this.setException(windowId, date, { cancelled: true, startsAt: null, endsAt: null });
  }

  async moveOccurrence(windowId: string, date: string, startsAt: Date, endsAt: Date): Promise<RecurringWindow> {
    requireOnGrid('startsAt', startsAt);
    requireOnGrid('endsAt', endsAt);
    requireBefore('startsAt', startsAt, 'endsAt', endsAt);
    if (endsAt.getTime() - startsAt.getTime() > 86_400_000) throw badInput('endsAt', 'a moved occurrence may last at most 24 hours');
    return this.setException(windowId, date, { cancelled: false, startsAt, endsAt });
  }

  async restoreOccurrence(windowId: string, date: string): Promise<RecurringWindow> {
    const window = await this.ownRecurringWindow(windowId, 'windowId');
    requireProducedDate(window, date);
    await this.ctx.stores.calendar.removeException(window, date);
    return window;
  }

  private async setException(
    windowId: string,
    date: string,
    change: OccurrenceChange,
  ): Promise<RecurringWindow> {
    const window = await this.ownRecurringWindow(windowId, 'windowId');
    requireProducedDate(window, date);
    await this.ctx.stores.calendar.setException(window, date, change);
    return window;
  }

  private async ownRecurringWindow(id: string, field: string): Promise<RecurringWindow> {
    const owner = await this.ctx.auth.requireOwner();
    const window = await this.ctx.stores.calendar.findRecurringWindow(id);
    if (!window) {
      if (await this.ctx.stores.calendar.findOneTimeWindow(id)) throw badInput(field, 'must name a recurring window');
      throw notFound(`recurring window ${JSON.stringify(id.slice(0, 64))}`);
    }
    if (window.owner.id !== owner.id) throw forbidden();
    return window;
  }
}

function ruleOf(window: RecurringWindow): RecurrenceRule {
  return {
    frequency: window.frequency,
    interval: window.interval,
    weekdays: window.weekdays,
    startTime: window.startTime,
    endTime: window.endTime,
    startsOn: window.startsOn,
    endsOn: window.endsOn,
    count: window.count,
  };
}

/**
 * The stored bound of a rule. A count can reach past year 9999 (e.g. every 1000 days, 100000 times);
 * no instant the API accepts lies there, so such a rule is stored as unbounded, which keeps the
 * YYYY-MM-DD column comparable as text.
 */
function lastOccursOn(rule: RecurrenceRule): string | null {
  const last = lastOccurrenceDate(rule);
  return last !== null && last.length === 10 ? last : null;
}

function requireProducedDate(window: RecurringWindow, date: string): void {
  const producesDate = occursOn(ruleOf(window), date) && (window.lastOccursOn === null || date <= window.lastOccursOn);
  if (!producesDate) throw badInput('date', `the window does not occur on ${date}`);
}

/** Checks a whole rule (after defaults or a patch are applied) and returns it normalised. */
function validateRule(rule: RecurrenceRule): RecurrenceRule {
  const weekdays = WEEKDAYS.filter((d) => rule.weekdays.includes(d));
  if (rule.frequency === FrequencyEnum.WEEKLY && weekdays.length === 0) {
    throw badInput('input.weekdays', 'a WEEKLY window needs at least one weekday');
  }
  if (rule.frequency === FrequencyEnum.MONTHLY && weekdays.length > 0) {
    throw badInput('input.weekdays', "must be empty for MONTHLY (it repeats on startsOn's day of the month)");
  }
  if (rule.startTime >= 1440) throw badInput('input.startTime', 'must be before 24:00 (a window never crosses midnight)');
  requireMinutesOnGrid('input.startTime', rule.startTime);
  requireMinutesOnGrid('input.endTime', rule.endTime);
  if (rule.endTime <= rule.startTime) {
    throw badInput('input.endTime', 'must be after startTime on the same day (a window never crosses midnight; 24:00 ends the day)');
  }
  if (rule.endsOn !== null && rule.endsOn < rule.startsOn) throw badInput('input.endsOn', 'must not be before startsOn');
  return { ...rule, weekdays };
}

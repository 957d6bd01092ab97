import { useId, useState, type FormEvent } from 'react';
import {
  PageAddTeamMemberDocument,
  PageCreateTeamEventTypeDocument,
  PageRemoveTeamMemberDocument,
  PageUpdateTeamMemberDocument,
  type OwnerTeamFragment,
  type SchedulingType,
} from '../generated/graphql';
import { request } from '../lib/api';
import { Field } from '../components/Field';
import { Alert, Status } from '../components/Messages';
import type { AccountSession } from './account-session';
import type { CalendarChoice } from './AccountCalendars';
import { ConfirmButton } from './ConfirmButton';
import { CopyField } from './CopyField';
import { EVENT_TYPE_INPUTS, EventTypeForm, type EventTypeFields } from './EventTypeForm';
import { absolute } from './Sharing';
import { useFieldErrors } from './use-field-errors';

type Member = OwnerTeamFragment['members'][number];

const SCHEDULING: Record<SchedulingType, string> = { ROUND_ROBIN: 'Round robin', COLLECTIVE: 'Collective' };
const MEMBER_INPUTS = {
  priority: { input: 'priority', label: 'Priority' },
  weight: { input: 'weight', label: 'Weight' },
  calendarId: { input: 'calendar', label: 'Member calendar' },
} as const;

/** A team's page link for one of its event types (docs/api.md, Part 3, 39). */
export function teamBookingPath(teamSlug: string, eventTypeSlug: string): string {
  return `/team/${encodeURIComponent(teamSlug)}/${encodeURIComponent(eventTypeSlug)}`;
}

/**
 * One team of Account.teams: its members (priority and weight), a member to add, its event types
 * and a new one. After each change `onChanged` reads the account's teams again, this one included.
 */
export function TeamPanel({ team, session, calendars, onChanged }: { team: OwnerTeamFragment; session: AccountSession; calendars: readonly CalendarChoice[]; onChanged(): void }) {
  // What the last change did, said once the team has been read again (a new `team` object), so
  // the message and the lists it speaks of appear together.
  const [done, setDone] = useState<{ text: string; before: OwnerTeamFragment } | null>(null);
  const changed = (text: string) => {
    setDone({ text, before: team });
    onChanged();
  };
  const auth = session.self;
  return (
    <article className="team" aria-labelledby={`team-${team.id}`}>
      <h3 id={`team-${team.id}`}>
        {team.name} <span className="hint">/team/{team.slug}</span>
      </h3>
      {done && done.before !== team && <Status>{done.text}</Status>}
      <h4>Members</h4>
      {team.members.length === 0 && <p className="hint">No members yet: add a calendar before an event type.</p>}
      <ul className="plain-list">
        {team.members.map((member) => (
          <MemberRow
            key={member.calendar.id}
            member={member}
            onSave={(priority, weight) => request(PageUpdateTeamMemberDocument, { teamId: team.id, calendarId: member.calendar.id, priority, weight }, { auth })}
            onRemove={() => request(PageRemoveTeamMemberDocument, { teamId: team.id, calendarId: member.calendar.id }, { auth })}
            changed={changed}
          />
        ))}
      </ul>
      <AddMember
        calendars={calendars.filter((c) => !team.members.some((m) => m.calendar.id === c.id))}
        onAdd={(calendarId, priority, weight) => request(PageAddTeamMemberDocument, { teamId: team.id, calendarId, priority, weight }, { auth })}
        changed={changed}
      />
      <h4>Event types</h4>
      {team.eventTypes.length === 0 && <p className="hint">None yet.</p>}
      <ul className="plain-list">
        {team.eventTypes.map((type) => (
          <li key={type.id} className={type.active ? 'event-type' : 'event-type inactive'}>
            <p>
              <strong>{type.title}</strong> · {type.schedulingType ? SCHEDULING[type.schedulingType] : ''} · {type.durations.join(', ')} min{type.active ? '' : ' · hidden'}
            </p>
            {type.active && <CopyField label={`Link to ${type.title}`} value={absolute(teamBookingPath(team.slug, type.slug))} />}
          </li>
        ))}
      </ul>
      <NewTeamEventType teamName={team.name} onCreate={(schedulingType, input) => request(PageCreateTeamEventTypeDocument, { teamId: team.id, schedulingType, input }, { auth })} changed={changed} />
    </article>
  );
}

/** An integer typed in a number input, or null when left empty (the server's default, or kept). */
const whole = (text: string): number | null => (text.trim() === '' ? null : Number(text));

function MemberRow({ member, onSave, onRemove, changed }: { member: Member; onSave(priority: number | null, weight: number | null): Promise<unknown>; onRemove(): Promise<unknown>; changed(text: string): void }) {
  const name = member.calendar.name;
  const [priority, setPriority] = useState(String(member.priority));
  const [weight, setWeight] = useState(String(member.weight));
  const form = useFieldErrors(MEMBER_INPUTS);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (await form.run(() => onSave(whole(priority), whole(weight)))) changed(`${name} saved.`);
  };
  return (
    <li className="team-member">
      <form className="form" onSubmit={(event) => void save(event)} aria-label={`Member ${name}`}>
        <p>
          <strong>{name}</strong>
        </p>
        <div className="row">
          <Field label={`Priority of ${name}`} type="number" value={priority} onChange={setPriority} required hint="0 to 4; higher is booked first." error={form.errorOf('priority')} />
          <Field label={`Weight of ${name}`} type="number" value={weight} onChange={setWeight} required hint="1 to 100; more bookings among equals." error={form.errorOf('weight')} />
        </div>
        {form.problem && <Alert>{form.problem}</Alert>}
        <p className="actions small">
          <button type="submit" disabled={form.busy} aria-label={`Save ${name}`}>
            Save
          </button>
          <ConfirmButton
            label={`Remove ${name}`}
            question={`Remove ${name} from the team? Its bookings stay.`}
            confirm="Yes, remove it"
            danger
            onConfirm={async () => {
              if (await form.run(onRemove)) changed(`${name} removed from the team.`);
            }}
          >
            Remove
          </ConfirmButton>
        </p>
      </form>
    </li>
  );
}

function AddMember({ calendars, onAdd, changed }: { calendars: readonly CalendarChoice[]; onAdd(calendarId: string, priority: number | null, weight: number | null): Promise<unknown>; changed(text: string): void }) {
  const id = useId();
  const [chosen, setChosen] = useState('');
  const [priority, setPriority] = useState('2');
  const [weight, setWeight] = useState('1');
  const form = useFieldErrors(MEMBER_INPUTS);
  const calendarId = calendars.some((c) => c.id === chosen) ? chosen : (calendars[0]?.id ?? '');
  if (calendars.length === 0) return <p className="hint">Every calendar of yours is a member.</p>;
  const add = async (event: FormEvent) => {
    event.preventDefault();
    const name = calendars.find((c) => c.id === calendarId)?.name ?? 'The calendar';
    if (await form.run(() => onAdd(calendarId, whole(priority), whole(weight)))) changed(`${name} added to the team.`);
  };
  const calendarError = form.errorOf('calendar');
  return (
    <form className="form" onSubmit={(event) => void add(event)} aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`} className="visually-hidden">
        Add a member
      </h4>
      <div className="row">
        <div className={calendarError ? 'field field-invalid' : 'field'}>
          <label htmlFor={`${id}-calendar`}>Member calendar</label>
          <select id={`${id}-calendar`} value={calendarId} onChange={(event) => setChosen(event.target.value)} aria-invalid={calendarError ? true : undefined} aria-describedby={calendarError ? `${id}-error` : undefined}>
            {calendars.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          {calendarError && (
            <p id={`${id}-error`} className="field-error">
              {calendarError}
            </p>
          )}
        </div>
        <Field label="Priority" type="number" value={priority} onChange={setPriority} required error={form.errorOf('priority')} />
        <Field label="Weight" type="number" value={weight} onChange={setWeight} required error={form.errorOf('weight')} />
      </div>
      {form.problem && <Alert>{form.problem}</Alert>}
      <button type="submit" className="primary" disabled={form.busy}>
        Add member
      </button>
    </form>
  );
}

/** The event type form of the owner's own types, with the team's scheduling type above it. */
function NewTeamEventType({ teamName, onCreate, changed }: { teamName: string; onCreate(schedulingType: SchedulingType, input: EventTypeFields): Promise<unknown>; changed(text: string): void }) {
  const id = useId();
  const [scheduling, setScheduling] = useState<SchedulingType>('ROUND_ROBIN');
  const form = useFieldErrors(EVENT_TYPE_INPUTS);
  return (
    <EventTypeForm
      heading={`Add an event type to ${teamName}`}
      submitLabel="Add team event type"
      blankDurations="60"
      errorOf={form.errorOf}
      problem={form.problem && <Alert>{form.problem}</Alert>}
      lead={
        <fieldset className="segmented">
          <legend>Scheduling</legend>
          {(Object.keys(SCHEDULING) as SchedulingType[]).map((type) => (
            <label key={type}>
              <input type="radio" name={`${id}-scheduling`} value={type} checked={scheduling === type} onChange={() => setScheduling(type)} />
              <span>{SCHEDULING[type]}</span>
            </label>
          ))}
        </fieldset>
      }
      onSubmit={async (input) => {
        const created = await form.run(() => onCreate(scheduling, input));
        if (created) changed(`Event type ${input.title} added to ${teamName}.`);
        return created;
      }}
    />
  );
}

import { useId, useState, type FormEvent, type ReactNode } from 'react';
import type { EventTypeInput } from '../generated/graphql';
import { Field } from '../components/Field';

/** What the form edits: EventTypeInput's title, slug, description, durations, step and policies. */
export type EventTypeFields = Pick<
  EventTypeInput,
  'title' | 'slug' | 'description' | 'durations' | 'slotStepMinutes' | 'minNoticeMinutes' | 'bufferBeforeMinutes' | 'bufferAfterMinutes' | 'minCancelNoticeMinutes' | 'horizonDays' | 'maxBookingsPerDay'
>;

interface Props {
  /** The event type being edited; none: a new one. */
  initial?: EventTypeFields;
  submitLabel: string;
  /** Resolves whether it was saved; a new one's form then empties. */
  onSubmit(fields: EventTypeFields): Promise<boolean>;
  /** A new one's heading; default "Add an event type". */
  heading?: string;
  /** A new one's durations until edited; default "30". */
  blankDurations?: string;
  /** Controls above the title (a team's scheduling type). */
  lead?: ReactNode;
  /** The server's refusal of one input, said beside it (docs/api.md: extensions.field). */
  errorOf?(input: EventTypeInputName): string | null;
  /** Under the button: a refusal that names no input. */
  problem?: ReactNode;
}

/** The inputs a refusal may name, by the end of its extensions.field. */
export type EventTypeInputName = 'title' | 'slug' | 'durations';
export const EVENT_TYPE_INPUTS = {
  title: { input: 'title', label: 'Title' },
  slug: { input: 'slug', label: 'Link name' },
  durations: { input: 'durations', label: 'Durations' },
  defaultDuration: { input: 'durations', label: 'Default duration' },
} as const;

const text = (value: number | null | undefined) => (value == null ? '' : String(value));
const slugOf = (title: string) => title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60);

/** An event type's title, link name, lengths and booking policies; the server checks every rule. */
export function EventTypeForm({ initial, submitLabel, onSubmit, heading = 'Add an event type', blankDurations = '30', lead, errorOf = () => null, problem }: Props) {
  const blank = {
    title: initial?.title ?? '',
    slug: initial?.slug ?? '',
    description: initial?.description ?? '',
    durations: initial?.durations?.join(', ') ?? blankDurations,
    step: text(initial?.slotStepMinutes),
    minNotice: text(initial?.minNoticeMinutes ?? 0),
    bufferBefore: text(initial?.bufferBeforeMinutes ?? 0),
    bufferAfter: text(initial?.bufferAfterMinutes ?? 0),
    cancelNotice: text(initial?.minCancelNoticeMinutes ?? 0),
    horizon: text(initial?.horizonDays),
    perDay: text(initial?.maxBookingsPerDay),
  };
  const [values, setValues] = useState(blank);
  const [slugTouched, setSlugTouched] = useState(Boolean(initial));
  const id = useId();
  const set = (key: keyof typeof blank) => (value: string) => setValues((v) => ({ ...v, [key]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const optional = (value: string) => (value.trim() === '' ? null : Number(value));
    const saved = await onSubmit({
      title: values.title.trim(),
      slug: values.slug.trim(),
      // Emptied, the description is cleared (null), as EventTypePatch reads it.
      description: values.description.trim() === '' ? null : values.description.trim(),
      durations: values.durations.split(/[\s,]+/).filter(Boolean).map(Number),
      slotStepMinutes: optional(values.step),
      minNoticeMinutes: Number(values.minNotice || 0),
      bufferBeforeMinutes: Number(values.bufferBefore || 0),
      bufferAfterMinutes: Number(values.bufferAfter || 0),
      minCancelNoticeMinutes: Number(values.cancelNotice || 0),
      horizonDays: optional(values.horizon),
      maxBookingsPerDay: optional(values.perDay),
    });
    if (saved && !initial) {
      setValues(blank);
      setSlugTouched(false);
    }
  };

  return (
    <form className="form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{initial ? `Edit ${initial.title}` : heading}</h3>
      {lead}
      <Field
        label="Title"
        value={values.title}
        onChange={(title) => setValues((v) => ({ ...v, title, slug: slugTouched ? v.slug : slugOf(title) }))}
        required
        maxLength={200}
        error={errorOf('title')}
      />
      <Field
        label="Link name"
        value={values.slug}
        onChange={(slug) => {
          setSlugTouched(true);
          set('slug')(slug);
        }}
        required
        pattern="[a-z0-9]([a-z0-9\-]*[a-z0-9])?"
        maxLength={60}
        hint="Lower-case letters, digits and dashes."
        error={errorOf('slug')}
      />
      <div className="field">
        <label htmlFor={`${id}-description`}>Description</label>
        <textarea id={`${id}-description`} value={values.description} onChange={(event) => set('description')(event.target.value)} maxLength={2000} rows={3} aria-describedby={`${id}-description-hint`} />
        <p id={`${id}-description-hint`} className="hint">
          Shown to invitees on the booking page. Optional.
        </p>
      </div>
      <div className="row">
        <Field label="Durations (minutes)" value={values.durations} onChange={set('durations')} required inputMode="numeric" hint="One or more, separated by commas, e.g. 30, 60." error={errorOf('durations')} />
        <Field label="Start times every (minutes)" type="number" min={5} max={1440} step={5} value={values.step} onChange={set('step')} hint="Empty: every slot's own length." />
      </div>
      <details className="more">
        <summary>Booking rules</summary>
        <div className="row">
          <Field label="Minimum notice (minutes)" type="number" min={0} value={values.minNotice} onChange={set('minNotice')} />
          <Field label="Cancel notice (minutes)" type="number" min={0} value={values.cancelNotice} onChange={set('cancelNotice')} />
        </div>
        <div className="row">
          <Field label="Buffer before (minutes)" type="number" min={0} step={5} value={values.bufferBefore} onChange={set('bufferBefore')} />
          <Field label="Buffer after (minutes)" type="number" min={0} step={5} value={values.bufferAfter} onChange={set('bufferAfter')} />
        </div>
        <div className="row">
          <Field label="Days ahead" type="number" min={1} value={values.horizon} onChange={set('horizon')} hint="Empty: no limit." />
          <Field label="Most per day" type="number" min={1} value={values.perDay} onChange={set('perDay')} hint="Empty: no limit." />
        </div>
      </details>
      {problem}
      <button type="submit" className="primary">
        {submitLabel}
      </button>
    </form>
  );
}

import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { PageBookSlotDocument, type PageBookSlotMutation } from '../generated/graphql';
import { ApiError, explain, fieldProblem, newAttemptKey, request } from '../lib/api';
import { formats } from '../lib/time';
import { Field } from './Field';
import { Alert } from './Messages';

type Input = 'name' | 'email';

/** Where the server's BAD_USER_INPUT fields land on this form. */
const INPUTS = {
  'invitee.name': { input: 'name', label: 'Name' },
  'invitee.email': { input: 'email', label: 'Email' },
} as const satisfies Record<string, { input: Input; label: string }>;

interface Props {
  ownerId: string;
  eventTypeId: string | null;
  duration: number | null;
  startsAt: string;
  length: number;
  zone: string;
  onBooked(payload: PageBookSlotMutation['bookSlot']): void;
  /** The slot was taken meanwhile: the picker says so and reads the slots again. */
  onTaken(): void;
  /** Back to the chosen day's times, the chosen time dropped (choosing one opens this form). */
  onBack(): void;
}

/** The last step: name and e-mail for the chosen time, then Book (docs/api.md Part 2, 20). */
export function BookingForm({ ownerId, eventTypeId, duration, startsAt, length, zone, onBooked, onTaken, onBack }: Props) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [invalid, setInvalid] = useState<Partial<Record<Input, string>>>({});
  // One key per attempt: a retry of the same request (double click, lost answer) reuses it and
  // the server answers the first booking again; any change makes it another attempt.
  const attemptKey = useMemo(() => newAttemptKey(), [ownerId, eventTypeId, duration, startsAt, name, email]);
  const inFlight = useRef(false);
  const inputs = { name: useRef<HTMLInputElement>(null), email: useRef<HTMLInputElement>(null) };
  const section = useRef<HTMLElement>(null);
  // The times the focus was on are gone: start typing at once. On a phone the form may start
  // below the fold: bring it up.
  useEffect(() => {
    inputs.name.current?.focus({ preventScroll: true });
    // A block, not an arrow's value: Chromium's scrollIntoView now returns a promise, and React
    // would call whatever an effect returns as its clean-up.
    void section.current?.scrollIntoView({ block: 'nearest' });
  }, []);
  const endsAt = new Date(Date.parse(startsAt) + length * 60_000).toISOString();

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (inFlight.current) return;
    inFlight.current = true;
    setSending(true);
    setProblem(null);
    setInvalid({});
    try {
      const data = await request(PageBookSlotDocument, {
        input: { ownerId, eventTypeId, duration, startsAt, invitee: { name: name.trim(), email: email.trim() }, idempotencyKey: attemptKey },
      });
      onBooked(data.bookSlot);
    } catch (error) {
      const onField = fieldProblem(error, INPUTS);
      if (onField) {
        setInvalid({ [onField.input]: onField.message });
        inputs[onField.input].current?.focus();
      } else if (error instanceof ApiError && error.code === 'SLOT_UNAVAILABLE') onTaken();
      else setProblem(explain(error));
    } finally {
      inFlight.current = false;
      setSending(false);
    }
  }

  const edit = (input: Input, set: (value: string) => void) => (value: string) => {
    set(value);
    setInvalid((current) => ({ ...current, [input]: undefined }));
  };

  return (
    <section className="panel details-panel" aria-labelledby="details-title" ref={section}>
      <button type="button" className="link-button back" onClick={onBack}>
        <span aria-hidden="true" className="back-arrow">←</span>Back to the times
      </button>
      <h2 id="details-title">Your details</h2>
      {/* The time itself is in the host card beside the form; said here only to screen readers. */}
      <p className="visually-hidden">{formats.range(startsAt, endsAt, zone)}</p>
      <form onSubmit={submit} className="form">
        <Field label="Name" ref={inputs.name} value={name} onChange={edit('name', setName)} error={invalid.name} autoComplete="name" required maxLength={200} />
        <Field label="Email" ref={inputs.email} type="email" value={email} onChange={edit('email', setEmail)} error={invalid.email} autoComplete="email" required maxLength={320} />
        {problem && <Alert>{problem}</Alert>}
        <button type="submit" className="primary" disabled={sending}>
          {sending ? 'Booking…' : 'Book'}
        </button>
      </form>
    </section>
  );
}

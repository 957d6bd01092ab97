import { useState, type FormEvent } from 'react';
import { PageRotateOwnerTokenDocument, PageUpdateOwnerDocument, type OwnerProfileQuery } from '../generated/graphql';
import { request } from '../lib/api';
import { Field } from '../components/Field';
import { TimeZoneSelect } from '../components/TimeZoneSelect';
import { ConfirmButton } from './ConfirmButton';
import type { OwnerAction } from './action';

type Owner = Pick<OwnerProfileQuery['me'], 'name' | 'timeZone' | 'slotMinutes' | 'email'>;

/** The owner's own settings (updateOwner) and the owner token (rotateOwnerToken). */
export function Settings({ owner, act, onRotated }: { owner: Owner; act: OwnerAction; onRotated(token: string): void }) {
  const [name, setName] = useState(owner.name);
  const [zone, setZone] = useState(owner.timeZone);
  const [slotMinutes, setSlotMinutes] = useState(String(owner.slotMinutes));
  const [email, setEmail] = useState(owner.email ?? '');
  const save = (event: FormEvent) => {
    event.preventDefault();
    void act(
      (auth) => request(PageUpdateOwnerDocument, { input: { name: name.trim(), timeZone: zone, slotMinutes: Number(slotMinutes), email: email.trim() } }, { auth }),
      'Settings saved.',
    );
  };
  const rotate = async () => {
    let next: string | null = null;
    await act(async (auth) => {
      next = (await request(PageRotateOwnerTokenDocument, {}, { auth })).rotateOwnerToken.token;
    }, 'New owner token made.');
    if (next) onRotated(next);
  };
  return (
    <section className="panel" aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <form className="form" onSubmit={save}>
        <Field label="Name" value={name} onChange={setName} required maxLength={200} autoComplete="name" hint="Shown on your booking pages." />
        <TimeZoneSelect value={zone} onChange={setZone} label="Your time zone" />
        <p className="hint">Your weekly windows follow the new zone's clock; bookings keep their times.</p>
        <Field label="Slot length (minutes)" type="number" min={5} max={1440} step={5} value={slotMinutes} onChange={setSlotMinutes} required hint="For booking pages without an event type." />
        <Field label="Email for booking notices" type="email" value={email} onChange={setEmail} maxLength={254} autoComplete="email" hint="New, moved and cancelled bookings are emailed here; empty: none." />
        <button type="submit" className="primary">
          Save settings
        </button>
      </form>
      <h3 className="subhead">Owner token</h3>
      <p className="hint">
        A new token signs out every other browser and script using the old one. Your calendar feed URL keeps working: make a new one under Sharing to revoke it too.
      </p>
      <ConfirmButton
        question="Make a new owner token? The current one stops working at once."
        confirm="Yes, make a new token"
        keep="Keep the current one"
        onConfirm={rotate}
        danger
      >
        New owner token
      </ConfirmButton>
    </section>
  );
}

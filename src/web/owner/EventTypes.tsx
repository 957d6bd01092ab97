import { useState, type FormEvent } from 'react';
import { PageCreateEventTypeDocument, PageUpdateEventTypeDocument, type OwnerProfileQuery } from '../generated/graphql';
import { request } from '../lib/api';
import { Field } from '../components/Field';
import type { OwnerAction } from './action';

type EventType = OwnerProfileQuery['me']['eventTypes'][number];

/** The owner's event types: their booking links, on and off, and a form to add one. */
export function EventTypes({ ownerId, eventTypes, act }: { ownerId: string; eventTypes: readonly EventType[]; act: OwnerAction }) {
  const [title, setTitle] = useState('');
  const [slug, setSlug] = useState('');
  const [durations, setDurations] = useState('30');
  const create = (event: FormEvent) => {
    event.preventDefault();
    const minutes = durations.split(/[\s,]+/).filter(Boolean).map(Number);
    void act((token) => request(PageCreateEventTypeDocument, { input: { title: title.trim(), slug: slug.trim(), durations: minutes } }, { token }), `Event type ${title.trim()} added.`).then((ok) => {
      if (ok) {
        setTitle('');
        setSlug('');
      }
    });
  };
  return (
    <section className="panel" aria-labelledby="types-title">
      <h2 id="types-title">Event types</h2>
      {eventTypes.length === 0 && <p className="hint">None yet: invitees book slots of your default length.</p>}
      <ul className="plain-list">
        {eventTypes.map((type) => {
          const link = `/book/${encodeURIComponent(ownerId)}/${encodeURIComponent(type.slug)}`;
          return (
            <li key={type.id} className={type.active ? '' : 'inactive'}>
              <p>
                <strong>{type.title}</strong> · {type.durations.join(', ')} min {type.active ? '' : '· hidden'}
              </p>
              <p className="actions small">
                <a href={link}>{link}</a>
                <button
                  type="button"
                  aria-label={`${type.active ? 'Hide' : 'Show'} ${type.title}`}
                  onClick={() => act((token) => request(PageUpdateEventTypeDocument, { id: type.id, input: { active: !type.active } }, { token }), `${type.title} is ${type.active ? 'hidden' : 'bookable'} now.`)}
                >
                  {type.active ? 'Hide' : 'Show'}
                </button>
              </p>
            </li>
          );
        })}
      </ul>
      <form className="form" onSubmit={create} aria-labelledby="new-type-title">
        <h3 id="new-type-title">Add an event type</h3>
        <Field label="Title" value={title} onChange={(value) => { setTitle(value); setSlug(value.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60)); }} required maxLength={200} />
        <Field label="Link name" value={slug} onChange={setSlug} required pattern="[a-z0-9]([a-z0-9\-]*[a-z0-9])?" maxLength={60} hint="Lower-case letters, digits and dashes." />
        <Field label="Durations (minutes)" value={durations} onChange={setDurations} required inputMode="numeric" hint="One or more, separated by commas, e.g. 30, 60." />
        <button type="submit" className="primary">
          Add event type
        </button>
      </form>
    </section>
  );
}

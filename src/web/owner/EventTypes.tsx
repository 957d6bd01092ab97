import { useState } from 'react';
import { PageCreateEventTypeDocument, PageUpdateEventTypeDocument, type OwnerProfileQuery } from '../generated/graphql';
import { request } from '../lib/api';
import { EventTypeForm } from './EventTypeForm';
import type { OwnerAction } from './action';

type EventType = OwnerProfileQuery['me']['eventTypes'][number];

/** The owner's event types: their booking links, their rules, on and off, and a form to add one. */
export function EventTypes({ ownerId, eventTypes, act }: { ownerId: string; eventTypes: readonly EventType[]; act: OwnerAction }) {
  const [editing, setEditing] = useState<string | null>(null);
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
                <button type="button" aria-expanded={editing === type.id} aria-label={`Edit ${type.title}`} onClick={() => setEditing(editing === type.id ? null : type.id)}>
                  Edit
                </button>
                <button
                  type="button"
                  aria-label={`${type.active ? 'Hide' : 'Show'} ${type.title}`}
                  onClick={() => act((token) => request(PageUpdateEventTypeDocument, { id: type.id, input: { active: !type.active } }, { token }), `${type.title} is ${type.active ? 'hidden' : 'bookable'} now.`)}
                >
                  {type.active ? 'Hide' : 'Show'}
                </button>
              </p>
              {editing === type.id && (
                <EventTypeForm
                  initial={type}
                  submitLabel="Save"
                  onSubmit={async (input) => {
                    const saved = await act((token) => request(PageUpdateEventTypeDocument, { id: type.id, input }, { token }), `${input.title} saved.`);
                    if (saved) setEditing(null);
                    return saved;
                  }}
                />
              )}
            </li>
          );
        })}
      </ul>
      <EventTypeForm submitLabel="Add event type" onSubmit={(input) => act((token) => request(PageCreateEventTypeDocument, { input }, { token }), `Event type ${input.title} added.`)} />
    </section>
  );
}

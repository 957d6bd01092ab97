import { useState } from 'react';
import { PageCreateEventTypeDocument, PageUpdateEventTypeDocument, type OwnerProfileQuery } from '../generated/graphql';
import { request } from '../lib/api';
import { EventTypeForm } from './EventTypeForm';
import { ConfirmButton } from './ConfirmButton';
import { CopyField } from './CopyField';
import { absolute } from './Sharing';
import type { OwnerAction } from './action';

type EventType = OwnerProfileQuery['me']['eventTypes'][number];

/**
 * The owner's event types: their booking links, their rules, on and off, and a form to add one.
 * The API deletes none (bookings keep pointing at theirs): hiding one (`active: false`,
 * docs/api.md Part 2) takes it off the booking pages, and it asks first.
 */
export function EventTypes({ ownerId, eventTypes, act }: { ownerId: string; eventTypes: readonly EventType[]; act: OwnerAction }) {
  const [editing, setEditing] = useState<string | null>(null);
  const setActive = (type: EventType, active: boolean) =>
    act((auth) => request(PageUpdateEventTypeDocument, { id: type.id, input: { active } }, { auth }), `${type.title} is ${active ? 'bookable' : 'hidden'} now.`);
  return (
    <section className="panel" aria-labelledby="types-title">
      <h2 id="types-title">Event types</h2>
      {eventTypes.length === 0 && <p className="hint">None yet: invitees book slots of your default length.</p>}
      <ul className="plain-list">
        {eventTypes.map((type) => {
          const link = absolute(`/book/${encodeURIComponent(ownerId)}/${encodeURIComponent(type.slug)}`);
          return (
            <li key={type.id} className={type.active ? 'event-type' : 'event-type inactive'}>
              <p>
                <strong>{type.title}</strong> · {type.durations.join(', ')} min{type.slotStepMinutes ? ` · starts every ${type.slotStepMinutes} min` : ''}
                {type.active ? '' : ' · hidden'}
              </p>
              {type.description && <p className="hint description">{type.description}</p>}
              {type.active && <CopyField label={`Link to ${type.title}`} value={link} />}
              <p className="actions small">
                <button type="button" aria-expanded={editing === type.id} aria-label={`Edit ${type.title}`} onClick={() => setEditing(editing === type.id ? null : type.id)}>
                  Edit
                </button>
                {type.active ? (
                  <ConfirmButton
                    label={`Hide ${type.title}`}
                    question={`Hide ${type.title}? Its link stops offering times; existing bookings stay. You can show it again.`}
                    confirm="Yes, hide it"
                    keep="Keep it"
                    danger
                    onConfirm={() => setActive(type, false)}
                  >
                    Hide
                  </ConfirmButton>
                ) : (
                  <button type="button" aria-label={`Show ${type.title}`} onClick={() => setActive(type, true)}>
                    Show
                  </button>
                )}
              </p>
              {editing === type.id && (
                <EventTypeForm
                  initial={type}
                  submitLabel="Save"
                  onSubmit={async (input) => {
                    const saved = await act((auth) => request(PageUpdateEventTypeDocument, { id: type.id, input }, { auth }), `${input.title} saved.`);
                    if (saved) setEditing(null);
                    return saved;
                  }}
                />
              )}
            </li>
          );
        })}
      </ul>
      <EventTypeForm submitLabel="Add event type" onSubmit={(input) => act((auth) => request(PageCreateEventTypeDocument, { input }, { auth }), `Event type ${input.title} added.`)} />
    </section>
  );
}

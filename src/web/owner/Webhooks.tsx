import { useId, useState, type FormEvent } from 'react';
import {
  OwnerWebhooksDocument,
  PageAddWebhookEndpointDocument,
  PageRedeliverWebhookDocument,
  PageRemoveWebhookEndpointDocument,
  PageUpdateWebhookEndpointDocument,
  type OwnerWebhooksQuery,
  type WebhookEvent,
} from '../generated/graphql';
import { explain, request, type OwnerAuth } from '../lib/api';
import { useLoad } from '../lib/use-query';
import { formats, localDateOf } from '../lib/time';
import { Field } from '../components/Field';
import { Alert } from '../components/Messages';
import { ConfirmButton } from './ConfirmButton';
import type { ShownOnce } from './SavedItCard';
import type { OwnerAction } from './action';

type Endpoint = OwnerWebhooksQuery['me']['webhookEndpoints'][number];
type Delivery = Endpoint['deliveries']['edges'][number]['node'];

const EVENTS: { event: WebhookEvent; label: string }[] = [
  { event: 'BOOKING_CREATED', label: 'Booked' },
  { event: 'BOOKING_RESCHEDULED', label: 'Rescheduled' },
  { event: 'BOOKING_CANCELLED', label: 'Cancelled' },
  { event: 'BOOKING_COMPLETED', label: 'Completed' },
];
const eventLabel = (event: WebhookEvent) => EVENTS.find((e) => e.event === event)?.label ?? event;

interface Props {
  auth: OwnerAuth;
  zone: string;
  version: number;
  act: OwnerAction;
  showSecret(secret: ShownOnce): void;
}

/** Webhook endpoints (docs/api.md Part 2, 14-16): add, switch off and on, remove, and their deliveries. */
export function Webhooks({ auth, zone, version, act, showSecret }: Props) {
  const [refreshed, setRefreshed] = useState(0);
  const hooks = useLoad(`${version}#${refreshed}`, () => request(OwnerWebhooksDocument, {}, { auth }));
  const endpoints = hooks.data?.me.webhookEndpoints;
  return (
    <section className="panel" aria-labelledby="webhooks-title">
      <div className="panel-head">
        <h2 id="webhooks-title">Webhooks</h2>
        <button type="button" onClick={() => setRefreshed((n) => n + 1)} disabled={hooks.loading}>
          Refresh deliveries
        </button>
      </div>
      <p className="hint">Slotbook POSTs each booking change to your URLs, signed with the endpoint's secret (Standard Webhooks).</p>
      {hooks.error != null && <Alert>{explain(hooks.error)}</Alert>}
      {endpoints?.length === 0 && <p className="hint">No endpoints yet.</p>}
      <ul className="plain-list" aria-busy={hooks.loading}>
        {endpoints?.map((endpoint) => <EndpointItem key={endpoint.id} endpoint={endpoint} zone={zone} act={act} />)}
      </ul>
      <AddEndpoint act={act} showSecret={showSecret} />
    </section>
  );
}

function EndpointItem({ endpoint, zone, act }: { endpoint: Endpoint; zone: string; act: OwnerAction }) {
  const deliveries = endpoint.deliveries.edges.map((edge) => edge.node);
  return (
    <li className={endpoint.active ? 'endpoint' : 'endpoint inactive'}>
      <p className="endpoint-url" title={endpoint.url}>
        <strong>{endpoint.url}</strong>
      </p>
      <p className="hint">
        {endpoint.events.map(eventLabel).join(', ')} · {endpoint.active ? 'active' : 'paused'}
      </p>
      <p className="actions small">
        <button
          type="button"
          aria-label={`${endpoint.active ? 'Pause' : 'Resume'} ${endpoint.url}`}
          onClick={() => act((auth) => request(PageUpdateWebhookEndpointDocument, { id: endpoint.id, input: { active: !endpoint.active } }, { auth }), endpoint.active ? 'Endpoint paused.' : 'Endpoint resumed.')}
        >
          {endpoint.active ? 'Pause' : 'Resume'}
        </button>
        <ConfirmButton
          label={`Remove ${endpoint.url}`}
          question="Remove this endpoint? Its deliveries, pending ones too, go with it."
          confirm="Yes, remove it"
          keep="Keep it"
          danger
          onConfirm={() => act((auth) => request(PageRemoveWebhookEndpointDocument, { id: endpoint.id }, { auth }), 'Endpoint removed.')}
        >
          Remove
        </ConfirmButton>
      </p>
      {deliveries.length === 0 ? (
        <p className="hint">No deliveries yet.</p>
      ) : (
        <div className="table-scroll">
          <table className="deliveries">
            <caption className="visually-hidden">Latest deliveries to {endpoint.url}</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last answer</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries.map((delivery) => (
                <DeliveryRow key={delivery.id} delivery={delivery} zone={zone} act={act} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </li>
  );
}

function DeliveryRow({ delivery, zone, act }: { delivery: Delivery; zone: string; act: OwnerAction }) {
  const when = `${formats.shortDate(localDateOf(delivery.createdAt, zone))} ${formats.time(delivery.createdAt, zone)}`;
  return (
    <tr data-delivery={delivery.id} data-status={delivery.status}>
      <td>
        {eventLabel(delivery.event)}
        <span className="hint"> · {when}</span>
      </td>
      <td>
        <span className={`badge badge-${delivery.status.toLowerCase()}`}>{delivery.status.toLowerCase()}</span>
      </td>
      <td>{delivery.attempts}</td>
      <td className="delivery-error">{delivery.lastError ?? (delivery.lastResponseStatus ? `HTTP ${delivery.lastResponseStatus}` : '—')}</td>
      <td>
        <button type="button" className="link-button" onClick={() => act((auth) => request(PageRedeliverWebhookDocument, { deliveryId: delivery.id }, { auth }), 'Delivery sent again.')}>
          Redeliver
        </button>
      </td>
    </tr>
  );
}

function AddEndpoint({ act, showSecret }: { act: OwnerAction; showSecret(secret: ShownOnce): void }) {
  const id = useId();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEvent[]>(EVENTS.map((e) => e.event));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    let secret: string | null = null;
    const added = await act(async (auth) => {
      secret = (await request(PageAddWebhookEndpointDocument, { input: { url: url.trim(), events } }, { auth })).addWebhookEndpoint.secret;
    }, 'Endpoint added.');
    if (added && secret) {
      setUrl('');
      showSecret({
        title: 'Save the endpoint\'s signing secret',
        text: `Deliveries to ${url.trim()} are signed with this secret: your receiver checks each one's webhook-signature header with it.`,
        label: 'Signing secret',
        value: secret,
      });
    }
  };
  const toggle = (event: WebhookEvent) => setEvents((list) => (list.includes(event) ? list.filter((e) => e !== event) : EVENTS.map((e) => e.event).filter((e) => e === event || list.includes(e))));
  return (
    <form className="form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Add an endpoint</h3>
      <Field label="Endpoint URL" type="url" value={url} onChange={setUrl} required maxLength={2048} placeholder="https://example.com/slotbook" />
      <fieldset className="choice">
        <legend>Send</legend>
        {EVENTS.map(({ event, label }) => (
          <label key={event}>
            <input type="checkbox" checked={events.includes(event)} onChange={() => toggle(event)} />
            {label}
          </label>
        ))}
      </fieldset>
      <button type="submit" className="primary" disabled={events.length === 0}>
        Add endpoint
      </button>
    </form>
  );
}

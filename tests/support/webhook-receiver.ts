import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { pollUntil } from './poll';

/** One POST a receiver got. */
export interface ReceivedWebhook {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  headers: http.IncomingHttpHeaders;
}

/** A webhook receiver on 127.0.0.1: records every request and answers what `respond` says (200 by default). */
export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** The status to answer the n-th request (counting from 0) with, or 'hang' to never answer it. */
  respond: (request: ReceivedWebhook, n: number) => number | 'hang';
  /** Waits until `predicate` holds of what was received; fails after `ms` with what was received. */
  waitFor(predicate: (received: ReceivedWebhook[]) => boolean, ms?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(respond: WebhookReceiver['respond'] = () => 200): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const receiver = { received, respond } as WebhookReceiver;
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => { body += chunk; });
    req.on('end', () => {
      const request: ReceivedWebhook = {
        id: String(req.headers['webhook-id']),
        timestamp: String(req.headers['webhook-timestamp']),
        signature: String(req.headers['webhook-signature']),
        body,
        headers: req.headers,
      };
      const n = received.length;
      received.push(request);
      const status = receiver.respond(request, n);
      if (status !== 'hang') res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  receiver.waitFor = async (predicate, ms = 10_000) => {
    await pollUntil(() => received, predicate, (got) => `what the test expects at the receiver; it got ${JSON.stringify(got.map((r) => ({ id: r.id, body: r.body })), null, 2)}`, { ms, everyMs: 25 });
  };
  receiver.close = () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); });
  return receiver;
}

/** The body of a delivery, verified with the `standardwebhooks` package against `secret`: throws on a bad signature. */
export function verified<T = WebhookBody>(secret: string, request: ReceivedWebhook): T {
  return new Webhook(secret).verify(request.body, {
    'webhook-id': request.id,
    'webhook-timestamp': request.timestamp,
    'webhook-signature': request.signature,
  }) as T;
}

export interface WebhookBody {
  type: string;
  timestamp: string;
  data: {
    booking: {
      id: string;
      ownerId: string;
      eventTypeId: string | null;
      startsAt: string;
      endsAt: string;
      status: string;
      invitee: { name: string; email: string };
      createdAt: string;
    };
    previous?: { startsAt: string; endsAt: string };
  };
}

import { once } from 'node:events';
import net from 'node:net';
import { startTestApp, type TestApp } from './support/app';

// App.close() drains HTTP: in-flight requests finish, then every connection ends. A keep-alive
// client that never hangs up by itself (here: a socket that stays half-open after the server's
// FIN, as pooled clients may) must not hold the shutdown until the keep-alive timeout.

const clients: net.Socket[] = [];

/** A keep-alive connection that never ends its side: only the server can close it. `ended`: the server's FIN came. */
async function stubbornClient(port: number): Promise<{ socket: net.Socket; ended: Promise<unknown> }> {
  const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  clients.push(socket);
  const ended = once(socket, 'end');
  await once(socket, 'connect');
  return { socket, ended };
}

/** Reads one HTTP/1.1 response (they all carry Content-Length) from the socket. */
function nextResponse(socket: net.Socket): Promise<{ status: number; headers: string; body: string }> {
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const headerEnd = received.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const headers = received.subarray(0, headerEnd).toString('latin1');
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(headers)?.[1] ?? NaN);
      if (received.length < headerEnd + 4 + length) return;
      socket.off('data', onData);
      resolve({ status: Number(headers.split(' ')[1]), headers, body: received.subarray(headerEnd + 4).toString('utf8') });
    };
    socket.on('data', onData);
    socket.once('error', reject);
  });
}

let t: TestApp | undefined;
afterEach(async () => {
  jest.restoreAllMocks();
  for (const socket of clients.splice(0)) socket.destroy();
  await t?.close();
  t = undefined;
});

test('close() ends idle keep-alive connections, also those whose request finished during the drain, without waiting for the clients', async () => {
  t = await startTestApp();
  const { app } = t;
  // Without a keep-alive timeout nothing but close() can end an idle connection, so a close()
  // that waited for the clients would never resolve. (Node's default of 5 s was the wait users saw.)
  app.httpServer.keepAliveTimeout = 0;
  const { port } = await app.listen(0, '127.0.0.1');

  // One connection idle since before close(), after a request of its own.
  const idle = await stubbornClient(port);
  const idleAnswer = nextResponse(idle.socket);
  idle.socket.write('GET /health HTTP/1.1\r\nHost: slotbook\r\n\r\n');
  expect((await idleAnswer).status).toBe(200);

  // One whose request is in flight when close() starts: headers sent, body not yet.
  const busy = await stubbornClient(port);
  const body = JSON.stringify({ query: '{ __typename }' });
  const dispatched = once(app.httpServer, 'request');
  busy.socket.write(`POST /graphql HTTP/1.1\r\nHost: slotbook\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`);
  await dispatched;

  // Apollo's drain destroys whatever is left after a grace period (10 s); take that fallback away,
  // so that only closing idle connections can let close() resolve.
  const gracePeriod = jest.spyOn(AbortSignal, 'timeout').mockImplementation(() => new AbortController().signal);
  const closing = app.close();
  const busyAnswer = nextResponse(busy.socket);
  busy.socket.write(body);
  const answer = await busyAnswer;
  expect(answer.status).toBe(200);
  expect(JSON.parse(answer.body)).toEqual({ data: { __typename: 'Query' } });

  // A watchdog far longer than any drain: if close() waited for these clients, it would never resolve.
  let watchdog: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    closing.then(() => 'closed'),
    new Promise<string>((resolve) => { watchdog = setTimeout(() => resolve('close() still waiting for idle connections'), 30_000); }),
  ]);
  clearTimeout(watchdog);
  gracePeriod.mockRestore();
  expect(outcome).toBe('closed');
  // The server ended both connections itself (the clients never end theirs).
  await Promise.all([idle.ended, busy.ended]);
});

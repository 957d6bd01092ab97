import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import { pollUntil } from './poll';

/** How the server answers a message: accept it, or refuse it temporarily (4xx) or for good (5xx). */
export type SmtpAnswer = 'accept' | 'temporary' | 'permanent';

/** A real SMTP server on 127.0.0.1 (smtp-server), requiring login, recording what it accepted (parsed by mailparser). */
export interface TestSmtpServer {
  /** smtp://user:password@127.0.0.1:<port> */
  url: string;
  user: string;
  password: string;
  /** Parsed messages it accepted, in order. */
  received: ParsedMail[];
  /** Messages it was offered (accepted or not). */
  offered: number;
  /** SMTP connections opened to it so far. */
  connections: number;
  answer: SmtpAnswer;
  /** Stops listening: connections are refused until accept(). */
  refuse(): Promise<void>;
  /** Listens again on the same port. */
  accept(): Promise<void>;
  waitFor(predicate: (received: ParsedMail[]) => boolean, ms?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startSmtpServer(answer: SmtpAnswer = 'accept', port = 0): Promise<TestSmtpServer> {
  const user = 'mailer';
  const password = 's3cret-Pa55';
  const state = { received: [] as ParsedMail[], offered: 0, connections: 0, answer };
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    // 127.0.0.1 needs no name, and this machine may have no DNS to ask.
    disableReverseLookup: true,
    onConnect(_session, callback) {
      state.connections++;
      callback();
    },
    onAuth(auth, _session, callback) {
      if (auth.username === user && auth.password === password) callback(null, { user });
      else callback(new Error('Invalid username or password'));
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        state.offered++;
        if (state.answer !== 'accept') {
          const err = Object.assign(new Error(state.answer === 'temporary' ? 'Try again later' : 'Mailbox unavailable'), { responseCode: state.answer === 'temporary' ? 451 : 550 });
          callback(err);
          return;
        }
        simpleParser(Buffer.concat(chunks)).then(
          (parsed) => {
            state.received.push(parsed);
            callback();
          },
          (err: Error) => callback(err),
        );
      });
    },
  });
  const listen = (p: number) => new Promise<number>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(p, '127.0.0.1', () => resolve((server.server.address() as AddressInfo).port));
  });
  const actualPort = await listen(port);
  const smtp: TestSmtpServer = {
    url: `smtp://${user}:${password}@127.0.0.1:${actualPort}`,
    user,
    password,
    get received() {
      return state.received;
    },
    get offered() {
      return state.offered;
    },
    get connections() {
      return state.connections;
    },
    get answer() {
      return state.answer;
    },
    set answer(value: SmtpAnswer) {
      state.answer = value;
    },
    async refuse() {
      await new Promise<void>((resolve) => server.server.close(() => resolve()));
    },
    async accept() {
      await listen(actualPort);
    },
    async waitFor(predicate, ms = 15_000) {
      await pollUntil(() => state.received, predicate, (got) => `the messages the test expects; the SMTP server got ${JSON.stringify(got.map((m) => ({ to: m.to && 'text' in m.to ? m.to.text : m.to, subject: m.subject })), null, 2)}`, { ms, everyMs: 25 });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  return smtp;
}

import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';

/** One JSON line a captured logger wrote. */
export interface LogLine {
  level?: number;
  msg?: string;
  requestId?: string;
  [key: string]: unknown;
}

/** A pino logger at `info` whose lines tests read back as objects, in order. */
export function capturedLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString('utf8').split('\n')) if (text) lines.push(JSON.parse(text) as LogLine);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}

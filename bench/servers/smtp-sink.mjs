// A local SMTP server that accepts everything and counts it (the data is read and dropped), in a
// process of its own: in the bench's process its parsing would slow the bench's own clients.
// Reports { port } once listening, then { count, connections } after every message, over IPC.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { SMTPServer } = require('smtp-server');

const state = { count: 0, connections: 0 };
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  disableReverseLookup: true,
  onConnect(_session, callback) {
    state.connections++;
    callback();
  },
  onData(stream, _session, callback) {
    stream.on('data', () => {});
    stream.on('end', () => {
      state.count++;
      process.send(state);
      callback();
    });
  },
});
server.listen(0, '127.0.0.1', () => process.send({ port: server.server.address().port }));
process.on('disconnect', () => server.close(() => process.exit(0)));

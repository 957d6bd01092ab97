// Local ICS feeds for bench/busy-sources.mjs, in a process of its own (as the SMTP sink is): in
// the bench's process, generating and sending them would slow the bench's own clients.
// `node ics-feeds.mjs <now ms>` serves GET /feed-<n>.ics (n = 0…9, FEED_EVENTS events each) and
// GET /big.ics (BIG_EVENTS events), all generated once at start with ical-generator, without
// ETag (as many published feeds are: every sync downloads, expands and replaces). Over IPC it
// reports { port } once listening; { hang: ms } makes /feed-0.ics accept requests and never
// answer them for that long (the client's own timeout ends them); { stats: true } answers
// { requests, hung, bytes } per path.
import http from 'node:http';
import { busyFeed } from '../busy-feed.mjs';

const FEED_EVENTS = 300;
const BIG_EVENTS = 10_000;

const now = Number(process.argv[2] ?? Date.now());
const feeds = new Map();
for (let n = 0; n < 10; n++) feeds.set(`/feed-${n}.ics`, busyFeed({ name: `feed-${n}`, count: FEED_EVENTS, seed: 100 + n, now }));
feeds.set('/big.ics', busyFeed({ name: 'big', count: BIG_EVENTS, seed: 7, now }));

const stats = Object.fromEntries([...feeds.keys()].map((p) => [p, { requests: 0, hung: 0, bytes: Buffer.byteLength(feeds.get(p)) }]));
let hangUntil = 0;
const server = http.createServer((request, response) => {
  const path = new URL(request.url, 'http://x').pathname;
  const body = feeds.get(path);
  if (!body) return response.writeHead(404).end();
  stats[path].requests++;
  if (path === '/feed-0.ics' && Date.now() < hangUntil) {
    // Accepted and read, never answered: the client's 20 s timeout (FETCH_LIMITS) ends it.
    stats[path].hung++;
    return;
  }
  response.writeHead(200, { 'content-type': 'text/calendar; charset=utf-8' }).end(body);
});
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port, bytes: Object.fromEntries(Object.entries(stats).map(([p, s]) => [p, s.bytes])) }));
process.on('message', (message) => {
  if (message.hang) hangUntil = Date.now() + message.hang;
  if (message.stats) process.send({ stats });
});
process.on('disconnect', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});

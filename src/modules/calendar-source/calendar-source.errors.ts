/**
 * Why reading or writing a calendar source failed. `message` is written for the owner (it becomes
 * the source's `lastError`, docs/api.md Part 3, 30): it never holds a credential, a URL (feed URLs
 * often carry a secret token) or a server's raw answer.
 */
export type CalendarSourceFailure =
  | 'MALFORMED' // the data is not iCalendar ical.js can read
  | 'TOO_MANY_EVENTS' // more than 100,000 events, or a series that never reaches the kept range
  | 'TOO_LARGE' // a response over 10 MB
  | 'TIMEOUT' // a request over 20 s
  | 'UNSAFE_ADDRESS' // the host is not a public address (rules of 16)
  | 'UNREACHABLE' // DNS, connection or TLS failure
  | 'UNAUTHORIZED' // 401 or 403
  | 'HTTP_STATUS' // any other unexpected status
  | 'CONFLICT'; // a write-back precondition failed (412): the event changed or exists

export class CalendarSourceError extends Error {
  constructor(
    readonly failure: CalendarSourceFailure,
    message: string,
  ) {
    super(message);
    this.name = 'CalendarSourceError';
  }
}

import { useState } from 'react';
import { OwnerEmailDetailDocument, OwnerEmailListDocument } from '../generated/graphql';
import { explain, request, type OwnerAuth } from '../lib/api';
import { useLoad } from '../lib/use-query';
import { Alert } from '../components/Messages';

/** How each status reads to the owner (docs/api.md Part 3, 27). */
const STATUS_TEXT: Record<string, string> = {
  PENDING: 'Pending',
  SENT: 'Sent',
  FAILED: 'Failed',
  NOT_SENT: 'Not sent (no SMTP server set)',
};

const kindText = (kind: string) => kind.charAt(0) + kind.slice(1).toLowerCase().replace(/_/g, ' ');

/**
 * The owner's emails, newest first, each with its status; "Open" shows one whole: its subject,
 * recipient, the HTML in a sandboxed frame (no scripts, no same origin) and the invitation.
 */
export function Emails({ auth, version }: { auth: OwnerAuth; version: number }) {
  const list = useLoad(`${auth.key}#${version}`, () => request(OwnerEmailListDocument, { first: 20 }, { auth }));
  const [openId, setOpenId] = useState<string | null>(null);
  const emails = list.data?.me.emails.edges.map((e) => e.node) ?? [];
  return (
    <section className="panel emails" aria-labelledby="emails-heading">
      <h2 id="emails-heading">Emails</h2>
      {list.error ? <Alert>{explain(list.error)}</Alert> : null}
      {!list.data && !list.error ? <p className="hint">Loading…</p> : null}
      {list.data && emails.length === 0 ? <p className="hint">No emails yet: bookings, changes and reminders will appear here.</p> : null}
      {emails.length > 0 ? (
        <ul className="email-list">
          {emails.map((email) => (
            <li key={email.id} data-email-id={email.id}>
              <span className="email-kind">{kindText(email.kind)}</span> to <span className="email-to">{email.to}</span>: {email.subject}{' '}
              <span className="email-status" data-status={email.status}>
                {STATUS_TEXT[email.status] ?? email.status}
              </span>
              {email.lastError ? <span className="hint"> ({email.lastError})</span> : null}{' '}
              <button type="button" aria-expanded={openId === email.id} onClick={() => setOpenId(openId === email.id ? null : email.id)}>
                {openId === email.id ? 'Close' : 'Open'}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {openId ? <EmailWhole auth={auth} id={openId} position={emails.findIndex((e) => e.id === openId)} /> : null}
    </section>
  );
}

/** One email whole, read from the same newest-first list at its position (the API reads emails only through Owner.emails). */
function EmailWhole({ auth, id, position }: { auth: OwnerAuth; id: string; position: number }) {
  const detail = useLoad(`${auth.key}#${id}`, () => request(OwnerEmailDetailDocument, { first: Math.max(1, position + 1) }, { auth }));
  const email = detail.data?.me.emails.edges.map((e) => e.node).find((e) => e.id === id);
  if (detail.error) return <Alert>{explain(detail.error)}</Alert>;
  if (!email) return <p className="hint">Loading…</p>;
  return (
    <article className="email-whole" aria-label={`Email: ${email.subject}`}>
      <h3>{email.subject}</h3>
      <p>
        To: {email.to} · {kindText(email.kind)} · {STATUS_TEXT[email.status] ?? email.status}
      </p>
      <iframe title="Email HTML" sandbox="" srcDoc={email.html} className="email-html" />
      {email.invitation ? (
        <details>
          <summary>Invitation ({email.invitation.method})</summary>
          <pre className="email-ics">{email.invitation.ics}</pre>
        </details>
      ) : null}
    </article>
  );
}

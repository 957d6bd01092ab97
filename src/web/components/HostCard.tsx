import type { ReactNode } from 'react';

const ICONS = {
  clock: 'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm0 2a8 8 0 1 1 0 16 8 8 0 0 1 0-16Zm-1 3v6l5 3 1-1.7-4-2.4V7h-2Z',
  calendar: 'M7 2v2H5a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2V6a2 2 0 0 0-2-2h-2V2h-2v2H9V2H7Zm-2 8h14v10H5V10Z',
  globe:
    'M12 2a10 10 0 1 0 0 20 10 10 0 0 0 0-20Zm6.9 9h-3a15 15 0 0 0-1.3-5.6A8 8 0 0 1 18.9 11ZM12 4.1c.9 1.2 1.8 3.5 1.9 6.9h-3.8c.1-3.4 1-5.7 1.9-6.9ZM9.4 5.4A15 15 0 0 0 8.1 11h-3a8 8 0 0 1 4.3-5.6ZM5.1 13h3a15 15 0 0 0 1.3 5.6A8 8 0 0 1 5.1 13Zm6.9 6.9c-.9-1.2-1.8-3.5-1.9-6.9h3.8c-.1 3.4-1 5.7-1.9 6.9Zm2.6-1.3a15 15 0 0 0 1.3-5.6h3a8 8 0 0 1-4.3 5.6Z',
  person: 'M12 2a5 5 0 1 0 0 10 5 5 0 0 0 0-10Zm0 12c-4.4 0-8 2.2-8 5v3h16v-3c0-2.8-3.6-5-8-5Z',
};

/** One line of the host card: an icon (decoration only) and its text. */
export function Fact({ icon, children }: { icon: keyof typeof ICONS; children: ReactNode }) {
  return (
    <li className="fact">
      <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
        <path d={ICONS[icon]} fill="currentColor" />
      </svg>
      <span>{children}</span>
    </li>
  );
}

function initials(name: string): string {
  const words = name
    .replace(/^(dr|mr|mrs|ms|prof)\.?\s+/i, '')
    .split(/\s+/)
    .filter(Boolean);
  return ((words[0]?.[0] ?? '') + (words.length > 1 ? words[words.length - 1]![0] : '')).toUpperCase();
}

interface Props {
  eyebrow: string;
  ownerName: string;
  title?: string | null;
  description?: string | null;
  /** Facts (Fact elements) under the title: length, time, zone. */
  facts: ReactNode;
  children?: ReactNode;
}

/** Who the meeting is with and what it is: the left column of the booking and manage pages. */
export function HostCard({ eyebrow, ownerName, title, description, facts, children }: Props) {
  return (
    <section className="panel host-card" aria-label="About this meeting">
      <span className="avatar" aria-hidden="true">
        {initials(ownerName)}
      </span>
      <p className="eyebrow">{eyebrow}</p>
      <h1>{ownerName}</h1>
      {title && <h2 className="event-title">{title}</h2>}
      <ul className="facts">{facts}</ul>
      {description && <p className="description">{description}</p>}
      {children}
    </section>
  );
}

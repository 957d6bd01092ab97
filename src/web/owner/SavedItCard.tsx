import { useEffect, useRef } from 'react';
import { CopyField } from './CopyField';

/** A secret the server shows only once (an owner token, a webhook's signing secret). */
export interface ShownOnce {
  title: string;
  /** What it is for and where it goes. */
  text: string;
  label: string;
  value: string;
}

/** The owner token as a secret shown once, for a new calendar or a rotated token. */
export function tokenShownOnce(token: string, title: string): ShownOnce {
  return {
    title,
    text: 'Your owner token signs you in to this page and to the API. Keep it in a password manager: this tab forgets it when it closes, and it is the only way back in.',
    label: 'Owner token',
    value: token,
  };
}

/**
 * The secret with a Copy button; it stays through every other action on the page until the
 * person says they saved it, because the server never shows it again.
 */
export function SavedItCard({ secret, onSaved }: { secret: ShownOnce; onSaved(): void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [secret.value]);
  return (
    <section className="panel saved-it" aria-labelledby="saved-it-title">
      <h2 id="saved-it-title" ref={heading} tabIndex={-1}>
        {secret.title}
      </h2>
      <p>{secret.text}</p>
      <CopyField label={secret.label} value={secret.value} />
      <p className="hint">Slotbook shows it only now: it keeps only a hash of it.</p>
      <button type="button" className="primary" onClick={onSaved}>
        I have saved it
      </button>
    </section>
  );
}

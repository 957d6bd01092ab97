import { useId, useRef, useState } from 'react';

/**
 * A value to copy (a URL, a token, a secret): read-only, with a Copy button. It copies through
 * the Clipboard API; where the browser refuses (plain http on another host, no permission) it
 * selects the text instead and says to press Ctrl+C, so the value is never out of reach.
 */
export function CopyField({ label, value, hint }: { label: string; value: string; hint?: string }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'copied' | 'selected' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('copied');
    } catch {
      input.current?.focus();
      input.current?.select();
      setCopied('selected');
    }
  };
  return (
    <div className="field copy-field">
      <label htmlFor={id}>{label}</label>
      <div className="copy-row">
        <input id={id} ref={input} readOnly value={value} onFocus={(event) => event.target.select()} aria-describedby={hint ? `${id}-hint` : undefined} spellCheck={false} />
        <button type="button" onClick={() => void copy()} aria-label={`Copy ${label.toLowerCase()}`}>
          Copy
        </button>
      </div>
      <p className="hint copy-outcome" aria-live="polite">
        {copied === 'copied' ? 'Copied.' : copied === 'selected' ? 'Selected: press Ctrl+C (⌘C on a Mac) to copy.' : ''}
      </p>
      {hint && (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      )}
    </div>
  );
}

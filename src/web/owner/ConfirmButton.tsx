import { useEffect, useRef, useState, type ReactNode } from 'react';

interface Props {
  /** The button's text, e.g. "Cancel". */
  children: ReactNode;
  /** Its accessible name when the text alone is ambiguous in a list. */
  label?: string;
  /** What will happen, asked before it does. */
  question: ReactNode;
  /** The button that does it, e.g. "Yes, cancel it". */
  confirm: string;
  /** The button that keeps things as they are. */
  keep?: string;
  danger?: boolean;
  className?: string;
  onConfirm(): Promise<unknown> | void;
}

/** A button that asks first: the question and two choices appear in its place. */
export function ConfirmButton({ children, label, question, confirm, keep = 'Keep it', danger = false, className, onConfirm }: Props) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const yes = useRef<HTMLButtonElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  useEffect(() => {
    if (asking) yes.current?.focus();
    else if (wasAsking.current) opener.current?.focus();
    wasAsking.current = asking;
  }, [asking]);
  if (!asking) {
    return (
      <button type="button" ref={opener} className={[danger ? 'danger' : '', className ?? ''].join(' ').trim() || undefined} aria-label={label} onClick={() => setAsking(true)}>
        {children}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={label ?? (typeof children === 'string' ? children : undefined)}>
      <span className="confirm-question">{question}</span>
      <span className="confirm-choices">
        <button
          type="button"
          ref={yes}
          className={danger ? 'danger-solid' : 'primary'}
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            try {
              await onConfirm();
            } finally {
              setBusy(false);
              setAsking(false);
            }
          }}
        >
          {confirm}
        </button>
        <button type="button" onClick={() => setAsking(false)}>
          {keep}
        </button>
      </span>
    </span>
  );
}

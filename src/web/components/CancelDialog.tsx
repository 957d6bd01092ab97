import { useEffect, useRef } from 'react';

interface Props {
  open: boolean;
  /** The booking in words: "Consultation with Dr. Ada Lovelace, Wednesday, …". */
  what: string;
  sending: boolean;
  onKeep(): void;
  onCancel(): void;
}

/**
 * "Cancel this booking?" asked in a modal dialog (the page behind is inert; Escape keeps the
 * booking). Keep has the focus first: the safe answer is the default one.
 */
export function CancelDialog({ open, what, sending, onKeep, onCancel }: Props) {
  const dialog = useRef<HTMLDialogElement>(null);
  const keep = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      element.showModal();
      keep.current?.focus();
    } else if (!open && element.open) element.close();
  }, [open]);
  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="cancel-title" aria-describedby="cancel-what" onClose={onKeep}>
      <h2 id="cancel-title">Cancel this booking?</h2>
      <p id="cancel-what">{what}</p>
      <p className="hint">The time becomes free for others. This cannot be undone.</p>
      <div className="actions">
        <button type="button" ref={keep} onClick={onKeep} disabled={sending}>
          Keep booking
        </button>
        <button type="button" className="danger solid" onClick={onCancel} disabled={sending}>
          {sending ? 'Cancelling…' : 'Yes, cancel it'}
        </button>
      </div>
    </dialog>
  );
}

import type { ReactNode } from 'react';

/** An error or warning that screen readers announce at once. */
export function Alert({ children }: { children: ReactNode }) {
  return (
    <div role="alert" className="message message-alert">
      {children}
    </div>
  );
}

/** An outcome announced politely: Confirmed, Cancelled, saved. */
export function Status({ children }: { children: ReactNode }) {
  return (
    <div role="status" className="message message-status">
      {children}
    </div>
  );
}

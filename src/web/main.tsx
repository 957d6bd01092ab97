import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BookingPage } from './pages/BookingPage';
import { ManagePage } from './pages/ManagePage';
import { OwnerPage } from './pages/OwnerPage';
import { ResetPasswordPage } from './pages/ResetPasswordPage';
import { TeamBookingPage } from './pages/TeamBookingPage';
import './styles.css';

function segment(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The pages the server sends this one document for (src/http/pages.ts). */
function Page() {
  const parts = window.location.pathname.split('/').filter(Boolean).map(segment);
  const [first, ...rest] = parts;
  if (first === 'book' && (rest.length === 1 || rest.length === 2)) return <BookingPage ownerId={rest[0]!} slug={rest[1] ?? null} />;
  if (first === 'team' && rest.length === 2) return <TeamBookingPage teamSlug={rest[0]!} slug={rest[1]!} />;
  if (first === 'manage' && rest.length === 1) return <ManagePage bookingId={rest[0]!} token={new URLSearchParams(window.location.search).get('token') ?? ''} />;
  if (first === 'owner' && rest.length === 0) return <OwnerPage />;
  if (first === 'owner' && rest.length === 1 && rest[0] === 'reset-password') return <ResetPasswordPage token={new URLSearchParams(window.location.search).get('token') ?? ''} />;
  return (
    <div role="alert" className="message message-alert">
      This page does not exist.
    </div>
  );
}

function titleFor(pathname: string): string {
  if (pathname.startsWith('/book/') || pathname.startsWith('/team/')) return 'Book a time · Slotbook';
  if (pathname.startsWith('/manage/')) return 'Your booking · Slotbook';
  if (pathname.startsWith('/owner/reset-password')) return 'Set a new password · Slotbook';
  return 'Your calendar · Slotbook';
}

document.title = titleFor(window.location.pathname);
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <main className="page">
      <Page />
    </main>
    <footer className="footer">Slotbook</footer>
  </StrictMode>,
);

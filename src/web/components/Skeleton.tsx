// Grey shapes where content is on its way: the layout does not jump when it arrives, and no
// "Loading…" text stands in for it. The regions around them carry aria-busy for screen readers.

export function CalendarSkeleton() {
  return (
    <div className="skeleton-calendar" aria-hidden="true">
      <div className="skeleton skeleton-title" />
      <div className="skeleton-grid">
        {Array.from({ length: 35 }, (_, i) => (
          <span key={i} className="skeleton skeleton-day" />
        ))}
      </div>
    </div>
  );
}

export function TimesSkeleton() {
  return (
    <div className="skeleton-times" aria-hidden="true">
      {Array.from({ length: 6 }, (_, i) => (
        <span key={i} className="skeleton skeleton-time" />
      ))}
    </div>
  );
}

/** The host card and the picker while the page itself is read. */
export function PageSkeleton({ label }: { label: string }) {
  return (
    <section className="booking-layout" aria-busy="true" aria-label={label}>
      <div className="panel host-card" aria-hidden="true">
        <span className="skeleton skeleton-avatar" />
        <span className="skeleton skeleton-text short" />
        <span className="skeleton skeleton-heading" />
        <span className="skeleton skeleton-text" />
        <span className="skeleton skeleton-text" />
      </div>
      <div className="panel calendar-panel">
        <CalendarSkeleton />
      </div>
      <div className="panel times-panel">
        <TimesSkeleton />
      </div>
    </section>
  );
}

// No React and no DOM types here: lib/time.ts reads it, and the server's tests import that file.

/** How the pages write times of day: `h12` (2:05 PM) or `h23` (14:05). */
export type HourCycle = 'h12' | 'h23';

// A display preference, not a secret: localStorage keeps it across visits and tabs.
const STORAGE_KEY = 'slotbook.hourCycle';
const listeners = new Set<() => void>();

interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}
/** Reaching localStorage can itself throw (storage blocked): then the choice lasts for the page. */
function storage(): KeyValueStore | undefined {
  try {
    return (globalThis as { localStorage?: KeyValueStore }).localStorage;
  } catch {
    return undefined;
  }
}

function stored(): HourCycle | null {
  try {
    const value = storage()?.getItem(STORAGE_KEY) ?? null;
    return value === 'h12' || value === 'h23' ? value : null;
  } catch {
    // Storage refused (a privacy mode): the language's own default stands.
    return null;
  }
}

/** What the browser's language writes when nobody chose: h23 in German, h12 in American English. */
function languageDefault(): HourCycle {
  const cycle = new Intl.DateTimeFormat(undefined, { hour: 'numeric' }).resolvedOptions().hourCycle;
  return cycle === 'h11' || cycle === 'h12' ? 'h12' : 'h23';
}

let current: HourCycle = stored() ?? languageDefault();

/** The hour cycle every time on the pages is written in now. */
export function hourCycle(): HourCycle {
  return current;
}

export function setHourCycle(next: HourCycle): void {
  if (next === current) return;
  current = next;
  try {
    storage()?.setItem(STORAGE_KEY, next);
  } catch {
    // Kept for this page only.
  }
  for (const listener of listeners) listener();
}

/** Calls `listener` on every change; returns how to stop. */
export function onHourCycleChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

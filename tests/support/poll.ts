/**
 * Reads `read()` every `everyMs` until `done` holds of what it read, and returns that; after `ms`
 * fails saying what it waited for (`what`, given the last value read). A wait with a deadline,
 * never a timed assertion.
 */
export async function pollUntil<T>(
  read: () => T | Promise<T>,
  done: (value: T) => boolean,
  what: (last: T) => string,
  { ms = 10_000, everyMs = 50 }: { ms?: number; everyMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`waited ${ms} ms for ${what(value)}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/**
 * Imported first by main.ts, before any library reads it: a server started without NODE_ENV runs
 * as production. React (which renders the emails) and Express pick their production builds by it,
 * and their development builds cost several times the CPU per email. Slotbook's own settings never
 * read NODE_ENV for this (only NODE_ENV=development, set explicitly, adds stack traces: config.ts).
 */
process.env.NODE_ENV ??= 'production';

export {};

import type { OwnerAuth } from '../lib/api';
/**
 * Runs one change with the owner's credential, then reloads the page's data and announces `done`
 * (role=status) or the error (role=alert). Resolves whether it succeeded.
 */
export type OwnerAction = (work: (auth: OwnerAuth) => Promise<unknown>, done: string) => Promise<boolean>;

/**
 * Runs one change with the owner's token, then reloads the page's data and announces `done`
 * (role=status) or the error (role=alert). Resolves whether it succeeded.
 */
export type OwnerAction = (work: (token: string) => Promise<unknown>, done: string) => Promise<boolean>;

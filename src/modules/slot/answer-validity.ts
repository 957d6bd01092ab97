import type { RequestContext } from '../context';

/**
 * Until when the free slots a request answered stay what they are with nothing but the clock
 * moving (the slot engine's cutListValidUntil): the earliest instant over all its freeSlots
 * fields. The HTTP validators (src/graphql/http-cache.ts) make an answer's ETag of it, so a tag
 * moves only when the answer would. Kept beside the request, not in it: no other code reads it.
 */
const validUntilOf = new WeakMap<RequestContext, number>();

/** Notes that the request's answer may read differently from `instant` on. */
export function noteAnswerValidUntil(ctx: RequestContext, instant: number): void {
  const known = validUntilOf.get(ctx);
  if (known === undefined || instant < known) validUntilOf.set(ctx, instant);
}

/** The instant from which the request's answer may read differently; Infinity when the clock alone never changes it. */
export function answerValidUntil(ctx: RequestContext): number {
  return validUntilOf.get(ctx) ?? Infinity;
}

/**
 * An answer that depends on owners its arguments do not name (a team's slots, docs/api.md, Part
 * 3, 36-37): the HTTP cache, which keys an answer by the named owners' versions, must not keep it
 * or give it a validator.
 */
export const UNCACHEABLE_ANSWER = -Infinity;

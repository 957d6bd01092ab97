import type { Owner } from './owner.entity';
import type { OwnerStore } from './owner.store';
import { forbidden, unauthenticated } from '../../shared/errors';
import { hashToken, tokenMatches } from '../../shared/tokens';

/** Resolves the request's bearer token to an owner, once, and only when an operation asks. */
export class Auth {
  private resolved?: Promise<Owner | null>;

  constructor(
    private readonly owners: OwnerStore,
    private readonly bearerToken: string | null,
  ) {}

  /** The token's owner, or null without a (valid) token. */
  ownerOrNull(): Promise<Owner | null> {
    this.resolved ??= this.lookUp();
    return this.resolved;
  }

  /** The token was just rotated away: later operations of this request act without an owner. */
  forgetOwner(): void {
    this.resolved = Promise.resolve(null);
  }

  /** The token's owner; UNAUTHENTICATED without a valid token. */
  async requireOwner(): Promise<Owner> {
    const owner = await this.ownerOrNull();
    if (!owner) throw unauthenticated();
    return owner;
  }

  /** The token's owner, who must be `ownerId`: FORBIDDEN for another owner's token. */
  async requireOwnerOf(ownerId: string): Promise<Owner> {
    const owner = await this.requireOwner();
    if (owner.id !== ownerId) throw forbidden();
    return owner;
  }

  private async lookUp(): Promise<Owner | null> {
    if (!this.bearerToken) return null;
    const owner = await this.owners.findByTokenHash(hashToken(this.bearerToken));
    return owner && tokenMatches(this.bearerToken, owner.tokenHash) ? owner : null;
  }
}

/** `Authorization: Bearer <token>` → token; anything else → null. */
export function bearerTokenFrom(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer\s+(\S{1,512})\s*$/i.exec(header);
  return m ? m[1]! : null;
}

import type { RequestContext } from '../context';
import { notFound, unauthenticated, type DomainError } from '../../shared/errors';
import { requireMinutesOnGrid } from '../../shared/grid';
import { generateToken, hashToken } from '../../shared/tokens';
import { requireText } from '../../shared/validation';
import { Owner } from './owner.entity';
import { readOwnerHead, type OwnerHead } from './owner-heads';
import { OWNER_NAME, type CreateOwnerInput, type UpdateOwnerInput } from './owner.inputs';

export const DEFAULT_SLOT_MINUTES = 60;

/** Owners: sign-up, profile changes, tokens. */
export class OwnerService {
  constructor(private readonly ctx: RequestContext) {}

  async createOwner(input: CreateOwnerInput): Promise<{ owner: Owner; token: string }> {
    const name = requireName(input.name);
    const slotMinutes = input.slotMinutes ?? DEFAULT_SLOT_MINUTES;
    requireMinutesOnGrid('input.slotMinutes', slotMinutes);
    const token = generateToken('sbo');
    const owner = this.ctx.em.create(Owner, {
      name,
      timeZone: input.timeZone,
      slotMinutes,
      tokenHash: hashToken(token),
      dataVersion: 0,
      createdAt: this.ctx.now(),
    });
    await this.ctx.em.persistAndFlush(owner);
    return { owner, token };
  }

  async updateOwner(input: UpdateOwnerInput): Promise<Owner> {
    const owner = await this.ctx.auth.requireOwner();
    if (input.name != null) owner.name = requireName(input.name);
    if (input.slotMinutes != null) {
      requireMinutesOnGrid('input.slotMinutes', input.slotMinutes);
      owner.slotMinutes = input.slotMinutes;
    }
    if (input.timeZone != null) owner.timeZone = input.timeZone;
    await this.ctx.em.flush();
    return owner;
  }

  /**
   * Swaps the stored hash only while it is still the one the presented token matched: of
   * concurrent rotations with one token exactly one wins, and the others find that token no
   * longer valid (a read-then-write let several answer OK, each with a token that was
   * overwritten at once).
   */
  async rotateToken(): Promise<{ owner: Owner; token: string }> {
    const owner = await this.ctx.auth.requireOwner();
    const token = generateToken('sbo');
    const rotated = await this.ctx.em.nativeUpdate(
      Owner,
      { id: owner.id, tokenHash: owner.tokenHash },
      { tokenHash: hashToken(token) },
    );
    // Later operations of this request (a document may hold several mutations) no longer act as the owner.
    this.ctx.auth.forgetOwner();
    if (rotated !== 1) throw unauthenticated();
    return { owner, token };
  }

  me(): Promise<Owner> {
    return this.ctx.auth.requireOwner();
  }

  async findOwner(id: string): Promise<Owner | null> {
    return this.ctx.loaders.ownerById.load(id);
  }

  async getOwner(id: string, field = 'ownerId'): Promise<Owner> {
    const owner = await this.findOwner(id);
    if (!owner) throw ownerNotFound(id, field);
    return owner;
  }

  /** Just what free slots depend on, read without the ORM (the hot path of freeSlots). */
  async getOwnerHead(id: string, field = 'ownerId'): Promise<OwnerHead> {
    const head = await readOwnerHead(this.ctx.reads, id);
    if (!head) throw ownerNotFound(id, field);
    return head;
  }
}

function ownerNotFound(id: string, field: string): DomainError {
  return notFound(`owner ${JSON.stringify(id.slice(0, 64))} (${field})`);
}

function requireName(raw: string): string {
  return requireText('input.name', raw, OWNER_NAME);
}

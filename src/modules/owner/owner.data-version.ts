import { raw, type EntityManager } from '@mikro-orm/knex';
import { Owner } from './owner.entity';

/**
 * Increments the owner's data version in the database itself, so two processes changing one
 * owner at once can never write the same number (computed free slots are cached under it).
 */
export async function bumpDataVersion(em: EntityManager, ownerId: string): Promise<void> {
  await em.nativeUpdate(Owner, { id: ownerId }, { dataVersion: raw('data_version + 1') });
}

/** Writes the pending changes of `em` and bumps the owner's data version in one transaction. */
export async function flushOwnerChange(em: EntityManager, ownerId: string): Promise<void> {
  await em.begin();
  try {
    await em.flush();
    await bumpDataVersion(em, ownerId);
    await em.commit();
  } catch (err) {
    await em.rollback();
    throw err;
  }
}

import type { ReadConnection } from '../../db/connections';

/** What free slots depend on of an owner, as committed now: the parts of the free-slot cache key. */
export interface OwnerHead {
  id: string;
  timeZone: string;
  slotMinutes: number;
  dataVersion: number;
}

interface HeadRow {
  id: string;
  time_zone: string;
  slot_minutes: number;
  data_version: number;
}

/** The owner's head, read without the ORM (every freeSlots and bookSlot reads one), or null. */
export async function readOwnerHead(reads: ReadConnection, ownerId: string): Promise<OwnerHead | null> {
  const [row] = await reads.all<HeadRow>('select id, time_zone, slot_minutes, data_version from owner where id = ?', [ownerId]);
  return row ? { id: row.id, timeZone: row.time_zone, slotMinutes: Number(row.slot_minutes), dataVersion: Number(row.data_version) } : null;
}

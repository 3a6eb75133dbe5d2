import { setTimeout as sleep } from 'node:timers/promises';
import { RoomNotFoundError } from './errors';
import type { RoomPatch, RoomRecord, RoomStore, RoomWriteResult } from './room-store';
import { isVersionConflict } from './room-store-base';

/**
 * The record as it is after a successful update: the record the writer read, the patch it wrote, and the
 * store's answer. Copies the patch, so later changes to it do not show in the record.
 */
export function applyWrite(room: RoomRecord, patch: RoomPatch, written: RoomWriteResult): RoomRecord {
  const copy = JSON.parse(JSON.stringify(patch)) as RoomPatch;
  return { ...room, ...copy, version: written.version, updatedAt: written.updatedAt, expiresAt: written.expiresAt };
}

/** Settings of {@link updateWithRetry}. */
export interface UpdateWithRetryOptions {
  /** Tries before the last VERSION_CONFLICT is thrown (default 10). */
  maxAttempts?: number;
  /** The writer's fencing token, passed with every try. */
  fencingToken?: number;
  /** Time to live for the room after the write. */
  ttlMs?: number;
}

/**
 * Reads a room, computes a patch from it and writes it by compare-and-set, re-reading and trying again when
 * another writer got there first. `change` may run several times, so it must not have side effects.
 * @throws ROOM_NOT_FOUND; VERSION_CONFLICT after `maxAttempts`; LEASE_LOST at once (retrying cannot help).
 */
export async function updateWithRetry(
  store: RoomStore,
  code: string,
  change: (room: RoomRecord) => RoomPatch | Promise<RoomPatch>,
  options: UpdateWithRetryOptions = {},
): Promise<RoomRecord> {
  const maxAttempts = options.maxAttempts ?? 10;
  for (let attempt = 1; ; attempt++) {
    const room = await store.get(code);
    if (room === null) throw new RoomNotFoundError(code);
    const patch = await change(room);
    try {
      const written = await store.update(code, patch, {
        expectedVersion: room.version,
        ...(options.fencingToken === undefined ? {} : { fencingToken: options.fencingToken }),
        ...(options.ttlMs === undefined ? {} : { ttlMs: options.ttlMs }),
      });
      return applyWrite(room, patch, written);
    } catch (error) {
      if (!isVersionConflict(error) || attempt >= maxAttempts) throw error;
      // A little random back-off spreads out writers that collided.
      await sleep(Math.floor(Math.random() * 3 * attempt));
    }
  }
}

import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { isGameBuddiesError } from '@gamebuddies/core';
import { RoomNotFoundError, RoomStoreErrorCode } from './errors';
import type { RoomPatch, RoomRecord, RoomStore, RoomWriteResult } from './room-store';
import { isOutcomeUnknown, isVersionConflict } from './room-store-base';

/**
 * The record as it is after a successful update: the record the writer read, the patch it wrote, and the
 * store's answer. Copies the patch, so later changes to it do not show in the record.
 */
export function applyWrite(room: RoomRecord, patch: RoomPatch, written: RoomWriteResult): RoomRecord {
  const copy = JSON.parse(JSON.stringify(patch)) as RoomPatch;
  const { writeId: _previous, ...before } = room;
  const after: RoomRecord = { ...before, ...copy, version: written.version, updatedAt: written.updatedAt, expiresAt: written.expiresAt };
  return written.writeId === undefined ? after : { ...after, writeId: written.writeId };
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

/** Re-reads after a write whose outcome is unknown, while the store is still unreachable (then gives up). */
const SETTLE_READS = 5;
const SETTLE_DELAY_MS = 100;

/**
 * Reads a room, computes a patch from it and writes it by compare-and-set, re-reading and trying again when
 * another writer got there first. `change` may run several times, so it must not have side effects.
 *
 * Exactly once: every try carries a fresh `writeId`. When a try fails with STORE_UNAVAILABLE `outcome: 'unknown'`
 * (its reply was lost), the room is read again: if its `writeId` is the try's own, the write applied and the
 * room as it now is comes back; if the room is still at the version the try expected, it did not apply and the
 * next try goes ahead; if it moved on, nobody can tell, and that error is thrown.
 * @throws ROOM_NOT_FOUND; VERSION_CONFLICT after `maxAttempts`; LEASE_LOST at once (retrying cannot help);
 * STORE_UNAVAILABLE (`outcome: 'unknown'`) when it cannot tell whether its write applied.
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
    const writeId = randomUUID();
    try {
      const written = await store.update(code, patch, {
        expectedVersion: room.version,
        writeId,
        ...(options.fencingToken === undefined ? {} : { fencingToken: options.fencingToken }),
        ...(options.ttlMs === undefined ? {} : { ttlMs: options.ttlMs }),
      });
      return applyWrite(room, patch, written);
    } catch (error) {
      if (isOutcomeUnknown(error)) {
        const applied = await settleUnknownWrite(store, code, writeId, room.version, error);
        if (applied !== null) return applied;
        if (attempt >= maxAttempts) throw error;
        continue;
      }
      if (!isVersionConflict(error) || attempt >= maxAttempts) throw error;
      // A little random back-off spreads out writers that collided.
      await sleep(Math.floor(Math.random() * 3 * attempt));
    }
  }
}

/**
 * Learns whether a write whose reply was lost applied: the room as it now is when it did, null when it did not.
 * @throws `unknown` (the write's own error) when the room moved on past the expected version without the
 * write's id, or the store stays unreachable; ROOM_NOT_FOUND when the room is gone.
 */
async function settleUnknownWrite(store: RoomStore, code: string, writeId: string, expectedVersion: number, unknown: unknown): Promise<RoomRecord | null> {
  for (let read = 1; read <= SETTLE_READS; read++) {
    await sleep(SETTLE_DELAY_MS * read);
    let room: RoomRecord | null;
    try {
      room = await store.get(code);
    } catch (error) {
      if (isGameBuddiesError(error, RoomStoreErrorCode.STORE_UNAVAILABLE)) continue;
      throw error;
    }
    if (room === null) throw new RoomNotFoundError(code);
    if (room.writeId === writeId) return room;
    if (room.version === expectedVersion) return null;
    throw unknown;
  }
  throw unknown;
}

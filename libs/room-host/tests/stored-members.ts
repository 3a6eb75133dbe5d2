import type { RoomMember } from '@gamebuddies/plugin-sdk';

/** Who is in a stored room: the members the host keeps in its state (none when there is no room). */
export function storedMembers(record: { state: unknown } | null | undefined): RoomMember[] {
  return record === null || record === undefined ? [] : (record.state as { members: RoomMember[] }).members;
}

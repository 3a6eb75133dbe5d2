import type { JsonValue } from '@gamebuddies/core';
import type { RoomMessage, RoomRuntimeState, SyncMessage } from '@gamebuddies/plugin-sdk';
import type { GameEvent, MemberChange, MemberSummary, RoomClosed, RoomSnapshot, RoomViewUpdate } from '@gamebuddies/protocol';

type AnyRoomState = RoomRuntimeState<unknown, unknown, unknown>;

/** Something to send to one player: the gateway turns each into one Socket.IO push. */
export type Delivery =
  | { kind: 'state'; to: string; snapshot: RoomSnapshot }
  | { kind: 'view'; to: string; update: RoomViewUpdate }
  | { kind: 'event'; to: string; event: GameEvent }
  | { kind: 'member'; to: string; change: MemberChange }
  | { kind: 'closed'; to: string; closed: RoomClosed };

/** A player's snapshot from the runtime's sync message (already built through the game's `view`). */
export function toSnapshot(code: string, version: number, sync: SyncMessage<unknown, unknown>): RoomSnapshot {
  return {
    code,
    version,
    gameId: sync.room.gameId,
    phase: sync.room.phase,
    hostId: sync.room.hostId,
    members: sync.room.members.map(toMemberSummary),
    result: (sync.room.result ?? null) as JsonValue | null,
    view: sync.view as JsonValue | null,
  };
}

function toMemberSummary(member: { id: string; name: string; role: 'player' | 'spectator'; isConnected: boolean }): MemberSummary {
  return { id: member.id, name: member.name, role: member.role, isConnected: member.isConnected };
}

/**
 * What one applied step sends: member changes first (to everyone connected after the step but the member the
 * change is about, and to whoever left), then the runtime's messages in its order (closing notices, views,
 * game events). A member who joined or came back in this step gets their full snapshot (`state`); everyone
 * else gets only their new view (`view`), and nothing at all when the step changed nothing but the member
 * list while no game runs (a join in the lobby): their `room:member` says it all.
 */
export function toDeliveries(code: string, version: number, before: AnyRoomState, after: AnyRoomState, messages: RoomMessage<unknown, unknown>[]): Delivery[] {
  const deliveries: Delivery[] = [];
  const changes = memberChanges(code, version, before, after);
  const fresh = new Set<string>();
  for (const change of changes) if (change.kind === 'joined' || change.kind === 'reconnected') fresh.add(change.member.id);
  if (changes.length > 0) {
    const audience = after.members.filter((m) => m.isConnected && !fresh.has(m.id)).map((m) => m.id);
    for (const change of changes) for (const to of audience) deliveries.push({ kind: 'member', to, change });
  }
  const viewsUnchanged = before.game === null && after.game === null && before.phase === after.phase && before.hostId === after.hostId && before.result === after.result;
  for (const message of messages) {
    switch (message.type) {
      case 'kicked':
        deliveries.push({ kind: 'closed', to: message.to, closed: { code, reason: 'kicked' } });
        break;
      case 'sync':
        if (fresh.has(message.to)) deliveries.push({ kind: 'state', to: message.to, snapshot: toSnapshot(code, version, message) });
        else if (!viewsUnchanged) deliveries.push({ kind: 'view', to: message.to, update: toViewUpdate(code, version, message) });
        break;
      case 'event':
        deliveries.push({ kind: 'event', to: message.to, event: { code, name: message.name, data: message.data } });
        break;
    }
  }
  return deliveries;
}

/** A player's view update from the runtime's sync message: no member list (`room:member` carries it). */
export function toViewUpdate(code: string, version: number, sync: SyncMessage<unknown, unknown>): RoomViewUpdate {
  const update: RoomViewUpdate = { code, version, phase: sync.room.phase, hostId: sync.room.hostId, view: sync.view as JsonValue | null };
  if (sync.room.result !== null && sync.room.result !== undefined) update.result = sync.room.result as JsonValue;
  return update;
}

/** Who joined, left, dropped or came back between two states of a room. */
export function memberChanges(code: string, version: number, before: AnyRoomState, after: AnyRoomState): MemberChange[] {
  const previous = new Map(before.members.map((m) => [m.id, m]));
  const current = new Map(after.members.map((m) => [m.id, m]));
  const changes: MemberChange[] = [];
  for (const member of after.members) {
    const old = previous.get(member.id);
    if (old === undefined) changes.push({ code, version, kind: 'joined', member: toMemberSummary(member) });
    else if (old.isConnected && !member.isConnected) changes.push({ code, version, kind: 'disconnected', member: toMemberSummary(member) });
    else if (!old.isConnected && member.isConnected) changes.push({ code, version, kind: 'reconnected', member: toMemberSummary(member) });
  }
  for (const member of before.members) {
    if (!current.has(member.id)) changes.push({ code, version, kind: 'left', member: toMemberSummary(member) });
  }
  return changes;
}

import { assertJsonValue, isGameBuddiesError, type JsonValue } from '@gamebuddies/core';
import { toMemberInfo } from './context';
import type { AnyGameDefinition, MemberInfo } from './define-game';
import { ActionFailedError } from './errors';
import type { RoomMember, RoomPhase } from './room-state';
import type { RoomStep, UntypedRoomState } from './room-step';
import { freezePlainData } from './json-copy';

/** The public facts of a room, in every sync. */
export interface RoomInfo<TResult = JsonValue> {
  gameId: string;
  phase: RoomPhase;
  hostId: string | null;
  /** Members in join order. */
  members: MemberInfo[];
  /** The game's result once it ended, else null. */
  result: TResult | null;
}

/** The full picture for one member: the room's public facts and the game as `view` shows it to them. */
export interface SyncMessage<TView = JsonValue, TResult = JsonValue> {
  type: 'sync';
  to: string;
  room: RoomInfo<TResult>;
  /** What the game's `view` returned for this member; null before the first start. */
  view: TView | null;
}

/** An event game code emitted (`ctx.emit` / `ctx.emitTo`). */
export interface EventMessage {
  type: 'event';
  to: string;
  name: string;
  data: JsonValue;
}

/** Tells a member the host removed them: the gateway should close their connection to the room. */
export interface KickedMessage {
  type: 'kicked';
  to: string;
}

/** A message the gateway must deliver to the member `to`. */
export type RoomMessage<TView = JsonValue, TResult = JsonValue> = SyncMessage<TView, TResult> | EventMessage | KickedMessage;

/** The public facts of a room. */
export function buildRoomInfo(room: UntypedRoomState): RoomInfo<unknown> {
  return { gameId: room.gameId, phase: room.phase, hostId: room.hostId, members: room.members.map((member) => ({ ...toMemberInfo(member) })), result: room.result };
}

/**
 * The sync for one member, built through the game's `view`. The view reads the room's game state itself, not
 * a copy: with checks on it is frozen, so a view that changes it fails (ACTION_FAILED) instead of corrupting
 * the room. `info` is the room's public facts, when the caller already built them for another member.
 * @throws ACTION_FAILED when `view` throws or (with checks on) returns something that is not plain JSON.
 */
export function buildSync(
  game: AnyGameDefinition,
  room: UntypedRoomState,
  member: RoomMember,
  checksState: boolean,
  info: RoomInfo<unknown> = buildRoomInfo(room),
): SyncMessage<unknown, unknown> {
  let view: unknown = null;
  if (room.game !== null) {
    try {
      if (checksState) freezePlainData(room.game);
      view = game.view(room.game, { id: member.id, role: member.role });
      if (checksState) assertJsonValue(view, 'view');
    } catch (error) {
      throw new ActionFailedError(`The game failed to build the view of ${member.id}`, { source: 'view', playerId: member.id }, { cause: error });
    }
  }
  return { type: 'sync', to: member.id, room: info, view };
}

/**
 * What an applied step sends: `kicked` notices, then a fresh sync for every connected member, then the
 * events in the order they were emitted (to connected members only).
 * @throws ACTION_FAILED when a view fails and the step is refusable; otherwise that member's sync is skipped
 * and the error is added to the step's warnings.
 */
export function buildMessages(game: AnyGameDefinition, step: RoomStep): RoomMessage<unknown, unknown>[] {
  const connected = step.room.members.filter((member) => member.isConnected);
  const messages: RoomMessage<unknown, unknown>[] = step.kicked.map((to) => ({ type: 'kicked', to }));
  // One copy of the public facts for every member's sync: the messages are read, never changed.
  const info = buildRoomInfo(step.room);
  for (const member of connected) {
    try {
      messages.push(buildSync(game, step.room, member, step.checksState, info));
    } catch (error) {
      if (step.isRefusable || !isGameBuddiesError(error)) throw error;
      step.warnings.push(error);
    }
  }
  for (const event of step.events) {
    for (const member of connected) {
      if (event.to === null || event.to === member.id) messages.push({ type: 'event', to: member.id, name: event.name, data: event.data });
    }
  }
  return messages;
}

import { InvalidArgumentError } from '@gamebuddies/core';
import { DEFAULT_MAX_SPECTATORS, type AnyGameDefinition } from './define-game';
import { NotInRoomError, RoomFullError } from './errors';
import type { MemberRole, RoomMember } from './room-state';
import type { UntypedRoomState } from './room-step';

const MAX_ID_LENGTH = 128;
const MAX_NAME_LENGTH = 64;

/** @throws InvalidArgumentError unless `id` is a string of 1–128 characters. */
export function checkPlayerId(id: unknown, label = 'playerId'): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) {
    throw new InvalidArgumentError(`${label} must be a string of 1 to ${MAX_ID_LENGTH} characters`, { field: label });
  }
  return id;
}

/** The trimmed display name. @throws InvalidArgumentError unless it has 1–64 characters after trimming. */
export function checkPlayerName(name: unknown): string {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  if (trimmed.length === 0 || trimmed.length > MAX_NAME_LENGTH) {
    throw new InvalidArgumentError(`name must be a string of 1 to ${MAX_NAME_LENGTH} characters`, { field: 'name' });
  }
  return trimmed;
}

/** The member `playerId` of the room (the working copy's object). @throws NotInRoomError. */
export function findMember(room: UntypedRoomState, playerId: string): RoomMember {
  const member = room.members.find((candidate) => candidate.id === playerId);
  if (member === undefined) throw new NotInRoomError(playerId);
  return member;
}

/**
 * The role a joiner gets: a seat while one is free (in the lobby, or later if the game admits late players),
 * a spectator place otherwise.
 * @throws RoomFullError when neither is available.
 */
export function chooseRole(game: AnyGameDefinition, room: UntypedRoomState, asSpectator: boolean): MemberRole {
  const maxSpectators = game.maxSpectators ?? DEFAULT_MAX_SPECTATORS;
  const players = room.members.filter((member) => member.role === 'player').length;
  const spectators = room.members.length - players;
  const lateJoin = typeof game.lateJoin === 'function' ? game.lateJoin(room.options) : (game.lateJoin ?? 'spectator');
  const isSeatOpen = players < game.maxPlayers && (room.phase === 'lobby' || lateJoin === 'player');
  if (!asSpectator && isSeatOpen) return 'player';
  if (spectators < maxSpectators) return 'spectator';
  throw new RoomFullError({ maxPlayers: game.maxPlayers, maxSpectators });
}

/** Who hosts once the host is gone: the first connected player, else the first connected member, else anyone. */
export function pickHost(members: readonly RoomMember[]): string | null {
  const candidate =
    members.find((member) => member.isConnected && member.role === 'player') ??
    members.find((member) => member.isConnected) ??
    members[0];
  return candidate?.id ?? null;
}

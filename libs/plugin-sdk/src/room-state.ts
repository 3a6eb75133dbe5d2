import { assertJsonValue, isGameBuddiesError, isJsonObject, type JsonObject, type JsonValue } from '@gamebuddies/core';
import { InvalidRoomStateError } from './errors';
import { isRandomState, type RandomState } from './random';
import type { ActionLog } from './room-input';

/** The version of the {@link RoomRuntimeState} layout. A stored state with another format is refused. */
export const ROOM_STATE_FORMAT = 1;

/** Where a room is: gathering players, playing, or finished (a new start makes a rematch). */
export type RoomPhase = 'lobby' | 'playing' | 'ended';

/** Whether a member takes part (`player`) or only watches (`spectator`). */
export type MemberRole = 'player' | 'spectator';

/** One person in a room, as stored. */
export interface RoomMember {
  id: string;
  name: string;
  role: MemberRole;
  isConnected: boolean;
  /** When they joined, ms since the epoch. */
  joinedAt: number;
}

/** A timer a game scheduled: plain data, fired by whichever server runs the room when `dueAt` passes. */
export interface StoredTimer {
  name: string;
  /** When it fires, ms since the epoch. */
  dueAt: number;
  /** What the game attached to it. */
  data: JsonValue;
  /** Order of scheduling: timers due at the same time fire in this order. */
  seq: number;
}

/**
 * Everything the platform knows about a running room, as JSON: membership, the game's own state, the seeded
 * random generator, pending timers and (optionally) the action log. The gateway stores it in the room
 * store's `state` field and any server can restore it with `runtime.parseState` and carry on.
 */
export interface RoomRuntimeState<TState = JsonValue, TOptions = JsonObject, TResult = JsonValue> {
  format: typeof ROOM_STATE_FORMAT;
  gameId: string;
  gameVersion: string;
  /** The options after validation by the game's schema. */
  options: TOptions;
  createdAt: number;
  phase: RoomPhase;
  /** The member who may start, kick and use host-only actions; null in an empty room. */
  hostId: string | null;
  /** Members in join order. */
  members: RoomMember[];
  /** The game's state: null until the first start. */
  game: TState | null;
  /** What the game passed to `end`, once it ended. */
  result: TResult | null;
  /** The seed the room was created with (kept for replays). */
  seed: string;
  /** Where the seeded generator continues. */
  random: RandomState;
  timers: StoredTimer[];
  /** The `seq` of the next scheduled timer. */
  timerSeq: number;
  /** The recorded inputs, or null when recording is off. */
  log: ActionLog | null;
}

/** The state as JSON, for the room store. The runtime has already checked it is plain data. */
export function toStoredState(state: RoomRuntimeState<unknown, unknown, unknown>): JsonObject {
  return state as unknown as JsonObject;
}

/**
 * Checks that `value` is a runtime state of `gameId` that this SDK can run, e.g. after reading it back from
 * the room store.
 * @throws InvalidRoomStateError naming the first field that is wrong.
 */
export function parseRoomState(value: unknown, gameId: string): RoomRuntimeState<unknown, unknown, unknown> {
  try {
    assertJsonValue(value, 'state');
  } catch (error) {
    const path = isGameBuddiesError(error) ? error.details?.['path'] : undefined;
    throw new InvalidRoomStateError('The room state is not plain JSON data', { path });
  }
  const fail = (field: string, why: string): never => {
    throw new InvalidRoomStateError(`The room state's ${field} ${why}`, { field });
  };
  if (!isJsonObject(value)) return fail('root', 'is not an object');
  if (value['format'] !== ROOM_STATE_FORMAT) fail('format', `is ${String(value['format'])}, expected ${ROOM_STATE_FORMAT}`);
  if (value['gameId'] !== gameId) fail('gameId', `is ${String(value['gameId'])}, expected ${gameId}`);
  if (typeof value['gameVersion'] !== 'string') fail('gameVersion', 'is not a string');
  if (!isJsonObject(value['options'])) fail('options', 'is not an object');
  if (!isTime(value['createdAt'])) fail('createdAt', 'is not a time');
  if (!['lobby', 'playing', 'ended'].includes(value['phase'] as string)) fail('phase', 'is not lobby, playing or ended');
  if (value['hostId'] !== null && typeof value['hostId'] !== 'string') fail('hostId', 'is not a string or null');
  if (!Array.isArray(value['members']) || !value['members'].every(isMember)) fail('members', 'are not a list of members');
  if (!('game' in value) || !('result' in value)) fail('game', 'or result is missing');
  if (value['phase'] !== 'lobby' && value['game'] === null) fail('game', 'is missing after the start');
  if (typeof value['seed'] !== 'string') fail('seed', 'is not a string');
  if (!isRandomState(value['random'])) fail('random', 'is not a generator state');
  if (!Array.isArray(value['timers']) || !value['timers'].every(isTimer)) fail('timers', 'are not a list of timers');
  if (!Number.isSafeInteger(value['timerSeq'])) fail('timerSeq', 'is not an integer');
  if (value['log'] !== null && !isLog(value['log'])) fail('log', 'is not an action log or null');
  return value as unknown as RoomRuntimeState<unknown, unknown, unknown>;
}

function isTime(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function isMember(value: unknown): boolean {
  return (
    isJsonObject(value) &&
    typeof value['id'] === 'string' &&
    typeof value['name'] === 'string' &&
    (value['role'] === 'player' || value['role'] === 'spectator') &&
    typeof value['isConnected'] === 'boolean' &&
    isTime(value['joinedAt'])
  );
}

function isTimer(value: unknown): boolean {
  return isJsonObject(value) && typeof value['name'] === 'string' && isTime(value['dueAt']) && 'data' in value && Number.isSafeInteger(value['seq']);
}

function isLog(value: unknown): boolean {
  return (
    isJsonObject(value) &&
    Array.isArray(value['entries']) &&
    value['entries'].every((entry) => isJsonObject(entry) && typeof entry['type'] === 'string' && isTime(entry['at'])) &&
    Number.isSafeInteger(value['maxEntries']) &&
    typeof value['isTruncated'] === 'boolean'
  );
}

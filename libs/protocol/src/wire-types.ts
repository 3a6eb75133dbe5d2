import type { JsonObject, JsonValue } from '@gamebuddies/core';

/** A member of a room as every client sees them. */
export interface MemberSummary {
  id: string;
  name: string;
  role: 'player' | 'spectator';
  isConnected: boolean;
}

/**
 * One player's full picture of a room: its public facts and the game as the game's `view` shows it to this
 * player. The answer of `room:create`, `room:join` and `room:sync`; after that, `room:view` and `room:member`
 * pushes keep it current (the typed client applies them and hands the application whole snapshots).
 */
export interface RoomSnapshot<TView = JsonValue, TResult = JsonValue> {
  code: string;
  /** The stored version of the room this snapshot was made from; it only grows. */
  version: number;
  gameId: string;
  phase: 'lobby' | 'playing' | 'ended';
  hostId: string | null;
  members: MemberSummary[];
  /** The game's result once it ended, else null. */
  result: TResult | null;
  /** What this player may see of the game; null before the game starts. */
  view: TView | null;
}

/** The session a connection plays under. */
export interface SessionInfo {
  /** The secret that restores this session after a reconnect: keep it, send it as `auth.token`. */
  token: string;
  playerId: string;
  name: string;
  /** The room the session is in, if any. */
  roomCode: string | null;
}

/** A game this server can host. */
export interface GameSummary {
  id: string;
  name: string;
  minPlayers: number;
  maxPlayers: number;
}

/**
 * One player's new picture of the game after a change of the room: the room's version, its public facts that
 * a game change can move (phase, host, result) and this player's own view. The member list is not in it:
 * it changes only through `room:member`.
 */
export interface RoomViewUpdate<TView = JsonValue, TResult = JsonValue> {
  code: string;
  /** The stored version of the room after the change; ignore an update not newer than the version you hold. */
  version: number;
  phase: 'lobby' | 'playing' | 'ended';
  hostId: string | null;
  /** What this player may see of the game; null before the game starts. */
  view: TView | null;
  /** The game's result, present only once the game ended (absent means null). */
  result?: TResult;
}

/** Sent when a member joins, leaves, drops or comes back. */
export interface MemberChange {
  code: string;
  /** The stored version of the room after the change; the `room:view` of the same change follows it. */
  version: number;
  kind: 'joined' | 'left' | 'disconnected' | 'reconnected';
  member: MemberSummary;
}

/** An event the game emitted. */
export interface GameEvent {
  code: string;
  name: string;
  data: JsonValue;
}

/**
 * Why a room closed for this player: `kicked` by the host, `disposed` by the server, `left` on their own
 * request, or `lost` (the room vanished from the store, e.g. Redis restarted empty; the session is free).
 */
export interface RoomClosed {
  code: string;
  reason: 'kicked' | 'disposed' | 'left' | 'lost';
}

/** The server is shutting down: reconnect after `reconnectAfterMs` (the session token restores everything). */
export interface ServerDraining {
  reconnectAfterMs: number;
}

/** Options for a new room, as the chosen game defines them. */
export type GameOptions = JsonObject;

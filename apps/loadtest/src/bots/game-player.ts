import type { JsonObject, JsonValue } from '@gamebuddies/core';

/** One move a bot sends as `game:act`. */
export interface GameMove {
  action: string;
  payload?: JsonValue;
}

/** How one bot plays one game: it reads its latest view and picks a move, or none for now. */
export interface GamePlayer {
  /** A new game started in the bot's room: forget the last one. */
  startGame?(): void;
  /** The move to send now for `view` (the bot's own view of the game), or null to wait for the next view. */
  nextMove(view: unknown, playerId: string): GameMove | null;
  /** The server acknowledged `move` (accepted or not). */
  acknowledged?(move: GameMove, isAccepted: boolean): void;
}

/** What the load generator knows of a game: its player limits, its room options and how a bot plays it. */
export interface BotGameRules {
  minPlayers: number;
  maxPlayers: number;
  /** The options a bot creates a room of `roomSize` with (before the caller's overrides). */
  roomOptions(roomSize: number): JsonObject;
  /** A player for one bot, in a room created with `options`. */
  createPlayer(options: JsonObject): GamePlayer;
}

/** A random integer in [0, n). The load generator is not a game: Math.random is fine here. */
export function randomIndex(n: number): number {
  return Math.floor(Math.random() * n);
}

/** Whether `value` is a plain object (a view or payload read off the wire). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

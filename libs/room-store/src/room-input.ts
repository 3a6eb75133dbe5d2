import { assertJsonValue, InvalidArgumentError, isJsonObject } from '@gamebuddies/core';
import { RecordTooLargeError } from './errors';
import type { RoomPatch, RoomPlayer } from './room-store';
import { MAX_TTL_MS } from './store-options';

/** Content fields ready to store, as JSON text. Only the parts being written are present. */
export interface EncodedContent {
  options?: string;
  state?: string;
  players?: string;
}

const GAME_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** @throws InvalidArgumentError unless the game id is 1–64 letters, digits, `.`, `_` or `-`. */
export function validateGameId(gameId: unknown): string {
  if (typeof gameId !== 'string' || !GAME_ID_PATTERN.test(gameId)) {
    throw new InvalidArgumentError('gameId must be 1-64 letters, digits, ".", "_" or "-"', { gameId: String(gameId) });
  }
  return gameId;
}

/** @throws InvalidArgumentError unless `ttlMs` is an integer from 1 ms to 30 days. */
export function validateTtl(ttlMs: unknown, label = 'ttlMs'): number {
  if (typeof ttlMs !== 'number' || !Number.isInteger(ttlMs) || ttlMs < 1 || ttlMs > MAX_TTL_MS) {
    throw new InvalidArgumentError(`${label} must be an integer from 1 to ${MAX_TTL_MS}`, { [label]: String(ttlMs) });
  }
  return ttlMs;
}

/** @throws InvalidArgumentError unless `value` is a non-negative safe integer. */
export function validateCounter(value: unknown, label: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidArgumentError(`${label} must be a non-negative integer`, { [label]: String(value) });
  }
  return value;
}

const OPERATION_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

/** @throws InvalidArgumentError unless `value` (a requestId or writeId) is 1–128 visible ASCII characters. */
export function validateOperationId(value: unknown, label: string): string {
  if (typeof value !== 'string' || !OPERATION_ID_PATTERN.test(value)) {
    throw new InvalidArgumentError(`${label} must be 1 to 128 visible ASCII characters (no spaces)`, { path: label });
  }
  return value;
}

/** @throws InvalidArgumentError unless the node id is a string of 1–200 characters. */
export function validateNodeId(nodeId: unknown): string {
  if (typeof nodeId !== 'string' || nodeId.length === 0 || nodeId.length > 200) {
    throw new InvalidArgumentError('nodeId must be a string of 1 to 200 characters');
  }
  return nodeId;
}

/**
 * Checks a player list: unique ids (1–128 characters), names of 1–64 characters, unique integer seats from 0
 * (or null for spectators), a boolean `isConnected`. Returns a copy holding only those fields.
 * @throws InvalidArgumentError naming the first bad entry.
 */
export function validatePlayers(players: unknown): RoomPlayer[] {
  if (!Array.isArray(players)) throw new InvalidArgumentError('players must be an array');
  const ids = new Set<string>();
  const seats = new Set<number>();
  return players.map((player: unknown, i) => {
    const at = `players[${i}]`;
    if (!isJsonObject(player)) throw new InvalidArgumentError(`${at} must be an object`, { path: at });
    const { id, name, seat, isConnected } = player;
    if (typeof id !== 'string' || id.length === 0 || id.length > 128) {
      throw new InvalidArgumentError(`${at}.id must be a string of 1 to 128 characters`, { path: `${at}.id` });
    }
    if (typeof name !== 'string' || name.length === 0 || name.length > 64) {
      throw new InvalidArgumentError(`${at}.name must be a string of 1 to 64 characters`, { path: `${at}.name` });
    }
    if (seat !== null && (typeof seat !== 'number' || !Number.isInteger(seat) || seat < 0 || seat > 9999)) {
      throw new InvalidArgumentError(`${at}.seat must be null or an integer from 0 to 9999`, { path: `${at}.seat` });
    }
    if (typeof isConnected !== 'boolean') {
      throw new InvalidArgumentError(`${at}.isConnected must be a boolean`, { path: `${at}.isConnected` });
    }
    if (ids.has(id)) throw new InvalidArgumentError(`${at}.id ${id} appears twice`, { path: `${at}.id` });
    ids.add(id);
    if (seat !== null) {
      if (seats.has(seat)) throw new InvalidArgumentError(`${at}.seat ${seat} is taken twice`, { path: `${at}.seat` });
      seats.add(seat);
    }
    return { id, name, seat, isConnected };
  });
}

/**
 * Checks and serialises the parts of a room being written, so both implementations store the same bytes.
 * @throws InvalidArgumentError for non-JSON data or bad players; RecordTooLargeError over `maxBytes`.
 */
export function encodeContent(code: string, patch: RoomPatch, maxBytes: number): EncodedContent {
  if (!isJsonObject(patch)) throw new InvalidArgumentError('the patch must be an object');
  const encoded: EncodedContent = {};
  if (patch.options !== undefined) {
    if (!isJsonObject(patch.options)) throw new InvalidArgumentError('options must be a JSON object', { path: 'options' });
    assertJsonValue(patch.options, 'options');
    encoded.options = JSON.stringify(patch.options);
  }
  if (patch.state !== undefined) {
    assertJsonValue(patch.state, 'state');
    encoded.state = JSON.stringify(patch.state);
  }
  if (patch.players !== undefined) encoded.players = JSON.stringify(validatePlayers(patch.players));
  const bytes =
    Buffer.byteLength(encoded.options ?? '') + Buffer.byteLength(encoded.state ?? '') + Buffer.byteLength(encoded.players ?? '');
  if (bytes > maxBytes) throw new RecordTooLargeError(code, bytes, maxBytes);
  return encoded;
}

import { assertJsonValue, InvalidArgumentError, isJsonObject } from '@gamebuddies/core';
import { RecordTooLargeError } from './errors';
import type { RoomPatch } from './room-store';
import { MAX_TTL_MS } from './store-options';

/** Content fields ready to store, as JSON text. Only the parts being written are present. */
export interface EncodedContent {
  options?: string;
  state?: string;
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
 * Checks and serialises the parts of a room being written, so both implementations store the same bytes.
 * @throws InvalidArgumentError for non-JSON data; RecordTooLargeError over `maxBytes`.
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
  const bytes = Buffer.byteLength(encoded.options ?? '') + Buffer.byteLength(encoded.state ?? '');
  if (bytes > maxBytes) throw new RecordTooLargeError(code, bytes, maxBytes);
  return encoded;
}

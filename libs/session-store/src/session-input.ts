import { assertJsonValue, InvalidArgumentError, isJsonObject } from '@gamebuddies/core';
import { RecordTooLargeError } from './errors';
import { MAX_SESSION_TTL_MS } from './store-options';

/** Longest display name, in characters (code points) after trimming. */
export const DISPLAY_NAME_MAX_LENGTH = 32;
/** Longest player id a caller may choose. */
export const PLAYER_ID_MAX_LENGTH = 128;
/** Longest room code a session may be bound to. */
export const ROOM_CODE_MAX_LENGTH = 64;

/**
 * Control characters (C0, DEL, C1), the bidirectional overrides that let a name disguise its text, and lone
 * surrogates (not text at all: UTF-8, and so Redis, cannot carry them).
 */
const CONTROL_CHARACTERS = /[\p{Cc}\p{Cs}\u202A-\u202E\u2066-\u2069]/u;
/** Identifiers (player ids, room codes): no control characters, lone surrogates or whitespace. */
const IDENTIFIER_BREAKERS = /[\p{Cc}\p{Cs}\s]/u;

/**
 * Trims a display name and checks it: 1–32 characters, no control characters.
 * @throws InvalidArgumentError saying which rule it breaks (never echoing the name).
 */
export function validateDisplayName(displayName: unknown): string {
  if (typeof displayName !== 'string') throw new InvalidArgumentError('displayName must be a string');
  const trimmed = displayName.trim();
  const length = Array.from(trimmed).length;
  if (length === 0 || length > DISPLAY_NAME_MAX_LENGTH) {
    throw new InvalidArgumentError(`displayName must be 1 to ${DISPLAY_NAME_MAX_LENGTH} characters after trimming`, { length });
  }
  if (CONTROL_CHARACTERS.test(trimmed)) throw new InvalidArgumentError('displayName may not hold control characters');
  return trimmed;
}

/**
 * Checks an identifier given by the caller (a player id or a room code): a string of 1 to `maxLength`
 * characters without whitespace or control characters.
 * @throws InvalidArgumentError naming `label`.
 */
export function validateIdentifier(value: unknown, label: string, maxLength: number): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > maxLength || IDENTIFIER_BREAKERS.test(value)) {
    throw new InvalidArgumentError(`${label} must be 1 to ${maxLength} characters without whitespace or control characters`);
  }
  return value;
}

/** @throws InvalidArgumentError unless `ttlMs` is an integer from 1 ms to 30 days. */
export function validateTtl(ttlMs: unknown): number {
  if (typeof ttlMs !== 'number' || !Number.isInteger(ttlMs) || ttlMs < 1 || ttlMs > MAX_SESSION_TTL_MS) {
    throw new InvalidArgumentError(`ttlMs must be an integer from 1 to ${MAX_SESSION_TTL_MS}`, { ttlMs: String(ttlMs) });
  }
  return ttlMs;
}

/**
 * Checks and serialises a session's data, so every implementation stores the same bytes.
 * @throws InvalidArgumentError unless it is a plain JSON object; RecordTooLargeError over `maxBytes`.
 */
export function encodeData(data: unknown, maxBytes: number): string {
  if (!isJsonObject(data)) throw new InvalidArgumentError('data must be a JSON object', { path: 'data' });
  assertJsonValue(data, 'data');
  const encoded = JSON.stringify(data);
  const bytes = Buffer.byteLength(encoded);
  if (bytes > maxBytes) throw new RecordTooLargeError(bytes, maxBytes);
  return encoded;
}

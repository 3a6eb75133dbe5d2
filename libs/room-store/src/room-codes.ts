import { randomInt } from 'node:crypto';
import { InvalidRoomCodeError } from './errors';

/** The characters of room codes: upper-case letters and digits without look-alikes (0/O, 1/I/L). */
export const ROOM_CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** Shortest and longest room code the stores accept. */
export const ROOM_CODE_MIN_LENGTH = 4;
export const ROOM_CODE_MAX_LENGTH = 16;

const CODE_PATTERN = new RegExp(`^[${ROOM_CODE_ALPHABET}]{${ROOM_CODE_MIN_LENGTH},${ROOM_CODE_MAX_LENGTH}}$`);

/** Makes a random room code of `length` characters with a cryptographic random source. */
export function generateRoomCode(length: number): string {
  let code = '';
  for (let i = 0; i < length; i++) code += ROOM_CODE_ALPHABET[randomInt(ROOM_CODE_ALPHABET.length)];
  return code;
}

/**
 * Turns what a player typed into the canonical code: trimmed and upper-cased.
 * @throws InvalidRoomCodeError when it has other characters or a length outside 4–16.
 */
export function normalizeRoomCode(input: unknown): string {
  if (typeof input !== 'string') throw new InvalidRoomCodeError(`expected a string, got ${typeof input}`);
  const code = input.trim().toUpperCase();
  if (!CODE_PATTERN.test(code)) {
    throw new InvalidRoomCodeError(
      `expected ${ROOM_CODE_MIN_LENGTH}-${ROOM_CODE_MAX_LENGTH} characters from ${ROOM_CODE_ALPHABET}`,
    );
  }
  return code;
}

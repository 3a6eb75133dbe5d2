import { createHash } from 'node:crypto';
import type { JsonObject, JsonValue } from '@gamebuddies/core';
import { roomCorrupted } from './errors';
import type { RoomLease, RoomRecord } from './room-store';

/**
 * The schema version written with every room. Version 1 also stored a `players` list (and its `playersSum`);
 * such records still read, their `players` fields ignored, and the next update drops them and writes this
 * version. A record with any other version reads as STORE_CORRUPTED.
 */
export const ROOM_SCHEMA_VERSION = 2;

/** The schema versions a record may carry and still be read: this one and the one before it. */
export const READABLE_ROOM_SCHEMA_VERSIONS: readonly string[] = ['1', String(ROOM_SCHEMA_VERSION)];

/** Fields of a version-1 record that this version ignores and its next update removes. */
export const RETIRED_ROOM_FIELDS = ['players', 'playersSum'] as const;

/** Longest `requestId` (create) and `writeId` (update) the store accepts. */
export const MAX_OPERATION_ID_LENGTH = 128;

/**
 * How a room is stored, by every implementation: a flat map of string fields (a Redis hash). Content fields
 * hold JSON, each with the SHA-1 of its text next to it (`<field>Sum`): a record is checked before every write
 * by hashing, not by decoding, and a field changed outside the store is caught even when it is valid JSON. The
 * rest are integers or plain strings. `leaseNode` is '' while no lease is held. `requestId` (the create's id),
 * `writeId` (the last update's id, '' when it carried none) and the checksums are absent from rooms written
 * before they existed (their JSON is checked instead).
 */
export interface RoomFields {
  schema: string;
  code: string;
  gameId: string;
  options: string;
  state: string;
  version: string;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  fence: string;
  leaseNode: string;
  leaseExpiresAt: string;
  requestId?: string;
  writeId?: string;
  optionsSum?: string;
  stateSum?: string;
}

/** The content fields, in the order they are checked. */
export const CONTENT_FIELDS = ['options', 'state'] as const;

/** The checksum stored next to a content field: the SHA-1 of its UTF-8 text, in lower-case hex (as Redis' `redis.sha1hex`). */
export function contentSum(text: string): string {
  return createHash('sha1').update(text, 'utf8').digest('hex');
}

/** Largest integer a stored counter or time may hold: beyond it JavaScript numbers lose precision. */
const MAX_STORED_INTEGER = Number.MAX_SAFE_INTEGER;
/** A decimal integer without sign, leading zeros, spaces, exponent or hex: what the store writes, nothing else. */
const UNSIGNED_DECIMAL = /^(0|[1-9][0-9]{0,15})$/;
const GAME_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MAX_NODE_ID_LENGTH = 200;
const SHA1_HEX = /^[0-9a-f]{40}$/;

type Corrupt = (field: string, reason: string) => never;

/** The parts of a checked record a write decides on, without its content decoded. */
export interface CheckedRoom {
  version: number;
  fencingToken: number;
  lease: RoomLease | null;
  gameId: string;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
}

/**
 * Checks every stored field of a room before anything is written over it: the scalar fields, and each content
 * field against its checksum (or, for a record from before checksums, its JSON). The Redis scripts make the
 * same checks in the same order (`check_room` in redis-scripts.ts), so a damaged field is named alike whichever
 * operation meets it.
 * @param key the stored record's name, for the error.
 * @param code the room code the record was read under: its `code` field must match.
 * @throws StoreCorruptedError (details: key, field, reason) naming the first damaged field.
 */
export function checkRoomFields(key: string, code: string, fields: Record<string, string>, options: { isContentVerified?: boolean } = {}): CheckedRoom {
  const corrupt: Corrupt = (field, reason) => {
    throw roomCorrupted(key, field, reason);
  };
  if (!READABLE_ROOM_SCHEMA_VERSIONS.includes(fields['schema'] ?? '')) corrupt('schema', `unknown schema version ${JSON.stringify(fields['schema'] ?? null)}`);
  if (fields['code'] !== code) corrupt('code', `code ${JSON.stringify(fields['code'] ?? null)} does not match the key's ${code}`);
  const gameId = fields['gameId'];
  if (gameId === undefined || !GAME_ID.test(gameId)) corrupt('gameId', 'gameId is missing or not a game id');
  const version = storedInteger(fields, 'version', corrupt);
  if (version < 1) corrupt('version', 'version is not a positive integer');
  const createdAt = storedInteger(fields, 'createdAt', corrupt);
  const updatedAt = storedInteger(fields, 'updatedAt', corrupt);
  const expiresAt = storedInteger(fields, 'expiresAt', corrupt);
  const fencingToken = storedInteger(fields, 'fence', corrupt);
  const leaseNode = fields['leaseNode'];
  if (leaseNode === undefined || leaseNode.length > MAX_NODE_ID_LENGTH) corrupt('leaseNode', 'leaseNode is missing or too long');
  const leaseExpiresAt = storedInteger(fields, 'leaseExpiresAt', corrupt);
  if (leaseNode === '' && leaseExpiresAt !== 0) corrupt('leaseExpiresAt', 'leaseExpiresAt is set without a lease holder');
  if (leaseNode !== '' && fencingToken === 0) corrupt('leaseNode', 'leaseNode is set but no fencing token was ever issued');
  if (leaseNode !== '' && leaseExpiresAt === 0) corrupt('leaseExpiresAt', 'leaseExpiresAt is 0 for a held lease');
  for (const name of ['requestId', 'writeId'] as const) {
    const value = fields[name];
    if (value !== undefined && value.length > MAX_OPERATION_ID_LENGTH) corrupt(name, `${name} is longer than ${MAX_OPERATION_ID_LENGTH} characters`);
  }
  // A store that knows the content is exactly what it wrote (and summed) itself may skip hashing it again.
  if (options.isContentVerified !== true) {
    if (!isSummed(fields, 'options', corrupt)) parseOptions(fields, corrupt);
    if (!isSummed(fields, 'state', corrupt)) parseJsonField(fields, 'state', corrupt);
  }
  const lease: RoomLease | null = leaseNode === '' ? null : { nodeId: leaseNode as string, token: fencingToken, expiresAt: leaseExpiresAt };
  return { version, fencingToken, lease, gameId: gameId as string, createdAt, updatedAt, expiresAt };
}

/**
 * Reads stored fields back into a record after {@link checkRoomFields}, so that a damaged record is an error
 * and never a half-read object.
 * @throws StoreCorruptedError (details: key, field, reason) naming the first damaged field.
 */
export function parseRoomFields(key: string, code: string, fields: Record<string, string>): RoomRecord {
  const corrupt: Corrupt = (field, reason) => {
    throw roomCorrupted(key, field, reason);
  };
  const checked = checkRoomFields(key, code, fields);
  const writeId = fields['writeId'];
  return {
    code,
    gameId: checked.gameId,
    options: parseOptions(fields, corrupt),
    state: parseJsonField(fields, 'state', corrupt),
    version: checked.version,
    lease: checked.lease,
    fencingToken: checked.fencingToken,
    createdAt: checked.createdAt,
    updatedAt: checked.updatedAt,
    expiresAt: checked.expiresAt,
    ...(writeId === undefined || writeId === '' ? {} : { writeId }),
  };
}

/** A stored counter or time: a plain decimal integer from 0 to 2^53 - 1 ("0x10", "1e3", " 7", "-1" are damage). */
function storedInteger(fields: Record<string, string>, name: string, corrupt: Corrupt): number {
  const raw = fields[name];
  if (raw === undefined) return corrupt(name, `${name} is missing`);
  if (!UNSIGNED_DECIMAL.test(raw)) return corrupt(name, `${name} is not a decimal integer`);
  const value = Number(raw);
  if (value > MAX_STORED_INTEGER) return corrupt(name, `${name} is beyond 2^53 - 1`);
  return value;
}

/**
 * Checks a content field against its checksum: true when it matches, false when it has none (a record from
 * before checksums, whose JSON is checked instead).
 */
function isSummed(fields: Record<string, string>, name: (typeof CONTENT_FIELDS)[number], corrupt: Corrupt): boolean {
  const sum = fields[`${name}Sum`];
  if (sum === undefined) return false;
  if (!SHA1_HEX.test(sum)) corrupt(`${name}Sum`, `${name}Sum is not a SHA-1 checksum`);
  const text = fields[name];
  if (text === undefined || contentSum(text) !== sum) corrupt(name, `${name} does not match its checksum (it was changed outside the store)`);
  return true;
}

function parseOptions(fields: Record<string, string>, corrupt: Corrupt): JsonObject {
  const options = parseJsonField(fields, 'options', corrupt);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) return corrupt('options', 'options is not a JSON object');
  return options;
}

function parseJsonField(fields: Record<string, string>, name: string, corrupt: Corrupt): JsonValue {
  const raw = fields[name];
  if (raw === undefined) return corrupt(name, `${name} is missing`);
  try {
    return JSON.parse(raw) as JsonValue;
  } catch {
    return corrupt(name, `${name} is not valid JSON`);
  }
}

/** Turns the flat `[field, value, field, value, …]` reply of HGETALL inside a script into a map. */
export function fieldsFromPairs(pairs: readonly unknown[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < pairs.length; i += 2) fields[String(pairs[i])] = String(pairs[i + 1]);
  return fields;
}

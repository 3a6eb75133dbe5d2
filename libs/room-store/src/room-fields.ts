import { StoreCorruptedError, type JsonObject, type JsonValue } from '@gamebuddies/core';
import type { RoomLease, RoomPlayer, RoomRecord } from './room-store';

/** The schema version written with every room. A record with another version reads as STORE_CORRUPTED. */
export const ROOM_SCHEMA_VERSION = 1;

/**
 * How a room is stored, by every implementation: a flat map of string fields (a Redis hash). Content fields
 * hold JSON; the rest are integers or plain strings. `leaseNode` is '' while no lease is held.
 */
export interface RoomFields {
  schema: string;
  code: string;
  gameId: string;
  options: string;
  state: string;
  players: string;
  version: string;
  createdAt: string;
  updatedAt: string;
  expiresAt: string;
  fence: string;
  leaseNode: string;
  leaseExpiresAt: string;
}

const INTEGER_FIELDS = ['version', 'createdAt', 'updatedAt', 'expiresAt', 'fence', 'leaseExpiresAt'] as const;

/**
 * Reads stored fields back into a record, checking every field, so that a damaged record is an error and
 * never a half-read object.
 * @throws StoreCorruptedError naming the key and what is wrong.
 */
export function parseRoomFields(key: string, fields: Record<string, string>): RoomRecord {
  const corrupt = (reason: string): never => {
    throw new StoreCorruptedError(`stored room ${key} cannot be read: ${reason}`, { key, reason });
  };
  if (fields['schema'] !== String(ROOM_SCHEMA_VERSION)) corrupt(`unknown schema version ${JSON.stringify(fields['schema'])}`);
  const ints: Partial<Record<(typeof INTEGER_FIELDS)[number], number>> = {};
  for (const name of INTEGER_FIELDS) {
    const raw = fields[name];
    const value = raw === undefined || !/^-?\d{1,16}$/.test(raw) ? Number.NaN : Number(raw);
    if (!Number.isSafeInteger(value)) corrupt(`${name} is not an integer`);
    ints[name] = value;
  }
  const code = fields['code'];
  const gameId = fields['gameId'];
  const leaseNode = fields['leaseNode'];
  if (!code) corrupt('code is missing');
  if (!gameId) corrupt('gameId is missing');
  if (leaseNode === undefined) corrupt('leaseNode is missing');
  const options = parseJsonField(fields, 'options', corrupt);
  if (typeof options !== 'object' || options === null || Array.isArray(options)) corrupt('options is not an object');
  const state = parseJsonField(fields, 'state', corrupt);
  const players = parsePlayers(parseJsonField(fields, 'players', corrupt), corrupt);
  const fencingToken = ints.fence as number;
  const lease: RoomLease | null =
    leaseNode === '' ? null : { nodeId: leaseNode as string, token: fencingToken, expiresAt: ints.leaseExpiresAt as number };
  return {
    code: code as string,
    gameId: gameId as string,
    options: options as JsonObject,
    state,
    version: ints.version as number,
    players,
    lease,
    fencingToken,
    createdAt: ints.createdAt as number,
    updatedAt: ints.updatedAt as number,
    expiresAt: ints.expiresAt as number,
  };
}

function parseJsonField(fields: Record<string, string>, name: string, corrupt: (reason: string) => never): JsonValue {
  const raw = fields[name];
  if (raw === undefined) return corrupt(`${name} is missing`);
  try {
    return JSON.parse(raw) as JsonValue;
  } catch {
    return corrupt(`${name} is not valid JSON`);
  }
}

function parsePlayers(value: JsonValue, corrupt: (reason: string) => never): RoomPlayer[] {
  if (!Array.isArray(value)) return corrupt('players is not an array');
  return value.map((item, i) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return corrupt(`players[${i}] is not an object`);
    const { id, name, seat, isConnected } = item;
    if (typeof id !== 'string' || typeof name !== 'string' || typeof isConnected !== 'boolean') {
      return corrupt(`players[${i}] lacks id, name or isConnected`);
    }
    if (seat !== null && (typeof seat !== 'number' || !Number.isInteger(seat))) return corrupt(`players[${i}].seat is not an integer`);
    return { id, name, seat, isConnected };
  });
}

/** Turns the flat `[field, value, field, value, …]` reply of HGETALL inside a script into a map. */
export function fieldsFromPairs(pairs: readonly string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < pairs.length; i += 2) fields[pairs[i] as string] = pairs[i + 1] as string;
  return fields;
}

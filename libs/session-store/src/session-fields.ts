import { isJsonObject, StoreCorruptedError } from '@gamebuddies/core';
import type { Session } from './session-store';

/** The schema version written with every session. A record with another version reads as STORE_CORRUPTED. */
export const SESSION_SCHEMA_VERSION = 1;

/**
 * How a session is stored, by every implementation: a flat map of string fields (a Redis hash), under the
 * SHA-256 of its token. `data` holds JSON, times are integers, `roomCode` is '' while no room is bound. The
 * token itself is in no field.
 */
export interface SessionFields {
  schema: string;
  sessionId: string;
  playerId: string;
  displayName: string;
  roomCode: string;
  data: string;
  ttlMs: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

/** The fields a write may replace; the backend sets the times itself. */
export type SessionChanges = Partial<Pick<SessionFields, 'displayName' | 'data' | 'roomCode'>>;

/** The fields of a new session that the caller chooses; the backend adds the schema, times and window. */
export type NewSessionFields = Pick<SessionFields, 'sessionId' | 'playerId' | 'displayName' | 'data'>;

const INTEGER_FIELDS = ['ttlMs', 'createdAt', 'lastSeenAt', 'expiresAt'] as const;
const TEXT_FIELDS = ['sessionId', 'playerId', 'displayName'] as const;

/** Throws the STORE_CORRUPTED error for the record stored under `key`. */
export function corruptedSession(key: string, reason: string): never {
  throw new StoreCorruptedError(`stored session ${key} cannot be read: ${reason}`, { key, reason });
}

/**
 * Reads stored fields back into a session, checking every field, so that a damaged record is an error and
 * never a half-read object.
 * @throws StoreCorruptedError naming the key (the token's hash, never the token) and what is wrong.
 */
export function parseSessionFields(key: string, fields: Record<string, string>): Session {
  const corrupt = (reason: string): never => corruptedSession(key, reason);
  if (fields['schema'] !== String(SESSION_SCHEMA_VERSION)) corrupt(`unknown schema version ${JSON.stringify(fields['schema'])}`);
  const ints = {} as Record<(typeof INTEGER_FIELDS)[number], number>;
  for (const name of INTEGER_FIELDS) {
    const raw = fields[name];
    if (raw === undefined || !/^\d{1,16}$/.test(raw) || !Number.isSafeInteger(Number(raw))) corrupt(`${name} is not an integer`);
    ints[name] = Number(raw);
  }
  const texts = {} as Record<(typeof TEXT_FIELDS)[number], string>;
  for (const name of TEXT_FIELDS) {
    const raw = fields[name];
    if (raw === undefined || raw === '') corrupt(`${name} is missing`);
    texts[name] = raw as string;
  }
  const roomCode = fields['roomCode'];
  if (roomCode === undefined) corrupt('roomCode is missing');
  let data: unknown;
  try {
    data = JSON.parse(fields['data'] ?? '');
  } catch {
    corrupt('data is not valid JSON');
  }
  if (!isJsonObject(data)) return corrupt('data is not a JSON object');
  return { ...texts, roomCode: roomCode === '' ? null : (roomCode as string), data, ...ints };
}

import { isJsonObject, StoreCorruptedError } from '@gamebuddies/core';
import type { Session } from './session-store';

/**
 * The schema version written with every session. Version 2 added `roomBoundAt` and `createRequest`; records of
 * version 1 are still read (bound ones as bound since `createdAt`) and are written as version 2 on their next
 * write. A record with any other version reads as STORE_CORRUPTED.
 */
export const SESSION_SCHEMA_VERSION = 2;

/**
 * How a session is stored, by every implementation: a flat map of string fields (a Redis hash), under the
 * SHA-256 of its token. `data` holds JSON, times are integers, `roomCode` and `roomBoundAt` are '' while no
 * room is bound, `createRequest` is the fingerprint of the create input ('' for records migrated from
 * version 1). The token itself is in no field.
 */
export interface SessionFields {
  schema: string;
  sessionId: string;
  playerId: string;
  displayName: string;
  roomCode: string;
  roomBoundAt: string;
  createRequest: string;
  data: string;
  ttlMs: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

/** The fields a write may replace; the backend sets the times (and `roomBoundAt` with `roomCode`) itself. */
export type SessionChanges = Partial<Pick<SessionFields, 'displayName' | 'data' | 'roomCode'>>;

/** The fields of a new session that the caller chooses; the backend adds the schema, times and window. */
export type NewSessionFields = Pick<SessionFields, 'sessionId' | 'playerId' | 'displayName' | 'data' | 'createRequest'>;

/** What is wrong with a stored record: the field and why. */
export interface SessionDamage {
  field: string;
  reason: string;
}

const TIME_FIELDS = ['createdAt', 'lastSeenAt', 'expiresAt'] as const;
const TEXT_FIELDS = ['sessionId', 'playerId', 'displayName'] as const;
/** Integers of at most 15 digits: safe in JavaScript and read the same way by the Redis scripts. */
const INTEGER = /^\d{1,15}$/;
const POSITIVE_INTEGER = /^[1-9]\d{0,14}$/;
const FINGERPRINT = /^[0-9a-f]{64}$/;

/**
 * Throws the STORE_CORRUPTED error for the record (or index) stored under `key`: details name the key and,
 * for a damaged field, the field.
 */
export function corruptedSession(key: string, reason: string, field?: string): never {
  // StoreCorruptedError types its details as { key, reason }; the field rides along for callers that read it.
  const details = field === undefined ? { key, reason } : { key, reason, field };
  throw new StoreCorruptedError(`stored session ${key} cannot be read: ${reason}`, details);
}

/**
 * Finds the first damaged field of a stored record, checking every field in a fixed order, or undefined when
 * the record is whole. The Redis scripts run the same checks in the same order (`DAMAGE_OF` in
 * redis-scripts.ts) before they write, so both stores refuse the same records with the same reasons.
 */
export function findDamage(fields: Readonly<Record<string, string>>): SessionDamage | undefined {
  const schema = fields['schema'];
  if (schema !== '1' && schema !== '2') return { field: 'schema', reason: 'schema is not a known version' };
  if (!POSITIVE_INTEGER.test(fields['ttlMs'] ?? '')) return { field: 'ttlMs', reason: 'ttlMs is not a positive integer' };
  for (const name of TIME_FIELDS) if (!INTEGER.test(fields[name] ?? '')) return { field: name, reason: `${name} is not an integer` };
  for (const name of TEXT_FIELDS) if ((fields[name] ?? '') === '') return { field: name, reason: `${name} is missing` };
  const roomCode = fields['roomCode'];
  if (roomCode === undefined) return { field: 'roomCode', reason: 'roomCode is missing' };
  if (schema === '2') {
    const boundAt = fields['roomBoundAt'];
    if (roomCode === '' ? boundAt !== '' : !INTEGER.test(boundAt ?? '')) {
      return { field: 'roomBoundAt', reason: 'roomBoundAt does not match roomCode' };
    }
    const request = fields['createRequest'];
    if (request === undefined || (request !== '' && !FINGERPRINT.test(request))) {
      return { field: 'createRequest', reason: 'createRequest is not a request fingerprint' };
    }
  }
  const data = fields['data'] ?? '';
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return { field: 'data', reason: 'data is not valid JSON' };
  }
  if (!isJsonObject(parsed)) return { field: 'data', reason: 'data is not a JSON object' };
  return undefined;
}

/** @throws StoreCorruptedError naming `key` and the damaged field, unless the record is whole. */
export function assertWhole(key: string, fields: Readonly<Record<string, string>>): void {
  const damage = findDamage(fields);
  if (damage !== undefined) corruptedSession(key, damage.reason, damage.field);
}

/**
 * The stored `roomBoundAt` of a whole record: its own for schema 2; for schema 1, which did not keep it,
 * `createdAt` while bound (the earliest the binding can have been set) and '' while unbound.
 */
export function storedRoomBoundAt(fields: Readonly<Record<string, string>>): string {
  if (fields['schema'] === '2') return fields['roomBoundAt'] ?? '';
  return fields['roomCode'] === '' ? '' : (fields['createdAt'] ?? '');
}

/**
 * Reads stored fields back into a session, checking every field, so that a damaged record is an error and
 * never a half-read object.
 * @throws StoreCorruptedError naming the key (the token's hash, never the token) and the damaged field.
 */
export function parseSessionFields(key: string, fields: Readonly<Record<string, string>>): Session {
  assertWhole(key, fields);
  const roomCode = fields['roomCode'] as string;
  const boundAt = storedRoomBoundAt(fields);
  return {
    sessionId: fields['sessionId'] as string,
    playerId: fields['playerId'] as string,
    displayName: fields['displayName'] as string,
    roomCode: roomCode === '' ? null : roomCode,
    roomBoundAt: boundAt === '' ? null : Number(boundAt),
    data: JSON.parse(fields['data'] as string) as Session['data'],
    createdAt: Number(fields['createdAt']),
    lastSeenAt: Number(fields['lastSeenAt']),
    expiresAt: Number(fields['expiresAt']),
    ttlMs: Number(fields['ttlMs']),
  };
}

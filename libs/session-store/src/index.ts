export type { CreatedSession, CreateSessionInput, Session, SessionPatch, SessionStore } from './session-store';
export * from './errors';
export { MemorySessionBackend, MemorySessionStore, type MemorySessionStoreOptions } from './memory';
export { RedisSessionStore, type RedisSessionStoreOptions } from './redis';
export { SESSION_SCHEMA_VERSION } from './session-fields';
export { DISPLAY_NAME_MAX_LENGTH, PLAYER_ID_MAX_LENGTH, ROOM_CODE_MAX_LENGTH } from './session-input';
export { SESSION_TOKEN_BYTES, generateSessionToken, hashSessionToken, isWellFormedSessionToken } from './session-tokens';
export {
  DEFAULT_MAX_DATA_BYTES,
  DEFAULT_SESSION_TTL_MS,
  MAX_DATA_BYTES_LIMIT,
  MAX_SESSION_TTL_MS,
  type SessionStoreOptions,
} from './store-options';

export type {
  BindRoomOptions,
  CreatedSession,
  CreateSessionInput,
  Session,
  SessionPatch,
  SessionStore,
  UnbindRoomOptions,
} from './session-store';
export * from './errors';
export { MemorySessionBackend, MemorySessionStore, type MemorySessionStoreOptions } from './memory';
export { RedisSessionStore, type RedisSessionStoreOptions } from './redis';
export { SESSION_SCHEMA_VERSION } from './session-fields';
export { DISPLAY_NAME_MAX_LENGTH, PLAYER_ID_MAX_LENGTH, ROOM_CODE_MAX_LENGTH } from './session-input';
export {
  SESSION_TOKEN_BYTES,
  generateSessionToken,
  hashSessionToken,
  isCanonicalSessionToken,
  isWellFormedSessionToken,
} from './session-tokens';
export {
  DEFAULT_MAX_DATA_BYTES,
  DEFAULT_SESSION_TTL_MS,
  DEFAULT_SWEEP_BATCH_SIZE,
  DEFAULT_SWEEP_INTERVAL_MS,
  MAX_DATA_BYTES_LIMIT,
  MAX_SESSION_TTL_MS,
  MAX_SWEEP_BATCH_SIZE,
  type SessionStoreOptions,
} from './store-options';

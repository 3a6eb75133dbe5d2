export type {
  CreateRoomInput,
  DamagedRoom,
  DeleteConditions,
  LeaseResult,
  RoomChange,
  RoomChangeType,
  RoomLease,
  RoomPage,
  RoomPatch,
  RoomRecord,
  RoomStore,
  RoomSubscription,
  RoomWriteResult,
  WriteConditions,
} from './room-store';
export * from './errors';
export { MemoryRoomBackend, MemoryRoomStore, type MemoryRoomStoreOptions } from './memory';
export { RedisRoomStore, type RedisRoomStoreOptions } from './redis';
export { ROOM_CODE_ALPHABET, ROOM_CODE_MAX_LENGTH, ROOM_CODE_MIN_LENGTH, generateRoomCode, normalizeRoomCode } from './room-codes';
export { MAX_OPERATION_ID_LENGTH, ROOM_SCHEMA_VERSION } from './room-fields';
export { MAX_NOTICE_LENGTH, MAX_PAGE_SIZE, isOutcomeUnknown, isVersionConflict, type SweepResult } from './room-store-base';
export {
  DEFAULT_ROOM_TTL_MS,
  DEFAULT_SWEEP_INTERVAL_MS,
  MAX_TTL_MS,
  type CorruptedRoomInfo,
  type RoomStoreOptions,
} from './store-options';
export { applyWrite, updateWithRetry, type UpdateWithRetryOptions } from './update-with-retry';

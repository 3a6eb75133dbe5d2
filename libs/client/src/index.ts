export * from './client';
export * from './errors';
export * from './token-store';
export type { Unsubscribe } from './listener-set';
export { isGameBuddiesError } from '@gamebuddies/core';
export type {
  GameEvent,
  GameOptions,
  GameSummary,
  MemberChange,
  MemberSummary,
  RoomClosed,
  RoomSnapshot,
  ServerDraining,
  SessionInfo,
} from '@gamebuddies/protocol';

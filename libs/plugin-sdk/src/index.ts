export * from './define-game';
export * from './errors';
export * from './messages';
export { createRandom, seedRandomState, isRandomState, type Random, type RandomState } from './random';
export * from './replay';
export type { ActionLog, LogEntry, ReplayLog, RoomInput } from './room-input';
export * from './room-state';
export { createGameRuntime, type AppliedStep, type CreateRoomInput, type GameRuntime, type RefusedStep, type RoomMessageOf, type RoomStateOf, type RuntimeOptions, type StepResult } from './runtime';
export { isStandardSchema, validateWithSchema, type Schema, type SchemaResult } from './schema';

export * from './cards';
export * from './game';
export * from './options';
export * from './state';
export * from './view';
export { canPlay, TURN_TIMER } from './rules';

export * from './game';
export * from './options';
export * from './questions';
export * from './scoring';
export * from './state';
export * from './view';
export { NEXT_TIMER, ROUND_TIMER, rankStandings } from './rounds';

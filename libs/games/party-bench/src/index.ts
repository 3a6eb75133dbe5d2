export * from './game';
export * from './options';
export * from './state';
export * from './view';
export { CHOICE_COUNT, rankStandings, rightChoice, RIGHT_POINTS, roundOf, WRONG_POINTS } from './rules';

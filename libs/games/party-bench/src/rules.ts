import { ActionFailedError, type GameContext } from '@gamebuddies/plugin-sdk';
import type { PartyBenchOptions } from './options';
import type { PartyBenchResult, PartyBenchState, PartyScore, PartyStanding } from './state';

/** The context party-bench code runs with. */
export type PartyBenchContext = GameContext<PartyBenchOptions, PartyBenchResult>;

/** The number of choices of every round. */
export const CHOICE_COUNT = 4;
/** Points for the round's right choice. */
export const RIGHT_POINTS = 10;
/** Points for any other choice. */
export const WRONG_POINTS = 1;

/** Refuses an action by the rules; `reason` is a stable code for clients. */
export function refuse(message: string, reason: string): never {
  throw new ActionFailedError(message, { reason });
}

/**
 * The round a room is in: one round per answer of every seated player, counted from 1. Derived from the
 * answer counter, so it is never stored twice.
 */
export function roundOf(state: PartyBenchState): number {
  const seated = Object.keys(state.scores).length;
  return Math.floor(state.answers / Math.max(1, seated)) + 1;
}

/** The right choice of `round` (0–3): a hash of the room's salt and the round, so it needs no stored list. */
export function rightChoice(salt: number, round: number): number {
  let h = Math.imul(salt ^ round, 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return (h >>> 0) % CHOICE_COUNT;
}

/** Counts the players with a better score than `score`, plus one: equal scores share a rank. */
export function rankOf(state: PartyBenchState, score: number): number {
  let better = 0;
  for (const id in state.scores) {
    if ((state.scores[id]?.score ?? 0) > score) better++;
  }
  return better + 1;
}

/**
 * Scores `choice` for the actor: {@link RIGHT_POINTS} for the round's right choice, else {@link WRONG_POINTS}.
 * Returns a new state that shares every unchanged score line with the old one (works whether or not the runtime
 * hands handlers a copy). Ends the game once every player still here has given `answersPerPlayer` answers.
 */
export function answer(state: PartyBenchState, choice: number, ctx: PartyBenchContext & { actorId: string }): PartyBenchState {
  const entry = state.scores[ctx.actorId];
  if (entry === undefined) refuse('You are not playing this game', 'NOT_PLAYING');
  const limit = ctx.options.answersPerPlayer;
  if (limit > 0 && entry.answers >= limit) refuse(`You have given all ${limit} answers`, 'NO_ANSWERS_LEFT');
  const points = choice === rightChoice(state.salt, roundOf(state)) ? RIGHT_POINTS : WRONG_POINTS;
  const updated: PartyScore = { ...entry, score: entry.score + points, answers: entry.answers + 1 };
  const leader = state.leaderId === null ? undefined : state.scores[state.leaderId];
  const next: PartyBenchState = {
    ...state,
    answers: state.answers + 1,
    scores: { ...state.scores, [ctx.actorId]: updated },
    leaderId: leader === undefined || updated.score > leader.score ? ctx.actorId : state.leaderId,
  };
  return limit > 0 && updated.answers === limit ? finishIfDone(next, ctx) : next;
}

/** Ends the game when `answersPerPlayer` is set and every player still here has used their answers. */
export function finishIfDone(state: PartyBenchState, ctx: PartyBenchContext): PartyBenchState {
  const limit = ctx.options.answersPerPlayer;
  if (limit === 0) return state;
  let playing = 0;
  for (const id in state.scores) {
    const entry = state.scores[id];
    if (entry === undefined || entry.hasLeft) continue;
    playing++;
    if (entry.answers < limit) return state;
  }
  if (playing > 0) finish(state, ctx);
  return state;
}

/** Ends the game with the standings. */
export function finish(state: PartyBenchState, ctx: PartyBenchContext): PartyBenchState {
  ctx.end({ standings: rankStandings(state.scores), answers: state.answers });
  return state;
}

/** Scores from best to worst (then by name); equal scores share a rank. */
export function rankStandings(scores: Record<string, PartyScore>): PartyStanding[] {
  const sorted = Object.entries(scores)
    .map(([playerId, entry]) => ({ playerId, name: entry.name, score: entry.score, answers: entry.answers }))
    .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
  let rank = 0;
  return sorted.map((line, index) => {
    if (index === 0 || sorted[index - 1]?.score !== line.score) rank = index + 1;
    return { ...line, rank };
  });
}

import { defineGame } from '@gamebuddies/plugin-sdk';
import { z } from 'zod';
import { partyBenchOptionsSchema, type PartyBenchOptions } from './options';
import { answer, CHOICE_COUNT, finish, finishIfDone, type PartyBenchContext } from './rules';
import type { PartyBenchResult, PartyBenchState, PartyScore } from './state';
import { viewPartyBench } from './view';

/** The game id of the party bench. */
export const PARTY_BENCH_ID = 'party-bench';

/**
 * The "party quiz" bench workload: players answer as fast as they like, each answer scores at once (10 for
 * the round's right choice, 1 otherwise) and moves the room's answer counter, and every member gets a tiny
 * view. With `answersPerPlayer` the game ends once everyone has answered that often.
 */
export const partyBench = defineGame({
  id: PARTY_BENCH_ID,
  name: 'Party bench',
  version: '0.1.0',
  minPlayers: 1,
  maxPlayers: 100,
  maxSpectators: 20,
  lateJoin: 'spectator',
  options: partyBenchOptionsSchema,

  setup(options: PartyBenchOptions, ctx: PartyBenchContext): PartyBenchState {
    const scores: Record<string, PartyScore> = {};
    for (const player of ctx.players.slice(0, options.maxPlayers)) scores[player.id] = { name: player.name, score: 0, answers: 0, hasLeft: false };
    return { salt: ctx.random.int(0, 0x7fffffff), answers: 0, scores, leaderId: null };
  },

  actions: {
    /** A player answers the current round with a choice 0–3. */
    answer: {
      payload: z.object({ choice: z.number().int().min(0).max(CHOICE_COUNT - 1) }),
      handle: (state, { choice }, ctx) => answer(state, choice, ctx),
    },
    /** Host: end the game now with the current standings. */
    end: { isHostOnly: true, handle: (state, _payload, ctx) => finish(state, ctx) },
  },

  onPlayerLeft(state, { player }, ctx) {
    const entry = state.scores[player.id];
    if (entry === undefined) return state;
    return finishIfDone({ ...state, scores: { ...state.scores, [player.id]: { ...entry, hasLeft: true } } }, ctx);
  },

  onPlayerJoined(state, { player }) {
    const entry = state.scores[player.id];
    if (entry === undefined || !entry.hasLeft) return state;
    return { ...state, scores: { ...state.scores, [player.id]: { ...entry, hasLeft: false } } };
  },

  view: viewPartyBench,
});

/** The type of the party-bench definition. */
export type PartyBench = typeof partyBench;

/** The result the game ends with (re-exported for the gateway and clients). */
export type { PartyBenchResult };

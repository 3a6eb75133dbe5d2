import type { Viewer } from '@gamebuddies/plugin-sdk';
import { rankOf, roundOf } from './rules';
import type { PartyBenchState } from './state';

/** The leader as everyone sees them. */
export interface LeaderView {
  name: string;
  score: number;
}

/**
 * What one member sees: a few numbers (about 70 bytes of JSON), so a push measures the platform, not the
 * game. Spectators and unseated members see score 0 and rank null.
 */
export interface PartyBenchView {
  /** 1-based; one round per answer of every seated player. */
  round: number;
  myScore: number;
  /** 1 for the best score; equal scores share a rank; null for a member without a seat. */
  myRank: number | null;
  leader: LeaderView | null;
}

/** Builds one member's view, reading only what it shows (no copy of the score sheet). */
export function viewPartyBench(state: PartyBenchState, viewer: Viewer): PartyBenchView {
  const mine = state.scores[viewer.id];
  const leader = state.leaderId === null ? undefined : state.scores[state.leaderId];
  return {
    round: roundOf(state),
    myScore: mine?.score ?? 0,
    myRank: mine === undefined ? null : rankOf(state, mine.score),
    leader: leader === undefined ? null : { name: leader.name, score: leader.score },
  };
}

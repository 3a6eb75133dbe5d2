import type { GameContext } from '@gamebuddies/plugin-sdk';
import type { QuizOptions } from './options';
import { scoreAnswer } from './scoring';
import type { QuizResult, QuizState, RoundResult, ScoreEntry, Standing } from './state';

/** The context quiz code runs with. */
export type QuizContext = GameContext<QuizOptions, QuizResult>;

/** The timer that closes a round when its time is up. */
export const ROUND_TIMER = 'round-end';
/** The timer that moves on after a reveal (when `revealSeconds` > 0). */
export const NEXT_TIMER = 'next-question';

/** Opens round `index`: a fresh answer sheet and a running round timer. */
export function startRound(state: QuizState, index: number, ctx: QuizContext): QuizState {
  const now = ctx.now();
  const roundMs = ctx.options.roundSeconds * 1000;
  ctx.cancel(NEXT_TIMER);
  ctx.schedule(ROUND_TIMER, roundMs, { round: index });
  ctx.emit('round-started', { round: index + 1, endsAt: now + roundMs });
  return { ...state, roundIndex: index, stage: 'question', roundStartedAt: now, roundEndsAt: now + roundMs, answers: {}, results: null };
}

/** Whether `playerId` plays the current round (has a score entry, is still here, and joined in time). */
export function isPlayingRound(state: QuizState, playerId: string): boolean {
  const entry = state.scores[playerId];
  return entry !== undefined && !entry.hasLeft && entry.joinsAtRound <= state.roundIndex;
}

/** Closes the round: scores every player of it, shows the answer and (maybe) schedules the next question. */
export function revealRound(state: QuizState, ctx: QuizContext): QuizState {
  const question = state.questions[state.roundIndex];
  if (question === undefined) return state;
  ctx.cancel(ROUND_TIMER);
  const results: Record<string, RoundResult> = {};
  const scores: Record<string, ScoreEntry> = { ...state.scores };
  for (const [playerId, entry] of Object.entries(state.scores)) {
    if (!isPlayingRound(state, playerId)) continue;
    const answer = state.answers[playerId];
    const isCorrect = answer?.choice === question.answer;
    const points = answer === undefined ? 0 : scoreAnswer(isCorrect, answer.at - state.roundStartedAt, state.roundEndsAt - state.roundStartedAt);
    results[playerId] = { choice: answer?.choice ?? null, isCorrect, points };
    scores[playerId] = { ...entry, score: entry.score + points, correct: entry.correct + (isCorrect ? 1 : 0) };
  }
  if (ctx.options.revealSeconds > 0) ctx.schedule(NEXT_TIMER, ctx.options.revealSeconds * 1000);
  ctx.emit('revealed', { round: state.roundIndex + 1, answer: question.answer, results });
  return { ...state, stage: 'reveal', results, scores };
}

/** Reveals early once every connected player of the round has answered. */
export function revealIfEveryoneAnswered(state: QuizState, ctx: QuizContext): QuizState {
  if (state.stage !== 'question') return state;
  const waitingFor = ctx.players.filter((player) => player.isConnected && isPlayingRound(state, player.id) && state.answers[player.id] === undefined);
  const isAnyonePlaying = ctx.players.some((player) => player.isConnected && isPlayingRound(state, player.id));
  return isAnyonePlaying && waitingFor.length === 0 ? revealRound(state, ctx) : state;
}

/** After a reveal: the next question, or the end of the game after the last one. */
export function advance(state: QuizState, ctx: QuizContext): QuizState {
  return state.roundIndex + 1 < state.questions.length ? startRound(state, state.roundIndex + 1, ctx) : finish(state, ctx);
}

/** Ends the game with the standings. A round still open is not counted. */
export function finish(state: QuizState, ctx: QuizContext): QuizState {
  ctx.end({ standings: rankStandings(state.scores), questionsPlayed: state.stage === 'reveal' ? state.roundIndex + 1 : state.roundIndex });
  return state;
}

/** Scores from best to worst (then by correct answers, then by name); equal scores share a rank. */
export function rankStandings(scores: Record<string, ScoreEntry>): Standing[] {
  const sorted = Object.entries(scores)
    .map(([playerId, entry]) => ({ playerId, name: entry.name, score: entry.score, correct: entry.correct }))
    .sort((a, b) => b.score - a.score || b.correct - a.correct || a.name.localeCompare(b.name));
  return sorted.map((line) => ({ ...line, rank: sorted.findIndex((other) => other.score === line.score) + 1 }));
}

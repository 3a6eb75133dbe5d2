import { ActionFailedError, defineGame, type MemberInfo } from '@gamebuddies/plugin-sdk';
import { z } from 'zod';
import { quizOptionsSchema, type QuizOptions } from './options';
import { builtInQuestionSource, type QuestionSource } from './questions';
import { advance, finish, isPlayingRound, NEXT_TIMER, revealIfEveryoneAnswered, revealRound, ROUND_TIMER, startRound, type QuizContext } from './rounds';
import type { QuizResult, QuizState, ScoreEntry } from './state';
import { viewQuiz } from './view';

/** The game id of the school quiz. */
export const SCHOOL_QUIZ_ID = 'school-quiz';

/** How the quiz is built. */
export interface SchoolQuizDependencies {
  /** Where questions come from (default: the packs shipped with this lib). */
  questions?: QuestionSource;
}

function refuse(message: string, reason: string): never {
  throw new ActionFailedError(message, { reason });
}

function newScoreEntry(player: MemberInfo, joinsAtRound: number): ScoreEntry {
  return { name: player.name, score: 0, correct: 0, joinsAtRound, hasLeft: false };
}

function answer(state: QuizState, choice: number, ctx: QuizContext & { actorId: string }): QuizState {
  const question = state.questions[state.roundIndex];
  if (state.stage !== 'question' || ctx.now() > state.roundEndsAt || question === undefined) refuse('This round is closed', 'ROUND_CLOSED');
  if (state.scores[ctx.actorId] === undefined) refuse('You are not playing this quiz', 'NOT_PLAYING');
  if (!isPlayingRound(state, ctx.actorId)) refuse('You play from the next round', 'WAIT_FOR_NEXT_ROUND');
  if (state.answers[ctx.actorId] !== undefined) refuse('You have already answered this round', 'ALREADY_ANSWERED');
  if (choice >= question.choices.length) refuse(`There are only ${question.choices.length} choices`, 'NO_SUCH_CHOICE');
  ctx.emit('answered', { playerId: ctx.actorId });
  const next = { ...state, answers: { ...state.answers, [ctx.actorId]: { choice, at: ctx.now() } } };
  return revealIfEveryoneAnswered(next, ctx);
}

/**
 * The school quiz, drawing its questions from `questions`: timed multiple-choice rounds, answers hidden until
 * the reveal, points for correct and fast answers, host controls (start, next, kick, end).
 */
export function createSchoolQuiz(dependencies: SchoolQuizDependencies = {}) {
  const source = dependencies.questions ?? builtInQuestionSource;
  return defineGame({
    id: SCHOOL_QUIZ_ID,
    name: 'School quiz',
    version: '0.1.0',
    minPlayers: 1,
    maxPlayers: 40,
    maxSpectators: 20,
    lateJoin: (options) => (options.lateJoiners === 'next-round' ? 'player' : 'spectator'),
    options: quizOptionsSchema,

    setup(options: QuizOptions, ctx: QuizContext): QuizState {
      const pack = source.getPack(options.pack);
      if (pack === null) refuse(`There is no question pack "${options.pack}"`, 'UNKNOWN_PACK');
      const questions = ctx.random.shuffle(pack.questions).slice(0, options.questionCount);
      const scores = Object.fromEntries(ctx.players.map((player) => [player.id, newScoreEntry(player, 0)]));
      const initial: QuizState = { packId: pack.id, questions, roundIndex: 0, stage: 'question', roundStartedAt: 0, roundEndsAt: 0, answers: {}, results: null, scores };
      return startRound(initial, 0, ctx);
    },

    actions: {
      /** A player answers the current question with the index of a choice. */
      answer: { payload: z.object({ choice: z.number().int().min(0) }), handle: (state, { choice }, ctx) => answer(state, choice, ctx) },
      /** Host: close the current round now, or after a reveal go to the next question. */
      next: { isHostOnly: true, handle: (state, _payload, ctx) => (state.stage === 'question' ? revealRound(state, ctx) : advance(state, ctx)) },
      /** Host: end the game now with the current standings. */
      end: { isHostOnly: true, handle: (state, _payload, ctx) => finish(state, ctx) },
    },

    onTimer(state, timer, ctx) {
      if (timer.name === ROUND_TIMER && state.stage === 'question') return revealRound(state, ctx);
      if (timer.name === NEXT_TIMER && state.stage === 'reveal') return advance(state, ctx);
      return state;
    },

    onPlayerJoined(state, { player }) {
      if (player.role !== 'player') return state;
      const returning = state.scores[player.id];
      const joinsAtRound = state.roundIndex + 1;
      const entry = returning === undefined ? newScoreEntry(player, joinsAtRound) : { ...returning, hasLeft: false, joinsAtRound };
      return { ...state, scores: { ...state.scores, [player.id]: entry } };
    },

    onPlayerLeft(state, { player, reason }, ctx) {
      const { [player.id]: entry, ...others } = state.scores;
      if (entry === undefined) return state;
      const scores = reason === 'kicked' ? others : { ...state.scores, [player.id]: { ...entry, hasLeft: true } };
      return revealIfEveryoneAnswered({ ...state, scores }, ctx);
    },

    onPlayerDisconnected: (state, _event, ctx) => revealIfEveryoneAnswered(state, ctx),

    view: viewQuiz,
  });
}

/** The school quiz with the built-in question packs. */
export const schoolQuiz = createSchoolQuiz();

/** The type of the school quiz definition. */
export type SchoolQuiz = typeof schoolQuiz;

/** The result the quiz ends with (re-exported for the gateway and clients). */
export type { QuizResult };

import { createTestRoom, type TestRoomOptions } from '@gamebuddies/plugin-sdk/testing';
import { schoolQuiz, type QuizOptions } from '../src';

/** A started quiz room with every secret of the quiz guarded. */
export function createQuizRoom(options: Partial<QuizOptions> = {}, room: Omit<TestRoomOptions, 'options'> = {}) {
  const quiz = createTestRoom(schoolQuiz, { players: 3, ...room, options: { questionCount: 3, roundSeconds: 10, revealSeconds: 5, ...options } });
  guardQuizSecrets(quiz);
  return quiz;
}

/**
 * Guards the answers (no answer of any question may be seen while a question is open: numbers are matched by
 * key and value, so a revealed answer equal to a future one cannot be told apart), each player's choice
 * (until the reveal) and the upcoming questions.
 */
export function guardQuizSecrets(quiz: ReturnType<typeof createTestRoom<typeof schoolQuiz>>): void {
  quiz.guardSecret({ path: 'questions.*.answer', visibleTo: (state) => (state.stage === 'reveal' ? 'everyone' : []) });
  quiz.guardSecret({ path: 'questions.*.prompt', visibleTo: (state, match) => (Number(match.keys[0]) <= state.roundIndex ? 'everyone' : []) });
  quiz.guardSecret({ path: 'answers.*.choice', visibleTo: (state, match) => (state.stage === 'reveal' ? 'everyone' : [match.keys[0] ?? '']) });
}

/** The index of a wrong choice for the current question. */
export function wrongChoice(quiz: ReturnType<typeof createQuizRoom>): number {
  const question = quiz.gameState.questions[quiz.gameState.roundIndex];
  return question?.answer === 0 ? 1 : 0;
}

/** The index of the right choice for the current question (read from the state, as only a test may). */
export function rightChoice(quiz: ReturnType<typeof createQuizRoom>): number {
  return quiz.gameState.questions[quiz.gameState.roundIndex]?.answer ?? 0;
}

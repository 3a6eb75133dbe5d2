import { isRecord, randomIndex, type BotGameRules, type GameMove, type GamePlayer } from './game-player';

/** The part of the school quiz's view a bot reads. */
interface QuizViewFields {
  stage?: unknown;
  question?: { choices?: unknown } | null;
  yourAnswer?: unknown;
  isPlaying?: unknown;
}

/** Answers each open question once, with a random choice. */
class SchoolQuizPlayer implements GamePlayer {
  nextMove(view: unknown): GameMove | null {
    if (!isRecord(view)) return null;
    const quiz = view as QuizViewFields;
    const choices = quiz.question?.choices;
    if (quiz.stage !== 'question' || quiz.yourAnswer !== null || quiz.isPlaying !== true || !Array.isArray(choices) || choices.length === 0) return null;
    return { action: 'answer', payload: { choice: randomIndex(choices.length) } };
  }
}

/** The school quiz: timed rounds; a round reveals as soon as every player has answered. */
export const schoolQuizRules: BotGameRules = {
  minPlayers: 1,
  maxPlayers: 40,
  // Every question of the built-in pack, short reveals: a game lasts long enough to measure.
  roomOptions: () => ({ questionCount: 30, revealSeconds: 2 }),
  createPlayer: () => new SchoolQuizPlayer(),
};

import type { Viewer } from '@gamebuddies/plugin-sdk';
import { isPlayingRound, rankStandings } from './rounds';
import type { QuizState, RoundResult, Standing } from './state';

/** A question as players see it: no answer. */
export interface QuestionView {
  id: string;
  category: string;
  prompt: string;
  choices: string[];
}

/** One line of the live scoreboard. */
export interface ScoreboardLine extends Standing {
  hasLeft: boolean;
  /** Joined mid-game and plays from the next round. */
  isWaiting: boolean;
}

/** What one member sees of the quiz. The answer appears only in `reveal`; others' choices only after it. */
export interface QuizView {
  /** 1-based. */
  round: number;
  totalRounds: number;
  stage: 'question' | 'reveal';
  question: QuestionView | null;
  /** When the round closes (during a question), ms since the epoch. */
  endsAt: number | null;
  /** Who has answered this round (not what). */
  answeredBy: string[];
  /** The viewer's own choice this round. */
  yourAnswer: number | null;
  /** Whether the viewer plays this round. */
  isPlaying: boolean;
  reveal: { answer: number; results: Record<string, RoundResult> } | null;
  scoreboard: ScoreboardLine[];
}

/** Builds the view of the quiz for one member. */
export function viewQuiz(state: QuizState, viewer: Viewer): QuizView {
  const question = state.questions[state.roundIndex];
  const isRevealed = state.stage === 'reveal';
  return {
    round: state.roundIndex + 1,
    totalRounds: state.questions.length,
    stage: state.stage,
    question: question === undefined ? null : { id: question.id, category: question.category, prompt: question.prompt, choices: question.choices },
    endsAt: isRevealed ? null : state.roundEndsAt,
    answeredBy: Object.keys(state.answers),
    yourAnswer: state.answers[viewer.id]?.choice ?? null,
    isPlaying: isPlayingRound(state, viewer.id),
    reveal: isRevealed && question !== undefined ? { answer: question.answer, results: state.results ?? {} } : null,
    scoreboard: rankStandings(state.scores).map((line) => {
      const entry = state.scores[line.playerId];
      return { ...line, hasLeft: entry?.hasLeft ?? false, isWaiting: (entry?.joinsAtRound ?? 0) > state.roundIndex };
    }),
  };
}

import type { Question } from './questions';

/** A player's answer in the current round. */
export interface QuizAnswer {
  choice: number;
  /** When it arrived, ms since the epoch. */
  at: number;
}

/** How one player did in a revealed round. */
export interface RoundResult {
  /** Their choice, or null if they did not answer. */
  choice: number | null;
  isCorrect: boolean;
  points: number;
}

/** A player's standing. Entries outlive disconnections; a kicked player's entry is removed. */
export interface ScoreEntry {
  name: string;
  score: number;
  correct: number;
  /** The first round (0-based) they play: late joiners start with the next round. */
  joinsAtRound: number;
  hasLeft: boolean;
}

/** The quiz's whole state, plain data. `questions[*].answer` and the other players' `answers` are secrets. */
export interface QuizState {
  packId: string;
  questions: Question[];
  roundIndex: number;
  stage: 'question' | 'reveal';
  roundStartedAt: number;
  roundEndsAt: number;
  answers: Record<string, QuizAnswer>;
  results: Record<string, RoundResult> | null;
  scores: Record<string, ScoreEntry>;
}

/** One line of the final standings. */
export interface Standing {
  playerId: string;
  name: string;
  score: number;
  correct: number;
  /** 1 for the best score; equal scores share a rank. */
  rank: number;
}

/** The game's result. */
export interface QuizResult {
  standings: Standing[];
  /** How many questions were revealed before the end. */
  questionsPlayed: number;
}

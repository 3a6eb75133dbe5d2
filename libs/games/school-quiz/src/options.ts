import { z } from 'zod';
import { SCHOOL_BASICS_PACK_ID } from './questions';

/** The options of a quiz room; every field has a default. */
export const quizOptionsSchema = z.object({
  /** Which question pack to draw from. */
  pack: z.string().min(1).default(SCHOOL_BASICS_PACK_ID),
  /** How many questions (rounds) to play; fewer if the pack is smaller. */
  questionCount: z.number().int().min(1).max(50).default(10),
  /** How long players have to answer. */
  roundSeconds: z.number().int().min(5).max(120).default(20),
  /** How long the answer stays on screen before the next question; 0 waits for the host's `next`. */
  revealSeconds: z.number().int().min(0).max(60).default(6),
  /** Whether players who join mid-game watch as spectators or play from the next round. */
  lateJoiners: z.enum(['spectate', 'next-round']).default('next-round'),
});

/** The options of a quiz room, after defaults. */
export type QuizOptions = z.output<typeof quizOptionsSchema>;

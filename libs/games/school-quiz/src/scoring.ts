/** Points for a correct answer, before the speed bonus. */
export const CORRECT_POINTS = 500;
/** The most a correct answer earns for speed (an instant answer). */
export const MAX_SPEED_BONUS = 500;

/**
 * Points for one answer: nothing when wrong; when right, {@link CORRECT_POINTS} plus a bonus that falls
 * linearly from {@link MAX_SPEED_BONUS} at the start of the round to 0 at its end.
 */
export function scoreAnswer(isCorrect: boolean, elapsedMs: number, roundMs: number): number {
  if (!isCorrect) return 0;
  const remaining = Math.min(1, Math.max(0, 1 - elapsedMs / roundMs));
  return CORRECT_POINTS + Math.round(MAX_SPEED_BONUS * remaining);
}

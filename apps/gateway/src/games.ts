import type { AnyGameDefinition } from '@gamebuddies/plugin-sdk';
import { crazyEights } from '@gamebuddies/crazy-eights';
import { schoolQuiz } from '@gamebuddies/school-quiz';

/** Every game this build of the gateway can host; GAMES picks which are enabled. */
export const AVAILABLE_GAMES: readonly AnyGameDefinition[] = [schoolQuiz as AnyGameDefinition, crazyEights as AnyGameDefinition];

/** The enabled games, in the order GAMES lists them. */
export function enabledGames(ids: readonly string[]): AnyGameDefinition[] {
  return ids.map((id) => {
    const game = AVAILABLE_GAMES.find((g) => g.id === id);
    if (game === undefined) throw new Error(`unknown game ${id}`);
    return game;
  });
}

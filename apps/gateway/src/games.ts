import type { AnyGameDefinition } from '@gamebuddies/plugin-sdk';
import { crazyEights } from '@gamebuddies/crazy-eights';
import { partyBench } from '@gamebuddies/party-bench';
import { schoolQuiz } from '@gamebuddies/school-quiz';

/**
 * Every game this build of the gateway can host; GAMES picks which are enabled. `party-bench` is the load
 * test's workload: hosted only when GAMES names it.
 */
export const AVAILABLE_GAMES: readonly AnyGameDefinition[] = [schoolQuiz as AnyGameDefinition, crazyEights as AnyGameDefinition, partyBench as AnyGameDefinition];

/** The enabled games, in the order GAMES lists them. */
export function enabledGames(ids: readonly string[]): AnyGameDefinition[] {
  return ids.map((id) => {
    const game = AVAILABLE_GAMES.find((g) => g.id === id);
    if (game === undefined) throw new Error(`unknown game ${id}`);
    return game;
  });
}

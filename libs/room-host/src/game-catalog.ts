import type { Clock } from '@gamebuddies/core';
import { createGameRuntime, type AnyGameDefinition, type GameRuntime } from '@gamebuddies/plugin-sdk';
import type { GameSummary } from '@gamebuddies/protocol';
import { UnknownGameError } from './errors';

/** The games a server hosts, each with its runtime. */
export class GameCatalog {
  private readonly entries = new Map<string, { game: AnyGameDefinition; runtime: GameRuntime<AnyGameDefinition> }>();

  constructor(games: readonly AnyGameDefinition[], options: { clock?: Clock } = {}) {
    for (const game of games) {
      if (this.entries.has(game.id)) throw new Error(`two games share the id "${game.id}"`);
      this.entries.set(game.id, { game, runtime: createGameRuntime(game, options.clock ? { clock: options.clock } : {}) });
    }
  }

  /** The runtime of a game. @throws UNKNOWN_GAME. */
  runtime(gameId: string): GameRuntime<AnyGameDefinition> {
    const entry = this.entries.get(gameId);
    if (entry === undefined) throw new UnknownGameError(gameId);
    return entry.runtime;
  }

  /** What clients may choose from. */
  list(): GameSummary[] {
    return [...this.entries.values()].map(({ game }) => ({ id: game.id, name: game.name, minPlayers: game.minPlayers, maxPlayers: game.maxPlayers }));
  }

  /** The ids of every game. */
  ids(): string[] {
    return [...this.entries.keys()];
  }
}

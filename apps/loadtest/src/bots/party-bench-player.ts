import type { JsonObject } from '@gamebuddies/core';
import type { PartyBenchView } from '@gamebuddies/party-bench';
import { isRecord, randomIndex, type BotGameRules, type GameMove, type GamePlayer } from './game-player';

/** Answers as fast as the think time allows, up to `answersPerPlayer` answers per game (0: no limit). */
class PartyBenchPlayer implements GamePlayer {
  private answered = 0;

  constructor(private readonly answersPerPlayer: number) {}

  startGame(): void {
    this.answered = 0;
  }

  nextMove(view: unknown): GameMove | null {
    // A member without a seat sees myRank null and may not answer.
    if (!isRecord(view) || (view as Partial<PartyBenchView>).myRank === null) return null;
    if (this.answersPerPlayer > 0 && this.answered >= this.answersPerPlayer) return null;
    return { action: 'answer', payload: { choice: randomIndex(4) } };
  }

  acknowledged(_move: GameMove, isAccepted: boolean): void {
    if (isAccepted) this.answered++;
  }
}

/** The party-bench workload: every answer scores, views stay tiny. */
export const partyBenchRules: BotGameRules = {
  minPlayers: 1,
  maxPlayers: 100,
  roomOptions: (roomSize) => ({ maxPlayers: roomSize }),
  createPlayer: (options: JsonObject) => new PartyBenchPlayer(typeof options['answersPerPlayer'] === 'number' ? options['answersPerPlayer'] : 0),
};

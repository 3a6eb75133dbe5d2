import { isRecord, type BotGameRules, type GameMove, type GamePlayer } from './game-player';

/** The part of the Crazy Eights view a bot reads. */
interface EightsViewFields {
  hand?: unknown;
  playableCards?: unknown;
  turn?: unknown;
  hasDrawn?: unknown;
  canDraw?: unknown;
}

const SUITS = ['C', 'D', 'H', 'S'] as const;

/** The suit the bot holds most of (besides `played`), to name with an eight. */
function favouriteSuit(hand: readonly string[], played: string): string {
  let best: string = played.slice(-1);
  let bestCount = 0;
  for (const suit of SUITS) {
    let count = 0;
    for (const card of hand) if (card !== played && card.endsWith(suit)) count++;
    if (count > bestCount) {
      best = suit;
      bestCount = count;
    }
  }
  return best;
}

/** On its turn: plays the first legal card (an eight names its favourite suit), else draws, else passes. */
class CrazyEightsPlayer implements GamePlayer {
  nextMove(view: unknown, playerId: string): GameMove | null {
    if (!isRecord(view)) return null;
    const table = view as EightsViewFields;
    if (table.turn !== playerId || !Array.isArray(table.hand)) return null;
    const hand = table.hand.filter((card): card is string => typeof card === 'string');
    const playable = Array.isArray(table.playableCards) ? table.playableCards.filter((card): card is string => typeof card === 'string') : [];
    const card = playable[0];
    if (card !== undefined) return card.startsWith('8') ? { action: 'play', payload: { card, suit: favouriteSuit(hand, card) } } : { action: 'play', payload: { card } };
    if (table.hasDrawn !== true && table.canDraw === true) return { action: 'draw' };
    return { action: 'pass' };
  }
}

/** Crazy Eights: strict turns, so a room's actions are paced by its slowest thinker. */
export const crazyEightsRules: BotGameRules = {
  minPlayers: 2,
  maxPlayers: 6,
  roomOptions: () => ({}),
  createPlayer: () => new CrazyEightsPlayer(),
};

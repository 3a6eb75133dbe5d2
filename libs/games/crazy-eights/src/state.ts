import type { Card, Suit } from './cards';

/** What the last move was, for everyone's screen. Drawn cards are never named here. */
export interface LastMove {
  playerId: string;
  type: 'play' | 'draw' | 'pass' | 'timeout';
  /** The card played (public once played). */
  card?: Card;
  /** The suit named with an eight. */
  suit?: Suit;
}

/** The whole Crazy Eights state. Each hand is a secret of its owner; the draw pile is nobody's to see. */
export interface EightsState {
  /** Player ids in turn order. */
  order: string[];
  /** Index into `order` of the player to move. */
  turn: number;
  hands: Record<string, Card[]>;
  /** Face down; the top is the last card. */
  drawPile: Card[];
  /** Face up; the top is the last card. */
  discard: Card[];
  /** The suit to follow: the top card's, or the one named with an eight. */
  suit: Suit;
  /** Whether the player to move has drawn this turn (then they may play or pass). */
  hasDrawn: boolean;
  /** Turns in a row that ended with no card played and none drawn: the game is blocked when all players pass. */
  passesInRow: number;
  /** When the current turn times out (ms since the epoch), or null without a turn limit. */
  turnEndsAt: number | null;
  lastMove: LastMove | null;
}

/** How the game ended. */
export interface EightsResult {
  /** The winner, or null if nobody is left. */
  winnerId: string | null;
  /** `emptied-hand`: the winner played their last card; `blocked`: nobody could move, lowest hand won; `last-player`: everyone else left. */
  reason: 'emptied-hand' | 'blocked' | 'last-player';
  /** Penalty points of the cards each player still held. */
  penalties: Record<string, number>;
}

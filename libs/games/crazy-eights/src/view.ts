import type { Viewer } from '@gamebuddies/plugin-sdk';
import type { Card, Suit } from './cards';
import { canDraw, canPlay, currentPlayer, topCard } from './rules';
import type { EightsState, LastMove } from './state';

/** A player at the table as everyone sees them: how many cards, not which. */
export interface SeatView {
  id: string;
  cardCount: number;
  isTurn: boolean;
}

/** What one member sees: their own hand only, the top card, and counts. */
export interface EightsView {
  /** The viewer's cards, or null for a spectator. */
  hand: Card[] | null;
  /** The cards of `hand` the viewer may play now (empty when it is not their turn). */
  playableCards: Card[];
  seats: SeatView[];
  topCard: Card | null;
  suit: Suit;
  drawPileCount: number;
  turn: string | null;
  turnEndsAt: number | null;
  /** Whether the player to move has drawn this turn. */
  hasDrawn: boolean;
  /** Whether a card can still be drawn. */
  canDraw: boolean;
  lastMove: LastMove | null;
}

/** Builds the view of the table for one member. */
export function viewTable(state: EightsState, viewer: Viewer): EightsView {
  const hand = state.hands[viewer.id] ?? null;
  const turn = currentPlayer(state);
  return {
    hand,
    playableCards: hand !== null && turn === viewer.id ? hand.filter((card) => canPlay(state, card)) : [],
    seats: state.order.map((id) => ({ id, cardCount: state.hands[id]?.length ?? 0, isTurn: id === turn })),
    topCard: topCard(state) ?? null,
    suit: state.suit,
    drawPileCount: state.drawPile.length,
    turn,
    turnEndsAt: state.turnEndsAt,
    hasDrawn: state.hasDrawn,
    canDraw: canDraw(state),
    lastMove: state.lastMove,
  };
}

import { ActionFailedError, type GameContext } from '@gamebuddies/plugin-sdk';
import { handPoints, isEight, rankOf, suitOf, type Card, type Suit } from './cards';
import type { EightsOptions } from './options';
import type { EightsResult, EightsState } from './state';

/** The context Crazy Eights code runs with. */
export type EightsContext = GameContext<EightsOptions, EightsResult>;

/** The timer that ends a turn the player let run out. */
export const TURN_TIMER = 'turn';

/** Refuses a move by the rules; `reason` is a stable code for clients. */
export function refuse(message: string, reason: string): never {
  throw new ActionFailedError(message, { reason });
}

/** The player to move, or null when nobody is left. */
export function currentPlayer(state: EightsState): string | null {
  return state.order[state.turn] ?? null;
}

/** The face-up card to match. */
export function topCard(state: EightsState): Card | undefined {
  return state.discard.at(-1);
}

/** Whether `card` may be played now: an eight, or the suit to follow, or the top card's rank. */
export function canPlay(state: EightsState, card: Card): boolean {
  const top = topCard(state);
  return isEight(card) || suitOf(card) === state.suit || (top !== undefined && rankOf(card) === rankOf(top));
}

/** Whether a card can still be drawn (from the pile, or by reshuffling the discards under the top card). */
export function canDraw(state: EightsState): boolean {
  return state.drawPile.length > 0 || state.discard.length > 1;
}

/** Gives the turn to the player at `index` (wrapping around) and starts their turn timer. */
export function beginTurn(state: EightsState, index: number, ctx: EightsContext): EightsState {
  const turn = state.order.length === 0 ? 0 : index % state.order.length;
  const turnMs = ctx.options.turnSeconds * 1000;
  if (turnMs > 0) ctx.schedule(TURN_TIMER, turnMs);
  else ctx.cancel(TURN_TIMER);
  return { ...state, turn, hasDrawn: false, turnEndsAt: turnMs > 0 ? ctx.now() + turnMs : null };
}

/** The player to move takes one card; only they learn which. Reshuffles the discards when the pile is empty. */
export function drawCard(state: EightsState, playerId: string, ctx: EightsContext): EightsState {
  let { drawPile, discard } = state;
  if (drawPile.length === 0) {
    drawPile = ctx.random.shuffle(discard.slice(0, -1));
    discard = discard.slice(-1);
    ctx.emit('reshuffled', { drawPileCount: drawPile.length });
  }
  const card = drawPile.at(-1);
  if (card === undefined) return refuse('There is no card left to draw', 'NOTHING_TO_DRAW');
  ctx.emitTo(playerId, 'drew', { card });
  ctx.emit('player-drew', { playerId });
  const hand = [...(state.hands[playerId] ?? []), card];
  return { ...state, drawPile: drawPile.slice(0, -1), discard, hands: { ...state.hands, [playerId]: hand }, hasDrawn: true, passesInRow: 0, lastMove: { playerId, type: 'draw' } };
}

/** Ends the player's turn without playing. Everyone passing without a card to draw blocks the game. */
export function passTurn(state: EightsState, playerId: string, type: 'pass' | 'timeout', ctx: EightsContext): EightsState {
  const passesInRow = state.hasDrawn ? 0 : state.passesInRow + 1;
  const next: EightsState = { ...state, passesInRow, lastMove: { playerId, type } };
  if (passesInRow >= state.order.length) return endBlocked(next, ctx);
  return beginTurn(next, state.turn + 1, ctx);
}

/** Plays `card` from the player's hand (naming `suit` with an eight); an empty hand wins. */
export function playCard(state: EightsState, playerId: string, card: Card, suit: Suit | undefined, ctx: EightsContext): EightsState {
  const hand = state.hands[playerId] ?? [];
  if (!hand.includes(card)) refuse(`You do not hold ${card}`, 'CARD_NOT_IN_HAND');
  if (!canPlay(state, card)) refuse(`${card} matches neither the suit ${state.suit} nor the rank of ${topCard(state) ?? 'the top card'}`, 'CARD_DOES_NOT_MATCH');
  if (isEight(card) && suit === undefined) refuse('Name a suit when you play an eight', 'SUIT_REQUIRED');
  if (!isEight(card) && suit !== undefined) refuse('Only an eight names a suit', 'SUIT_ONLY_WITH_EIGHT');
  const nextSuit = suit ?? suitOf(card);
  const remaining = hand.filter((held) => held !== card);
  ctx.emit('played', { playerId, card, suit: nextSuit });
  const next: EightsState = {
    ...state,
    hands: { ...state.hands, [playerId]: remaining },
    discard: [...state.discard, card],
    suit: nextSuit,
    passesInRow: 0,
    lastMove: suit === undefined ? { playerId, type: 'play', card } : { playerId, type: 'play', card, suit },
  };
  if (remaining.length === 0) return endGame(next, playerId, 'emptied-hand', ctx);
  return beginTurn(next, state.turn + 1, ctx);
}

/** Ends the game for `winnerId` with everyone's penalty points. */
export function endGame(state: EightsState, winnerId: string | null, reason: EightsResult['reason'], ctx: EightsContext): EightsState {
  const penalties = Object.fromEntries(state.order.map((id) => [id, handPoints(state.hands[id] ?? [])]));
  ctx.end({ winnerId, reason, penalties });
  return { ...state, turnEndsAt: null };
}

function endBlocked(state: EightsState, ctx: EightsContext): EightsState {
  const [winnerId] = [...state.order].sort((a, b) => handPoints(state.hands[a] ?? []) - handPoints(state.hands[b] ?? []));
  return endGame(state, winnerId ?? null, 'blocked', ctx);
}

/** Takes a player who left out of the game: their cards go back into the pile, and the turn moves on if it was theirs. */
export function removePlayer(state: EightsState, playerId: string, ctx: EightsContext): EightsState {
  const index = state.order.indexOf(playerId);
  if (index === -1) return state;
  const { [playerId]: hand = [], ...hands } = state.hands;
  const order = state.order.filter((id) => id !== playerId);
  const next: EightsState = { ...state, order, hands, drawPile: ctx.random.shuffle([...hand, ...state.drawPile]), turn: index < state.turn ? state.turn - 1 : state.turn };
  if (order.length < 2) return endGame(next, order[0] ?? null, 'last-player', ctx);
  return index === state.turn ? beginTurn(next, index, ctx) : next;
}

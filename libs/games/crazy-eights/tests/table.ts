import { createTestRoom, restoreTestRoom, type TestRoom, type TestRoomOptions } from '@gamebuddies/plugin-sdk/testing';
import { canPlay, crazyEights, createDeck, suitOf, type CrazyEights, type EightsOptions, type EightsState, type Suit } from '../src';

/** A test room of Crazy Eights. */
export type EightsRoom = TestRoom<CrazyEights>;

/** Hands are their owner's secret (whole and card by card); the draw pile is nobody's. */
export function guardTableSecrets(room: EightsRoom): void {
  room.guardSecret({ path: 'hands.*', visibleTo: (_state, match) => match.keys });
  room.guardSecret({ path: 'hands.*.*', visibleTo: (_state, match) => [match.keys[0] ?? ''] });
  room.guardSecret({ path: 'drawPile.*' });
}

/** A started table with its secrets guarded. */
export function createTable(options: Partial<EightsOptions> = {}, room: Omit<TestRoomOptions, 'options'> = {}): EightsRoom {
  const table = createTestRoom(crazyEights, { players: 2, ...room, options });
  guardTableSecrets(table);
  return table;
}

/**
 * The same room with its game state changed, restored as a new server would (to set up rare situations).
 * Unless given, the draw pile becomes the rest of the deck, so that every card is in exactly one place.
 */
export function withTable(room: EightsRoom, patch: Partial<EightsState>): EightsRoom {
  const game = { ...room.gameState, ...patch };
  const held = [...Object.values(game.hands).flat(), ...game.discard];
  if (patch.drawPile === undefined) game.drawPile = createDeck().filter((card) => !held.includes(card));
  const cards = [...held, ...game.drawPile];
  if (new Set(cards).size !== cards.length) throw new Error('A card is in two places');
  const state = { ...room.state, game };
  const restored = restoreTestRoom(crazyEights, JSON.stringify(state), room.clock);
  guardTableSecrets(restored);
  return restored;
}

/** Plays one sensible move for whoever's turn it is: a matching card (eights last), else draw, else pass. */
export function playOneMove(room: EightsRoom): void {
  const playerId = room.gameState.order[room.gameState.turn] ?? '';
  const view = room.view(playerId);
  const playable = [...view.playableCards].sort((a, b) => Number(a.startsWith('8')) - Number(b.startsWith('8')));
  const card = playable[0];
  if (card !== undefined) {
    room.act(playerId, 'play', card.startsWith('8') ? { card, suit: favouriteSuit(view.hand ?? [], card) } : { card });
  } else if (!view.hasDrawn && view.canDraw) {
    room.act(playerId, 'draw');
  } else {
    room.act(playerId, 'pass');
  }
}

function favouriteSuit(hand: readonly string[], played: string): Suit {
  const counts = new Map<Suit, number>();
  for (const card of hand) if (card !== played) counts.set(suitOf(card), (counts.get(suitOf(card)) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? suitOf(played);
}

/** A card of `hand` that cannot be played now, if any. */
export function unplayableCard(room: EightsRoom, playerId: string): string | undefined {
  return room.gameState.hands[playerId]?.find((card) => !canPlay(room.gameState, card));
}

/** A suit: clubs, diamonds, hearts, spades. */
export type Suit = 'C' | 'D' | 'H' | 'S';

/** The four suits. */
export const SUITS: readonly Suit[] = ['C', 'D', 'H', 'S'];

/** The thirteen ranks, ace low. */
export const RANKS = ['A', '2', '3', '4', '5', '6', '7', '8', '9', '10', 'J', 'Q', 'K'] as const;

/** A rank. */
export type Rank = (typeof RANKS)[number];

/** A card as a short code, rank then suit: `8H`, `10S`, `QC`. Codes are plain strings, so state stays JSON. */
export type Card = string;

/** The 52 cards of a standard deck, in a fixed order (shuffle with the room's random generator). */
export function createDeck(): Card[] {
  return SUITS.flatMap((suit) => RANKS.map((rank) => `${rank}${suit}`));
}

/** The rank of a card. */
export function rankOf(card: Card): string {
  return card.slice(0, -1);
}

/** The suit of a card. */
export function suitOf(card: Card): Suit {
  return card.slice(-1) as Suit;
}

/** Eights are wild: they can be played on anything and name the next suit. */
export function isEight(card: Card): boolean {
  return rankOf(card) === '8';
}

/** Penalty points of a card left in a hand: 50 for an eight, 10 for a face card, 1 for an ace, else its value. */
export function cardPoints(card: Card): number {
  const rank = rankOf(card);
  if (rank === '8') return 50;
  if (rank === 'J' || rank === 'Q' || rank === 'K') return 10;
  if (rank === 'A') return 1;
  return Number(rank);
}

/** The penalty points of a hand. */
export function handPoints(hand: readonly Card[]): number {
  return hand.reduce((total, card) => total + cardPoints(card), 0);
}

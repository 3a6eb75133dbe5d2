import { defineGame } from '@gamebuddies/plugin-sdk';
import { z } from 'zod';
import { createDeck, suitOf, SUITS, type Suit } from './cards';
import { eightsOptionsSchema, type EightsOptions } from './options';
import { beginTurn, canDraw, currentPlayer, drawCard, passTurn, playCard, refuse, removePlayer, type EightsContext } from './rules';
import type { EightsState } from './state';
import { viewTable } from './view';

/** The game id of Crazy Eights. */
export const CRAZY_EIGHTS_ID = 'crazy-eights';

const cardCode = z.string().regex(/^(A|[2-9]|10|J|Q|K)[CDHS]$/, 'a card code such as 8H, 10S or QC');
const suitCode = z.enum(SUITS as [Suit, ...Suit[]]);

/**
 * Crazy Eights for 2–6 players: match the top card's suit or rank, eights are wild and name the next suit,
 * draw when you cannot (or will not) play, and be the first to empty your hand. Hands and the draw pile stay
 * hidden; turns are strict and time out.
 */
export const crazyEights = defineGame({
  id: CRAZY_EIGHTS_ID,
  name: 'Crazy Eights',
  version: '0.1.0',
  minPlayers: 2,
  maxPlayers: 6,
  maxSpectators: 10,
  lateJoin: 'spectator',
  options: eightsOptionsSchema,

  setup(options: EightsOptions, ctx: EightsContext): EightsState {
    const order = ctx.players.map((player) => player.id);
    const handSize = options.handSize ?? (order.length === 2 ? 7 : 5);
    const deck = ctx.random.shuffle(createDeck());
    const hands = Object.fromEntries(order.map((id, seat) => [id, deck.filter((_, i) => i % order.length === seat && i < handSize * order.length)]));
    const rest = deck.slice(handSize * order.length);
    const first = rest.at(-1) ?? '';
    const initial: EightsState = {
      order,
      turn: 0,
      hands,
      drawPile: rest.slice(0, -1),
      discard: [first],
      suit: suitOf(first),
      hasDrawn: false,
      passesInRow: 0,
      turnEndsAt: null,
      lastMove: null,
    };
    return beginTurn(initial, 0, ctx);
  },

  whoseTurn: currentPlayer,

  actions: {
    /** Play a card from your hand; with an eight, name the next suit. */
    play: {
      requiresTurn: true,
      payload: z.object({ card: cardCode, suit: suitCode.optional() }),
      handle: (state, { card, suit }, ctx) => playCard(state, ctx.actorId, card, suit, ctx),
    },
    /** Draw one card (once a turn); then play or pass. */
    draw: {
      requiresTurn: true,
      handle(state, _payload, ctx) {
        if (state.hasDrawn) refuse('You have already drawn this turn', 'ALREADY_DREW');
        if (!canDraw(state)) refuse('There is no card left to draw: pass', 'NOTHING_TO_DRAW');
        return drawCard(state, ctx.actorId, ctx);
      },
    },
    /** End your turn without playing: allowed after drawing, or when nothing is left to draw. */
    pass: {
      requiresTurn: true,
      handle(state, _payload, ctx) {
        if (!state.hasDrawn && canDraw(state)) refuse('Draw a card before you pass', 'MUST_DRAW_FIRST');
        return passTurn(state, ctx.actorId, 'pass', ctx);
      },
    },
  },

  onTimer(state, _timer, ctx) {
    const playerId = currentPlayer(state);
    if (playerId === null) return state;
    ctx.emit('turn-timed-out', { playerId });
    const drawn = !state.hasDrawn && canDraw(state) ? drawCard(state, playerId, ctx) : state;
    return passTurn(drawn, playerId, 'timeout', ctx);
  },

  onPlayerLeft: (state, { player }, ctx) => removePlayer(state, player.id, ctx),

  view: viewTable,
});

/** The type of the Crazy Eights definition. */
export type CrazyEights = typeof crazyEights;

import { ActionFailedError, defineGame } from '../src';
import { z } from 'zod';

/** One guess and what it told the table. */
export interface Guess {
  playerId: string;
  value: number;
  hint: 'higher' | 'lower' | 'correct';
}

/** The whole game state: plain JSON data, nothing else. */
export interface GuessState {
  secret: number;
  order: string[];
  turn: number;
  guesses: Guess[];
}

/** Players take turns guessing a secret number; the first to find it wins. */
export const guessTheNumber = defineGame({
  id: 'guess-the-number',
  name: 'Guess the number',
  version: '1.0.0',
  minPlayers: 1,
  maxPlayers: 8,
  lateJoin: 'spectator',
  options: z.object({
    max: z.number().int().min(2).max(1000).default(100),
    turnSeconds: z.number().int().min(5).max(120).default(30),
  }),

  setup(options, ctx): GuessState {
    ctx.schedule('turn', options.turnSeconds * 1000);
    return { secret: ctx.random.int(1, options.max), order: ctx.players.map((p) => p.id), turn: 0, guesses: [] };
  },

  whoseTurn: (state) => state.order[state.turn % state.order.length] ?? null,

  actions: {
    guess: {
      payload: z.object({ value: z.number().int() }),
      requiresTurn: true,
      handle(state, { value }, ctx) {
        if (value < 1 || value > ctx.options.max) throw new ActionFailedError(`Guess a number from 1 to ${ctx.options.max}`);
        const hint = value === state.secret ? 'correct' : value < state.secret ? 'higher' : 'lower';
        ctx.emit('guessed', { playerId: ctx.actorId, value, hint });
        const guesses = [...state.guesses, { playerId: ctx.actorId, value, hint } as const];
        if (hint === 'correct') ctx.end({ winnerId: ctx.actorId, guesses: guesses.length });
        else ctx.schedule('turn', ctx.options.turnSeconds * 1000);
        return { ...state, turn: state.turn + 1, guesses };
      },
    },
  },

  onTimer(state, _timer, ctx) {
    ctx.emit('turn-skipped', { playerId: state.order[state.turn % state.order.length] ?? null });
    ctx.schedule('turn', ctx.options.turnSeconds * 1000);
    return { ...state, turn: state.turn + 1 };
  },

  onPlayerLeft(state, { player }, ctx) {
    const order = state.order.filter((id) => id !== player.id);
    if (order.length === 0) ctx.end({ winnerId: null, guesses: state.guesses.length });
    return { ...state, order, turn: 0 };
  },

  view(state, viewer) {
    const isFound = state.guesses.some((guess) => guess.hint === 'correct');
    return {
      guesses: state.guesses,
      turn: state.order[state.turn % state.order.length] ?? null,
      isYourTurn: state.order[state.turn % state.order.length] === viewer.id,
      secret: isFound ? state.secret : null,
    };
  },
});

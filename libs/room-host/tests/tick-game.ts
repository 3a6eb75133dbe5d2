import { defineGame } from '@gamebuddies/plugin-sdk';
import { z } from 'zod';

/** A tiny game for host tests: players add to a shared total, a secret per player, a timer that ticks. */
export const tickGame = defineGame({
  id: 'tick',
  name: 'Tick',
  version: '1.0.0',
  minPlayers: 1,
  maxPlayers: 4,
  lateJoin: 'player',
  options: z.object({ tickMs: z.number().int().min(10).default(50), ticks: z.number().int().min(0).default(3) }),
  setup(options, ctx) {
    if (options.ticks > 0) ctx.schedule('tick', options.tickMs);
    return { total: 0, ticks: 0, secrets: Object.fromEntries(ctx.players.map((p) => [p.id, `secret-of-${p.id}`])) as Record<string, string> };
  },
  actions: {
    add: {
      payload: z.object({ amount: z.number().int().min(1).max(10) }),
      handle: (state, { amount }, ctx) => {
        ctx.emit('added', { by: ctx.actorId, amount });
        return { ...state, total: state.total + amount };
      },
    },
    explode: {
      handle: () => {
        throw new Error('boom');
      },
    },
  },
  onTimer(state, _timer, ctx) {
    const ticks = state.ticks + 1;
    ctx.emit('ticked', { tick: ticks });
    if (ticks < ctx.options.ticks) ctx.schedule('tick', ctx.options.tickMs);
    return { ...state, ticks };
  },
  view: (state, viewer) => ({ total: state.total, ticks: state.ticks, mySecret: state.secrets[viewer.id] ?? null }),
});

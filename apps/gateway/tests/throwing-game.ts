import { defineGame } from '@gamebuddies/plugin-sdk';

/** A plugin with bugs on purpose: one action throws, one returns state that is not plain data. */
export const throwingGame = defineGame({
  id: 'buggy',
  name: 'Buggy',
  version: '1.0.0',
  minPlayers: 1,
  maxPlayers: 4,
  lateJoin: 'player',
  setup: () => ({ count: 0 }),
  actions: {
    ok: { handle: (state) => ({ count: state.count + 1 }) },
    crash: {
      handle: () => {
        throw new TypeError('cannot read properties of undefined');
      },
    },
    corrupt: { handle: (state) => ({ ...state, when: new Date() }) as unknown as { count: number } },
  },
  view: (state) => ({ count: state.count }),
});

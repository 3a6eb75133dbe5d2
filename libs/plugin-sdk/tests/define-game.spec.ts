import { defineGame, isGameError, type AnyGameDefinition } from '../src';
import { z } from 'zod';

const valid = {
  id: 'tiny',
  name: 'Tiny',
  version: '1.0.0',
  minPlayers: 1,
  maxPlayers: 2,
  setup: () => ({}),
  actions: {},
  view: () => null,
};

function definitionError(overrides: Record<string, unknown>): unknown {
  try {
    defineGame({ ...valid, ...overrides } as unknown as AnyGameDefinition);
  } catch (error) {
    return error;
  }
  return null;
}

describe('defineGame', () => {
  it('returns a valid definition as it is', () => {
    expect(defineGame(valid)).toBe(valid);
  });

  it.each([
    ['an id with capitals', { id: 'Tiny' }, 'id'],
    ['an empty name', { name: ' ' }, 'name'],
    ['a missing version', { version: undefined }, 'version'],
    ['minPlayers of 0', { minPlayers: 0 }, 'minPlayers'],
    ['maxPlayers below minPlayers', { minPlayers: 3, maxPlayers: 2 }, 'maxPlayers'],
    ['negative maxSpectators', { maxSpectators: -1 }, 'maxSpectators'],
    ['options that are not a Standard Schema', { options: { parse: () => ({}) } }, 'options'],
    ['a missing view', { view: undefined }, 'view'],
    ['an action without handle', { actions: { go: {} } }, 'actions.go'],
    ['a payload that is not a Standard Schema', { actions: { go: { payload: {}, handle: () => ({}) } } }, 'actions.go'],
    ['a turn action without whoseTurn', { actions: { go: { requiresTurn: true, handle: () => ({}) } } }, 'whoseTurn'],
  ])('rejects %s with INVALID_GAME_DEFINITION', (_label, overrides, field) => {
    const error = definitionError(overrides);
    expect(isGameError(error) && error.code).toBe('INVALID_GAME_DEFINITION');
    expect((error as { details: unknown }).details).toEqual({ field });
  });

  it('infers handler types from the schemas and setup', () => {
    const game = defineGame({
      ...valid,
      options: z.object({ step: z.number().default(1) }),
      setup: (options) => ({ total: options.step }),
      actions: { add: { payload: z.object({ by: z.number() }), handle: (state, payload) => ({ total: state.total + payload.by }) } },
      view: (state) => state.total,
    });
    const total: number = game.setup({ step: 2 }, {} as never).total;
    expect(total).toBe(2);
  });
});

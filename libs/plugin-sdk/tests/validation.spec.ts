import type { StandardSchemaV1 } from '@standard-schema/spec';
import { createGameRuntime, defineGame, InvalidOptionsError, type SchemaIssue } from '../src';
import { createFakeClock, createTestRoom } from '../src/testing';
import { probeGame } from './fixtures/probe-game';

/** A Standard Schema written by hand: the SDK must not depend on one schema library. */
const evenNumber: StandardSchemaV1<unknown, { n: number }> = {
  '~standard': {
    version: 1,
    vendor: 'hand-written',
    validate: (value) => {
      const n = (value as { n?: unknown } | null)?.n;
      return typeof n === 'number' && n % 2 === 0 ? { value: { n } } : { issues: [{ message: 'must be even', path: [{ key: 'n' }] }] };
    },
  },
};

const handWritten = defineGame({
  id: 'hand-written',
  name: 'Hand written',
  version: '1.0.0',
  minPlayers: 1,
  maxPlayers: 1,
  options: evenNumber,
  setup: (options) => ({ n: options.n }),
  actions: {
    set: { payload: evenNumber, handle: (_state, payload) => ({ n: payload.n }) },
    slow: {
      payload: { '~standard': { version: 1, vendor: 'async', validate: async (value: unknown) => ({ value }) } } as StandardSchemaV1<unknown, unknown>,
      handle: (state) => state,
    },
    plain: { handle: (state) => state },
  },
  view: (state) => state,
});

function optionsIssues(create: () => unknown): SchemaIssue[] {
  try {
    create();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidOptionsError);
    return (error as InvalidOptionsError).details?.['issues'] as SchemaIssue[];
  }
  throw new Error('expected INVALID_OPTIONS');
}

describe('options validation', () => {
  const runtime = createGameRuntime(probeGame, { clock: createFakeClock() });

  it('stores the schema output, defaults included', () => {
    expect(runtime.createRoom({ seed: 's' }).options).toEqual({ lateJoin: 'spectator', start: 0 });
  });

  it('rejects bad options with INVALID_OPTIONS listing each issue and its path', () => {
    const issues = optionsIssues(() => runtime.createRoom({ options: { lateJoin: 'never', start: 1.5 } }));
    expect(issues.map((issue) => issue.path)).toEqual([['lateJoin'], ['start']]);
  });

  it('accepts any Standard Schema, not only zod', () => {
    const handRuntime = createGameRuntime(handWritten, { clock: createFakeClock() });
    expect(handRuntime.createRoom({ options: { n: 4 } }).options).toEqual({ n: 4 });
    expect(optionsIssues(() => handRuntime.createRoom({ options: { n: 3 } }))).toEqual([{ message: 'must be even', path: ['n'] }]);
  });

  it('refuses options for a game without an options schema', () => {
    const noOptions = defineGame({ id: 'none', name: 'None', version: '1', minPlayers: 1, maxPlayers: 1, setup: () => 0, actions: {}, view: () => 0 });
    const noOptionsRuntime = createGameRuntime(noOptions);
    expect(noOptionsRuntime.createRoom().options).toEqual({});
    optionsIssues(() => noOptionsRuntime.createRoom({ options: { colour: 'red' } }));
  });
});

describe('payload validation', () => {
  it('refuses an invalid payload with INVALID_PAYLOAD and the schema issues, before the handler runs', () => {
    const room = createTestRoom(probeGame, { players: 2 });
    const error = room.tryAct('p1', 'add', { by: 'two' });
    expect(error?.code).toBe('INVALID_PAYLOAD');
    expect(error?.details).toEqual({ action: 'add', issues: [expect.objectContaining({ path: ['by'] })] });
    expect(room.tryAct('p1', 'add')?.code).toBe('INVALID_PAYLOAD');
    expect(room.gameState.count).toBe(0);
  });

  it('passes the validated payload to the handler', () => {
    const room = createTestRoom(probeGame, { players: 2 });
    room.act('p1', 'add', { by: 2 });
    expect(room.gameState.count).toBe(2);
  });

  it('refuses a payload for an action that takes none, and a payload that is not JSON', () => {
    const room = createTestRoom(handWritten, { players: 1, options: { n: 2 } });
    expect(room.tryAct('p1', 'plain', { anything: true })?.code).toBe('INVALID_PAYLOAD');
    expect(room.tryAct('p1', 'plain', null)).toBeNull();
    const notJson = room.tryApply({ type: 'action', playerId: 'p1', action: 'set', payload: { n: 2, at: new Date(0) } as never });
    expect(notJson.isApplied ? null : notJson.error.code).toBe('INVALID_PAYLOAD');
    expect(room.tryAct('p1', 'set', { n: 3 })?.details).toEqual({ action: 'set', issues: [{ message: 'must be even', path: ['n'] }] });
  });

  it('refuses an asynchronous schema with INVALID_GAME_DEFINITION', () => {
    const room = createTestRoom(handWritten, { players: 1, options: { n: 2 } });
    expect(room.tryAct('p1', 'slow', 1)?.code).toBe('INVALID_GAME_DEFINITION');
  });
});

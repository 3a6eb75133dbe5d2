import { createGameRuntime, InvalidRoomStateError, toStoredState } from '../src';
import { createTestRoom } from '../src/testing';
import { guessTheNumber } from '../examples/guess-the-number';
import { probeGame } from './fixtures/probe-game';

describe('room runtime state', () => {
  const runtime = createGameRuntime(probeGame);

  it('is JSON that any runtime of the game reads back as it was', () => {
    const room = createTestRoom(probeGame);
    room.act('p1', 'schedule', { name: 'x', delayMs: 5 });
    const stored = JSON.parse(JSON.stringify(toStoredState(room.state)));
    expect(runtime.parseState(stored)).toEqual(room.state);
  });

  it.each([
    ['not an object', []],
    ['another format', { format: 2 }],
    ['a member without a role', { members: [{ id: 'a', name: 'A', isConnected: true, joinedAt: 0 }] }],
    ['a broken generator', { random: [1, 2, 3] }],
    ['a timer without a deadline', { timers: [{ name: 'x', data: null, seq: 0 }] }],
    ['a game missing after the start', { game: null }],
    ['a value that is not JSON', { timerSeq: Number.NaN }],
  ])('refuses a state with %s', (_label, patch) => {
    const state = JSON.parse(JSON.stringify(createTestRoom(probeGame).state));
    const broken = Array.isArray(patch) ? patch : { ...state, ...patch };
    expect(() => runtime.parseState(broken)).toThrow(InvalidRoomStateError);
  });

  it('refuses the state of another game', () => {
    const other = createTestRoom(guessTheNumber).state;
    expect(() => runtime.parseState(JSON.parse(JSON.stringify(other)))).toThrow(/gameId/);
    const result = runtime.apply(other as never, { type: 'tick' });
    expect(result.isApplied ? null : result.error.code).toBe('INVALID_ROOM_STATE');
  });

  it('refuses a malformed input with INVALID_ARGUMENT instead of throwing', () => {
    const state = createTestRoom(probeGame).state;
    for (const input of [null, { type: 'dance' }, { type: 'leave', playerId: 7 }, { type: 'action', playerId: 'p1' }]) {
      const result = runtime.apply(state, input as never);
      expect(result.isApplied ? null : result.error.code).toBe('INVALID_ARGUMENT');
    }
  });

  it('builds a sync for one member on request, e.g. after a reconnect to another server', () => {
    const room = createTestRoom(probeGame);
    expect(runtime.syncFor(room.state, 'p2')).toEqual(room.lastSync('p2'));
    expect(() => runtime.syncFor(room.state, 'ghost')).toThrow(/not in this room/);
  });
});

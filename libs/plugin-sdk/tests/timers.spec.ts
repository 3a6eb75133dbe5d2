import { createGameRuntime } from '../src';
import { createFakeClock, createTestRoom, restoreTestRoom } from '../src/testing';
import { probeGame } from './fixtures/probe-game';

describe('timers as data', () => {
  it('stores each deadline in the room state and fires it at its due time, not before', () => {
    const room = createTestRoom(probeGame);
    const start = room.clock.now();
    room.act('p1', 'schedule', { name: 'round', delayMs: 5000, data: { round: 1 } });
    expect(room.state.timers).toEqual([{ name: 'round', dueAt: start + 5000, data: { round: 1 }, seq: 0 }]);
    room.advance(4999);
    expect(room.gameState.fired).toEqual([]);
    room.advance(1);
    expect(room.gameState.fired).toEqual([{ name: 'round', at: start + 5000, data: { round: 1 } }]);
    expect(room.state.timers).toEqual([]);
  });

  it('fires due timers in deadline order, each seeing its own due time as now', () => {
    const room = createTestRoom(probeGame);
    const start = room.clock.now();
    room.act('p1', 'schedule', { name: 'b', delayMs: 200 });
    room.act('p1', 'schedule', { name: 'a', delayMs: 100 });
    room.act('p1', 'schedule', { name: 'c', delayMs: 200 });
    room.clock.advance(1000);
    room.apply({ type: 'tick' });
    expect(room.gameState.fired.map((fired) => [fired.name, fired.at - start])).toEqual([['a', 100], ['b', 200], ['c', 200]]);
  });

  it('replaces a timer scheduled again under the same name, and cancels by name', () => {
    const room = createTestRoom(probeGame);
    room.act('p1', 'schedule', { name: 'x', delayMs: 100 });
    room.act('p1', 'schedule', { name: 'x', delayMs: 300 });
    expect(room.state.timers).toHaveLength(1);
    room.act('p1', 'cancel', { name: 'x' });
    expect(room.events('p1', 'cancelled').at(-1)?.data).toEqual({ name: 'x', wasScheduled: true, remaining: true });
    room.advance(1000);
    expect(room.gameState.fired).toEqual([]);
  });

  it('tells the gateway when the next timer is due and which are due now', () => {
    const clock = createFakeClock(1000);
    const runtime = createGameRuntime(probeGame, { clock });
    const room = createTestRoom(probeGame, { clock });
    expect(runtime.nextTimerAt(room.state)).toBeNull();
    room.act('p1', 'schedule', { name: 'x', delayMs: 50 });
    expect(runtime.nextTimerAt(room.state)).toBe(1050);
    expect(runtime.dueTimers(room.state)).toEqual([]);
    clock.advance(50);
    expect(runtime.dueTimers(room.state).map((timer) => timer.name)).toEqual(['x']);
  });

  it('does nothing on a tick with no timer due', () => {
    const room = createTestRoom(probeGame);
    room.act('p1', 'schedule', { name: 'x', delayMs: 50 });
    const before = room.state;
    const step = room.apply({ type: 'tick' });
    expect(step.state).toBe(before);
    expect(step.messages).toEqual([]);
  });

  it('fires on another server after the room was serialised and restored', () => {
    const room = createTestRoom(probeGame);
    room.act('p1', 'schedule', { name: 'later', delayMs: 10_000, data: 'payload' });
    const restored = restoreTestRoom(probeGame, room.serialize(), room.clock);
    restored.advance(10_000);
    expect(restored.gameState.fired).toEqual([{ name: 'later', at: expect.any(Number), data: 'payload' }]);
    expect(restored.view('p1').fired).toHaveLength(1);
  });

  it('consumes a timer whose handler fails, keeps the state, and reports a warning', () => {
    const room = createTestRoom(probeGame);
    room.act('p1', 'schedule', { name: 'bad', delayMs: 10, data: { fail: true } });
    room.act('p1', 'schedule', { name: 'good', delayMs: 20 });
    room.advance(20);
    expect(room.gameState.fired.map((fired) => fired.name)).toEqual(['good']);
    expect(room.warnings.map((warning) => warning.message)).toEqual(['The game failed while handling timer "bad"']);
    expect(room.state.timers).toEqual([]);
  });

  it('stops a timer that reschedules itself forever after maxTimersPerTick, with a warning', () => {
    const room = createTestRoom(probeGame);
    room.act('p1', 'schedule', { name: 'loop', delayMs: 0, data: { repeat: true } });
    const runtime = createGameRuntime(probeGame, { clock: room.clock, maxTimersPerTick: 5 });
    const step = runtime.fireDueTimers(room.state);
    expect(step.isApplied && step.warnings.map((warning) => warning.code)).toEqual(['ACTION_FAILED']);
    expect((step.state.game?.fired ?? []).length).toBe(5);
    expect(step.state.timers).toHaveLength(1);
  });

  it('refuses a bad delay and clears every timer when the game ends', () => {
    const room = createTestRoom(probeGame);
    expect(room.tryAct('p1', 'schedule', { name: 'x', delayMs: -1 })?.code).toBe('ACTION_FAILED');
    room.act('p1', 'schedule', { name: 'x', delayMs: 100 });
    room.act('p1', 'finish');
    expect(room.state.timers).toEqual([]);
  });
});

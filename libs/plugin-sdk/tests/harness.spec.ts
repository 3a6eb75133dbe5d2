import { defineGame } from '../src';
import { checkRuntimeInvariants, createFakeClock, createTestRoom, findSecrets, InvariantViolationError, SecretLeakError } from '../src/testing';
import { z } from 'zod';
import { probeGame } from './fixtures/probe-game';

/** A game that leaks on purpose, to prove the guard catches each kind of leak. */
const leakyGame = defineGame({
  id: 'leaky',
  name: 'Leaky',
  version: '1.0.0',
  minPlayers: 2,
  maxPlayers: 2,
  setup: (_options, ctx) => ({ hands: Object.fromEntries(ctx.players.map((p, i) => [p.id, [`card-${i}`, `card-${i + 10}`]])), answerIndex: 3, revealed: false }),
  actions: {
    showHand: { handle: (state) => ({ ...state, showsHands: true }) },
    tell: {
      payload: z.object({ what: z.enum(['hand', 'card', 'answer']) }),
      handle(state, { what }, ctx) {
        const hand = state.hands[ctx.actorId] ?? [];
        ctx.emit('told', what === 'hand' ? { hand } : what === 'card' ? { card: hand[0] ?? '' } : { answerIndex: state.answerIndex });
        return state;
      },
    },
    reveal: { handle: (state) => ({ ...state, revealed: true }) },
  },
  view: (state, viewer) => ({
    hand: state.hands[viewer.id] ?? [],
    others: 'showsHands' in state ? state.hands : null,
    answerIndex: state.revealed ? state.answerIndex : null,
    score: 3,
  }),
});

describe('secret guard', () => {
  function guardedRoom() {
    const room = createTestRoom(leakyGame, { players: 2 });
    room.guardSecret({ path: 'hands.*', visibleTo: (_state, match) => match.keys });
    room.guardSecret({ path: 'hands.*.*', visibleTo: (_state, match) => [match.keys[0] ?? ''] });
    room.guardSecret({ path: 'answerIndex', visibleTo: (state) => (state.revealed ? 'everyone' : []) });
    return room;
  }

  it('lets each player see their own hand, and an unrelated 3 is not an answer leak', () => {
    const room = guardedRoom();
    expect(room.view('p1').hand).toEqual(['card-0', 'card-10']);
  });

  it.each([
    ['a hand in a view', 'showHand', undefined, 'hands.p1', 'p2'],
    ['a hand in an event', 'tell', { what: 'hand' }, 'hands.p1', 'p2'],
    ['a single card in an event', 'tell', { what: 'card' }, 'hands.p1.0', 'p2'],
    ['an answer in an event', 'tell', { what: 'answer' }, 'answerIndex', 'p1'],
  ] as const)('fails the step that leaks %s', (_label, action, payload, path, recipient) => {
    const room = guardedRoom();
    let caught: unknown;
    try {
      room.act('p1', action, payload);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SecretLeakError);
    expect((caught as SecretLeakError).details).toMatchObject({ path, recipient });
  });

  it('allows a secret once the state says it is public', () => {
    const room = guardedRoom();
    room.act('p1', 'reveal');
    room.act('p1', 'tell', { what: 'answer' });
    expect(room.view('p2').answerIndex).toBe(3);
  });

  it('finds every value under a wildcard path, and nothing under a missing one', () => {
    expect(findSecrets({ a: { x: 1, y: [2, 3] } }, 'a.*').map((match) => match.path)).toEqual(['a.x', 'a.y']);
    expect(findSecrets({ a: { y: [2, 3] } }, 'a.y.1')).toEqual([{ path: 'a.y.1', keys: [], value: 3 }]);
    expect(findSecrets({ a: 1 }, 'b.c')).toEqual([]);
  });
});

describe('test room', () => {
  it('seats p1..pN and spectators s1..sN, with p1 as host', () => {
    const room = createTestRoom(probeGame, { players: 3, spectators: 2 });
    expect(room.players).toEqual(['p1', 'p2', 'p3']);
    expect(room.hostId).toBe('p1');
    expect(room.view('s2').role).toBe('spectator');
  });

  it('throws a refusal from act, and returns it from tryAct', () => {
    const room = createTestRoom(probeGame);
    expect(() => room.act('p2', 'pass')).toThrow(expect.objectContaining({ code: 'NOT_YOUR_TURN' }));
    expect(room.tryAct('p1', 'pass')).toBeNull();
  });

  it('advances to the next timer only when there is one', () => {
    const room = createTestRoom(probeGame, { clock: createFakeClock(0) });
    expect(room.advanceToNextTimer()).toBe(false);
    room.act('p1', 'schedule', { name: 'x', delayMs: 1234 });
    expect(room.advanceToNextTimer()).toBe(true);
    expect(room.clock.now()).toBe(1234);
    expect(room.gameState.fired).toHaveLength(1);
  });

  it('keeps what members received across a failover and resyncs the connected ones', () => {
    const room = createTestRoom(probeGame);
    room.disconnect('p2');
    const [p1Before, p2Before] = [room.messages('p1').length, room.messages('p2').length];
    room.failover();
    expect(room.messages('p1')).toHaveLength(p1Before + 1);
    expect(room.messages('p2')).toHaveLength(p2Before);
  });

  it('reads back no view before the start', () => {
    const room = createTestRoom(probeGame, { start: false });
    expect(() => room.view('p1')).toThrow(/not started/);
    expect(() => room.gameState).toThrow(/not started/);
    expect(() => room.lastSync('ghost')).toThrow(/no sync/);
  });
});

describe('runtime invariants checker', () => {
  it('catches a game that is not deterministic (Math.random instead of ctx.random)', () => {
    const sloppy = defineGame({
      id: 'sloppy',
      name: 'Sloppy',
      version: '1.0.0',
      minPlayers: 1,
      maxPlayers: 1,
      setup: () => ({ roll: Math.random() }),
      actions: {},
      view: () => null,
    });
    const steps = [{ type: 'join', playerId: 'p1', name: 'One' }, { type: 'start', playerId: 'p1' }] as const;
    expect(() => checkRuntimeInvariants(sloppy, { steps })).toThrow(InvariantViolationError);
  });
});

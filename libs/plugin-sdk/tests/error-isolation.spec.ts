import { defineGame } from '../src';
import { createTestRoom } from '../src/testing';
import { probeGame } from './fixtures/probe-game';

function misbehavingRoom() {
  const room = createTestRoom(probeGame);
  room.act('p1', 'add', { by: 1 });
  room.act('p1', 'draw');
  room.clearInboxes();
  return room;
}

describe('a handler that fails leaves the room at its previous state', () => {
  it.each([
    ['throws an unexpected error', 'throw', 'ACTION_FAILED'],
    ['mutates its state and then throws', 'mutate-then-throw', 'ACTION_FAILED'],
    ['returns a function', 'function', 'INVALID_STATE'],
    ['returns a class instance', 'class', 'INVALID_STATE'],
    ['returns a cycle', 'cycle', 'INVALID_STATE'],
    ['returns nothing', 'undefined', 'INVALID_STATE'],
    ['returns a promise', 'promise', 'INVALID_STATE'],
    ['returns NaN', 'nan', 'INVALID_STATE'],
    ['emits an event that is not JSON', 'bad-event', 'INVALID_STATE'],
    ['ends with a result that is not JSON', 'bad-result', 'INVALID_STATE'],
    ['produces state its view cannot show', 'break-view', 'ACTION_FAILED'],
  ])('when it %s: the actor gets %s… and nobody gets a message', (_label, how, code) => {
    const room = misbehavingRoom();
    const before = room.serialize();
    const result = room.tryApply({ type: 'action', playerId: 'p1', action: 'misbehave', payload: { how } });
    expect(result.isApplied ? null : result.error.code).toBe(code);
    expect(room.serialize()).toBe(before);
    expect(room.messages('p1')).toEqual([]);
    room.act('p1', 'add', { by: 1 });
    expect(room.gameState.count).toBe(2);
  });

  it('names the offending path of invalid state', () => {
    const error = misbehavingRoom().tryAct('p1', 'misbehave', { how: 'class' });
    expect(error?.details).toMatchObject({ path: 'state.draws[0]' });
  });

  it('passes a rule error of the game to the actor as it is', () => {
    const error = misbehavingRoom().tryAct('p1', 'misbehave', { how: 'throw-rule' });
    expect(error?.toJSON()).toEqual({ code: 'ACTION_FAILED', message: 'Not like that', details: { reason: 'RULE' } });
  });

  it('hides an unexpected error behind a generic message, keeping it as the cause for the logs', () => {
    const error = misbehavingRoom().tryAct('p1', 'misbehave', { how: 'throw' });
    expect(error?.message).toBe('The game failed while handling action "misbehave"');
    expect((error?.cause as Error).message).toBe('boom');
    expect(JSON.stringify(error)).not.toContain('boom');
  });

  it('does not let game code use its context after it returned', () => {
    const room = misbehavingRoom();
    room.act('p1', 'misbehave', { how: 'stash-context' });
    expect(room.tryAct('p1', 'misbehave', { how: 'use-stashed-context' })?.code).toBe('ACTION_FAILED');
    expect(room.events('p1', 'late')).toEqual([]);
  });
});

describe('every message goes through view', () => {
  it('never sends the raw state: each sync carries exactly what view returned for that member', () => {
    const room = createTestRoom(probeGame, { players: 2, spectators: 1 });
    room.guardSecret({ path: 'secret' });
    room.act('p1', 'add', { by: 1 });
    room.join('late');
    room.failover();
    for (const member of ['p1', 'p2', 's1', 'late']) {
      const { view } = room.lastSync(member);
      expect(view).toEqual(probeGame.view(room.gameState, { id: member, role: member.startsWith('p') ? 'player' : 'spectator' }));
    }
  });
});

describe('views read the state itself, frozen', () => {
  const counter = defineGame({
    id: 'mutating-view',
    name: 'Mutating view',
    version: '1.0.0',
    minPlayers: 1,
    maxPlayers: 4,
    setup: () => ({ scores: [3, 1, 2], seen: 0 }),
    actions: { bump: { handle: (state: { scores: number[]; seen: number }) => ({ ...state, seen: state.seen + 1 }) } },
    view: (state, viewer) => {
      // A view that sorts in place changes the room's state: with checks on, the state is frozen and this throws.
      if (state.seen >= 2 && viewer.id === 'p1') state.scores.sort();
      return { top: state.scores[0] ?? null, seen: state.seen };
    },
  });

  it('refuses the step whose view changes the state, and leaves the stored state as it was', () => {
    const room = createTestRoom(counter, { players: ['p1'] });
    room.act('p1', 'bump');
    expect(room.view('p1')).toEqual({ top: 3, seen: 1 });
    const before = room.serialize();
    const result = room.tryApply({ type: 'action', playerId: 'p1', action: 'bump' });
    expect(result.isApplied ? null : result.error.code).toBe('ACTION_FAILED');
    expect(room.serialize()).toBe(before);
    expect(room.gameState.scores).toEqual([3, 1, 2]);
  });
});

import { createTestRoom } from '../src/testing';
import { probeGame } from './fixtures/probe-game';

describe('action checks declared by the game', () => {
  it('refuses actions before the start with GAME_NOT_STARTED and after the end with GAME_OVER', () => {
    const room = createTestRoom(probeGame, { start: false });
    expect(room.tryAct('p1', 'add', { by: 1 })?.code).toBe('GAME_NOT_STARTED');
    room.start();
    room.act('p1', 'finish');
    expect(room.tryAct('p1', 'add', { by: 1 })?.code).toBe('GAME_OVER');
  });

  it.each(['fly', 'toString', '__proto__', 'constructor'])('refuses the unknown action %s with UNKNOWN_ACTION', (action) => {
    const room = createTestRoom(probeGame);
    expect(room.tryAct('p1', action)?.code).toBe('UNKNOWN_ACTION');
  });

  it('refuses an action from a stranger with NOT_IN_ROOM', () => {
    expect(createTestRoom(probeGame).tryAct('ghost', 'draw')?.code).toBe('NOT_IN_ROOM');
  });

  it('enforces host-only actions, also letting a spectating host use them', () => {
    const room = createTestRoom(probeGame, { players: 0, start: false });
    room.join('teacher', { asSpectator: true });
    room.join('p1');
    room.join('p2');
    room.start('teacher');
    room.act('p1', 'add', { by: 2 });
    expect(room.tryAct('p1', 'reset')?.code).toBe('HOST_ONLY');
    room.act('teacher', 'reset');
    expect(room.gameState.count).toBe(0);
  });

  it('refuses player actions from spectators with NOT_A_PLAYER unless the action allows spectators', () => {
    const room = createTestRoom(probeGame, { spectators: 1 });
    expect(room.tryAct('s1', 'add', { by: 1 })?.code).toBe('NOT_A_PLAYER');
    room.act('s1', 'cheer');
    expect(room.events('p1', 'cheer')).toEqual([{ type: 'event', to: 'p1', name: 'cheer', data: { by: 's1' } }]);
  });

  it('refuses a turn action out of turn with NOT_YOUR_TURN', () => {
    const room = createTestRoom(probeGame);
    expect(room.tryAct('p2', 'pass')?.code).toBe('NOT_YOUR_TURN');
    room.act('p1', 'pass');
    expect(room.tryAct('p1', 'pass')?.code).toBe('NOT_YOUR_TURN');
    room.act('p2', 'pass');
  });

  it('delivers events to everyone connected, or to one member', () => {
    const room = createTestRoom(probeGame, { players: 3 });
    room.disconnect('p3');
    room.act('p1', 'whisper', { to: 'p2', text: 'hi' });
    room.act('p1', 'whisper', { to: 'p3', text: 'lost' });
    room.act('p2', 'cheer');
    expect(room.events('p2').map((event) => event.name)).toEqual(['whisper', 'cheer']);
    expect(room.events('p1').map((event) => event.name)).toEqual(['cheer']);
    expect(room.events('p3')).toEqual([]);
  });

  it('puts each step\'s syncs before its events, one sync per connected member', () => {
    const room = createTestRoom(probeGame, { players: 2, spectators: 1 });
    const { messages } = room.act('p1', 'cheer');
    expect(messages.map((message) => `${message.type}:${message.to}`)).toEqual(['sync:p1', 'sync:p2', 'sync:s1', 'event:p1', 'event:p2', 'event:s1']);
  });
});

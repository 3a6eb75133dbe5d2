import { createTestRoom } from '../src/testing';
import { probeGame } from './fixtures/probe-game';

describe('joining', () => {
  it('seats players in the lobby up to maxPlayers, then admits spectators, then refuses with ROOM_FULL', () => {
    const room = createTestRoom(probeGame, { players: 3, start: false });
    room.join('s1');
    room.join('s2');
    expect(room.state.members.map((member) => [member.id, member.role])).toEqual([
      ['p1', 'player'],
      ['p2', 'player'],
      ['p3', 'player'],
      ['s1', 'spectator'],
      ['s2', 'spectator'],
    ]);
    const full = room.tryApply({ type: 'join', playerId: 'x', name: 'X' });
    expect(full.isApplied ? null : full.error.code).toBe('ROOM_FULL');
  });

  it('makes the first member host and seats those who ask to spectate as spectators', () => {
    const room = createTestRoom(probeGame, { players: 0, start: false });
    room.join('teacher', { asSpectator: true });
    room.join('p1');
    expect(room.hostId).toBe('teacher');
    expect(room.state.members[0]?.role).toBe('spectator');
  });

  it('makes late joiners spectators or players as the game declares for its options', () => {
    const spectating = createTestRoom(probeGame, { players: 2 });
    spectating.join('late');
    expect(spectating.state.members.at(-1)?.role).toBe('spectator');
    expect(spectating.gameState.lifecycle).toEqual(['joined:late:spectator']);

    const playing = createTestRoom(probeGame, { players: 2, options: { lateJoin: 'player' } });
    playing.join('late');
    expect(playing.state.members.at(-1)?.role).toBe('player');
  });

  it('sends the joiner a first sync that went through view, and refuses a second join of the same id', () => {
    const room = createTestRoom(probeGame, { players: 2 });
    room.join('late', { name: '  Late  ' });
    expect(room.lastSync('late')).toMatchObject({ type: 'sync', room: { phase: 'playing' }, view: { viewer: 'late', role: 'spectator' } });
    expect(room.lastSync('late').view).not.toHaveProperty('secret');
    expect(room.state.members.at(-1)?.name).toBe('Late');
    const again = room.tryApply({ type: 'join', playerId: 'late', name: 'Again' });
    expect(again.isApplied ? null : again.error.code).toBe('ALREADY_IN_ROOM');
  });

  it.each([
    ['an empty id', { playerId: '', name: 'A' }],
    ['a blank name', { playerId: 'a', name: '   ' }],
    ['a name too long', { playerId: 'a', name: 'x'.repeat(65) }],
  ])('refuses %s with INVALID_ARGUMENT', (_label, input) => {
    const room = createTestRoom(probeGame, { start: false });
    const result = room.tryApply({ type: 'join', ...input });
    expect(result.isApplied ? null : result.error.code).toBe('INVALID_ARGUMENT');
  });

  it('refuses a join whose game hook fails, leaving the room as it was', () => {
    const room = createTestRoom(probeGame, { players: 2 });
    const before = room.state;
    const result = room.tryApply({ type: 'join', playerId: 'c', name: 'crash' });
    expect(result.isApplied ? null : result.error.code).toBe('ACTION_FAILED');
    expect(room.state).toBe(before);
  });
});

describe('leaving, disconnecting and kicking', () => {
  it('passes the host role to the next connected player when the host leaves', () => {
    const room = createTestRoom(probeGame, { players: 3 });
    room.disconnect('p2');
    room.leave('p1');
    expect(room.hostId).toBe('p3');
    expect(room.gameState.lifecycle).toEqual(['disconnected:p2', 'left:p1']);
  });

  it('keeps a disconnected member and their place, tells the game, and resyncs them on reconnect', () => {
    const room = createTestRoom(probeGame, { players: 2 });
    room.act('p2', 'add', { by: 5 });
    room.disconnect('p2');
    room.act('p1', 'add', { by: 1 });
    expect(room.view('p2').count).toBe(5);
    expect(room.disconnect('p2').messages).toEqual([]);
    room.reconnect('p2');
    expect(room.view('p2').count).toBe(6);
    expect(room.gameState.lifecycle).toEqual(['disconnected:p2', 'reconnected:p2']);
  });

  it('lets only the host kick; the kicked member is told and removed', () => {
    const room = createTestRoom(probeGame, { players: 3 });
    expect(room.tryApply({ type: 'kick', playerId: 'p2', targetId: 'p3' })).toMatchObject({ isApplied: false, error: { code: 'HOST_ONLY' } });
    expect(room.tryApply({ type: 'kick', playerId: 'p1', targetId: 'p1' })).toMatchObject({ isApplied: false, error: { code: 'ACTION_FAILED' } });
    expect(room.tryApply({ type: 'kick', playerId: 'p1', targetId: 'ghost' })).toMatchObject({ isApplied: false, error: { code: 'NOT_IN_ROOM' } });
    const { messages } = room.kick('p3');
    expect(messages).toContainEqual({ type: 'kicked', to: 'p3' });
    expect(messages.filter((message) => message.to === 'p3')).toEqual([{ type: 'kicked', to: 'p3' }]);
    expect(room.players).toEqual(['p1', 'p2']);
    expect(room.gameState.lifecycle).toEqual(['kicked:p3']);
  });

  it('removes a leaving member even when the game hook fails, and reports the failure as a warning', () => {
    const room = createTestRoom(probeGame, { players: 2 });
    room.join('c', { name: 'crash-on-leave' });
    const step = room.leave('c');
    expect(room.state.members.map((member) => member.id)).toEqual(['p1', 'p2']);
    expect(step.warnings.map((warning) => warning.code)).toEqual(['ACTION_FAILED']);
    expect(room.gameState.lifecycle).toEqual(['joined:c:spectator']);
  });

  it.each(['leave', 'disconnect', 'reconnect'] as const)('refuses %s of a stranger with NOT_IN_ROOM', (type) => {
    const room = createTestRoom(probeGame);
    expect(room.tryApply({ type, playerId: 'ghost' })).toMatchObject({ isApplied: false, error: { code: 'NOT_IN_ROOM' } });
  });
});

describe('starting', () => {
  it('is for the host, once, with enough players', () => {
    const room = createTestRoom(probeGame, { players: 1, start: false });
    expect(room.tryApply({ type: 'start', playerId: 'p1' })).toMatchObject({ error: { code: 'NOT_ENOUGH_PLAYERS', details: { players: 1, minPlayers: 2 } } });
    room.join('p2');
    expect(room.tryApply({ type: 'start', playerId: 'p2' })).toMatchObject({ error: { code: 'HOST_ONLY' } });
    room.start();
    expect(room.state.phase).toBe('playing');
    expect(room.tryApply({ type: 'start', playerId: 'p1' })).toMatchObject({ error: { code: 'GAME_ALREADY_STARTED' } });
  });

  it('sends no game view before the start', () => {
    const room = createTestRoom(probeGame, { start: false });
    expect(room.lastSync('p1')).toMatchObject({ view: null, room: { phase: 'lobby', hostId: 'p1' } });
  });

  it('allows a rematch after the end, from a fresh setup', () => {
    const room = createTestRoom(probeGame);
    room.act('p1', 'add', { by: 3 });
    room.act('p1', 'finish');
    expect(room.lastSync('p2').room).toMatchObject({ phase: 'ended', result: { count: 3 } });
    room.start();
    expect(room.state).toMatchObject({ phase: 'playing', result: null, game: { count: 0 } });
  });

  it('ends a running game on dispose, letting the game give a result', () => {
    const room = createTestRoom(probeGame);
    room.act('p1', 'schedule', { name: 't', delayMs: 1000 });
    room.apply({ type: 'dispose' });
    expect(room.state).toMatchObject({ phase: 'ended', timers: [], result: { count: 0, isDisposed: true } });
  });
});

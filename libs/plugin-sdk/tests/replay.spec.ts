import { exportReplay, replayRoom, ReplayDivergedError } from '../src';
import { createTestRoom } from '../src/testing';
import { probeGame } from './fixtures/probe-game';

function playedRoom() {
  const room = createTestRoom(probeGame, { players: 3, seed: 'bug-42' });
  room.act('p1', 'draw');
  room.act('p2', 'add', { by: 4 });
  room.act('p1', 'schedule', { name: 'x', delayMs: 500, data: [1, 2] });
  room.disconnect('p3');
  room.advance(600);
  room.tryAct('p2', 'misbehave', { how: 'throw' });
  room.reconnect('p3');
  room.join('late');
  room.act('p3', 'draw');
  room.kick('late');
  room.act('p1', 'finish');
  return room;
}

describe('deterministic replay', () => {
  it('rebuilds the exact same state from options, seed and the action log', () => {
    const room = playedRoom();
    expect(replayRoom(probeGame, exportReplay(room.state))).toEqual(room.state);
  });

  it('records only applied inputs, each with its time', () => {
    const log = exportReplay(playedRoom().state);
    expect(log.entries.map((entry) => entry.type)).toEqual([
      'join', 'join', 'join', 'start', 'action', 'action', 'action', 'disconnect', 'tick', 'reconnect', 'join', 'action', 'kick', 'action',
    ]);
    expect(log.entries.every((entry) => typeof entry.at === 'number')).toBe(true);
    expect(JSON.parse(JSON.stringify(log))).toEqual(log);
  });

  it('reports the first entry that no longer applies', () => {
    const log = exportReplay(playedRoom().state);
    log.entries.splice(3, 1); // drop the start: the first action is now refused
    expect(() => replayRoom(probeGame, log)).toThrow(ReplayDivergedError);
    expect(() => replayRoom(probeGame, log)).toThrow(/Entry 3 \(action\) was refused with GAME_NOT_STARTED/);
    expect(() => replayRoom(probeGame, { ...log, gameId: 'other' })).toThrow(/for other/);
  });

  it('cannot export a room that does not record, or whose log overflowed', () => {
    expect(() => exportReplay(createTestRoom(probeGame, { recordsLog: false }).state)).toThrow(/does not record/);
    const room = createTestRoom(probeGame);
    const full = { ...room.state, log: { entries: [], maxEntries: 0, isTruncated: true } };
    expect(() => exportReplay(full)).toThrow(/cannot be replayed/);
  });
});

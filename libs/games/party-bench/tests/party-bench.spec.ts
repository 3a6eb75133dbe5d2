import { createTestRoom } from '@gamebuddies/plugin-sdk/testing';
import { partyBench, rightChoice, RIGHT_POINTS, roundOf, WRONG_POINTS, type PartyBenchResult, type PartyBenchOptions } from '../src';

function createBenchRoom(options: Partial<PartyBenchOptions> = {}, players = 3) {
  return createTestRoom(partyBench, { players, options });
}

/** The right choice of the room's current round (read from the state, as only a test may). */
function right(room: ReturnType<typeof createBenchRoom>): number {
  return rightChoice(room.gameState.salt, roundOf(room.gameState));
}

describe('party bench', () => {
  it('scores 10 for the round’s right choice and 1 otherwise, and shows each player a tiny view', () => {
    const room = createBenchRoom();
    const good = right(room);
    room.act('p1', 'answer', { choice: good });
    room.act('p2', 'answer', { choice: (good + 1) % 4 });
    expect(room.view('p1')).toEqual({ round: 1, myScore: RIGHT_POINTS, myRank: 1, leader: { name: 'p1', score: RIGHT_POINTS } });
    expect(room.view('p2')).toEqual({ round: 1, myScore: WRONG_POINTS, myRank: 2, leader: { name: 'p1', score: RIGHT_POINTS } });
    expect(room.view('p3')).toMatchObject({ myScore: 0, myRank: 3 });
    expect(JSON.stringify(room.view('p2')).length).toBeLessThanOrEqual(80);
    expect(room.gameState.answers).toBe(2);
  });

  it('moves to the next round once every player has answered, and never repeats a right choice pattern by accident', () => {
    const room = createBenchRoom({}, 2);
    for (let i = 0; i < 2; i++) room.act(`p${i + 1}`, 'answer', { choice: 0 });
    expect(room.view('p1').round).toBe(2);
    const choices = Array.from({ length: 200 }, (_, round) => rightChoice(room.gameState.salt, round + 1));
    for (const choice of [0, 1, 2, 3]) expect(choices).toContain(choice);
  });

  it('lets players answer as often as they like when answersPerPlayer is 0', () => {
    const room = createBenchRoom({ answersPerPlayer: 0 }, 1);
    for (let i = 0; i < 50; i++) room.act('p1', 'answer', { choice: i % 4 });
    expect(room.state.phase).toBe('playing');
    expect(room.gameState.scores['p1']?.answers).toBe(50);
  });

  it('ends with ranked standings once every player has given answersPerPlayer answers', () => {
    const room = createBenchRoom({ answersPerPlayer: 2 });
    const good = right(room);
    room.act('p1', 'answer', { choice: good });
    room.act('p1', 'answer', { choice: 0 });
    expect(room.tryAct('p1', 'answer', { choice: 0 })).toMatchObject({ code: 'ACTION_FAILED', details: { reason: 'NO_ANSWERS_LEFT' } });
    room.act('p2', 'answer', { choice: 0 });
    room.act('p3', 'answer', { choice: 0 });
    room.act('p3', 'answer', { choice: 0 });
    expect(room.state.phase).toBe('playing');
    room.act('p2', 'answer', { choice: 0 });
    expect(room.state.phase).toBe('ended');
    const result = room.state.result as PartyBenchResult;
    expect(result.answers).toBe(6);
    expect(result.standings[0]).toMatchObject({ playerId: 'p1', rank: 1, answers: 2 });
    expect(result.standings.map((line) => line.answers)).toEqual([2, 2, 2]);
    expect(room.tryAct('p1', 'answer', { choice: 0 })?.code).toBe('GAME_OVER');
  });

  it('does not wait for a player who left', () => {
    const room = createBenchRoom({ answersPerPlayer: 1 }, 2);
    room.act('p1', 'answer', { choice: 0 });
    room.leave('p2');
    expect(room.state.phase).toBe('ended');
  });

  it('seats only the first maxPlayers players; the others cannot answer', () => {
    const room = createBenchRoom({ maxPlayers: 2 }, 3);
    expect(room.tryAct('p3', 'answer', { choice: 0 })).toMatchObject({ code: 'ACTION_FAILED', details: { reason: 'NOT_PLAYING' } });
    expect(room.view('p3')).toMatchObject({ myScore: 0, myRank: null });
  });

  it('refuses choices outside 0–3 and bad options', () => {
    const room = createBenchRoom();
    expect(room.tryAct('p1', 'answer', { choice: 4 })?.code).toBe('INVALID_PAYLOAD');
    expect(room.tryAct('p1', 'answer', {})?.code).toBe('INVALID_PAYLOAD');
    expect(() => createBenchRoom({ maxPlayers: 101 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
  });

  it('lets the host end the game and replays to the same state', () => {
    const room = createBenchRoom();
    room.act('p2', 'answer', { choice: 1 });
    expect(room.tryAct('p2', 'end')?.code).toBe('HOST_ONLY');
    room.act('p1', 'end');
    expect((room.state.result as PartyBenchResult).standings[0]?.playerId).toBe('p2');
    expect(room.replay()).toEqual(room.state);
  });
});

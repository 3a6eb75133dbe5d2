import type { EightsResult } from '../src';
import { createTable, playOneMove, unplayableCard, withTable } from './table';

function playToTheEnd(room: ReturnType<typeof createTable>, failoverEvery = 0): number {
  let moves = 0;
  while (room.state.phase === 'playing') {
    playOneMove(room);
    moves++;
    if (failoverEvery > 0 && moves % failoverEvery === 0) room.failover();
    if (moves > 2000) throw new Error('the game did not end');
  }
  return moves;
}

describe('crazy eights, played to the end', () => {
  it.each([2, 3, 6])('ends with a winner who emptied their hand (%i players), hands never leaking', (players) => {
    const room = createTable({}, { players, seed: `table-${players}` });
    expect(room.view('p1').hand).toHaveLength(players === 2 ? 7 : 5);
    playToTheEnd(room);
    const result = room.state.result as EightsResult;
    expect(['emptied-hand', 'blocked']).toContain(result.reason);
    if (result.reason === 'emptied-hand') expect(result.penalties[result.winnerId ?? '']).toBe(0);
    expect(Object.keys(result.penalties)).toHaveLength(players);
    expect(room.lastSync('p2').room.result).toEqual(result);
    expect(room.replay()).toEqual(room.state);
  });

  it('plays identically through failovers every few moves', () => {
    const straight = createTable({}, { players: 3, seed: 'failover' });
    const failedOver = createTable({}, { players: 3, seed: 'failover' });
    const moves = playToTheEnd(straight);
    expect(playToTheEnd(failedOver, 3)).toBe(moves);
    expect(failedOver.state.result).toEqual(straight.state.result);
  });

  it('shows each player their own hand and only counts of the others', () => {
    const room = createTable({}, { players: 3, spectators: 1 });
    const view = room.view('p2');
    expect(view.hand).toEqual(room.gameState.hands['p2']);
    expect(view.seats).toEqual([
      { id: 'p1', cardCount: 5, isTurn: true },
      { id: 'p2', cardCount: 5, isTurn: false },
      { id: 'p3', cardCount: 5, isTurn: false },
    ]);
    expect(view.playableCards).toEqual([]);
    expect(room.view('s1').hand).toBeNull();
    expect(room.view('p1').playableCards.length).toBeLessThanOrEqual(5);
  });

  it('tells only the drawer which card they drew', () => {
    const room = createTable();
    room.act('p1', 'draw');
    const [drew] = room.events('p1', 'drew');
    expect(room.gameState.hands['p1']).toContain((drew?.data as { card: string }).card);
    expect(room.events('p2', 'drew')).toEqual([]);
    expect(room.events('p2', 'player-drew')).toEqual([expect.objectContaining({ data: { playerId: 'p1' } })]);
  });

  it('lets an eight be played on anything and follows the suit it names', () => {
    const room = withTable(createTable(), { hands: { p1: ['8C', '2D'], p2: ['3H', '4S'] }, discard: ['KH'], suit: 'H' });
    room.act('p1', 'play', { card: '8C', suit: 'S' });
    expect(room.view('p2')).toMatchObject({ topCard: '8C', suit: 'S', playableCards: ['4S'] });
    expect(room.tryAct('p2', 'play', { card: '3H' })?.details).toEqual({ reason: 'CARD_DOES_NOT_MATCH' });
    room.act('p2', 'play', { card: '4S' });
    expect(room.view('p1').lastMove).toEqual({ playerId: 'p2', type: 'play', card: '4S' });
  });

  it('reshuffles the discards into a new draw pile when the pile runs out', () => {
    const room = withTable(createTable(), { drawPile: [], discard: ['2C', '3C', '4C'], suit: 'C', hands: { p1: ['KH'], p2: ['QH'] } });
    room.act('p1', 'draw');
    expect(room.gameState.discard).toEqual(['4C']);
    expect(room.gameState.hands['p1']).toHaveLength(2);
    expect(room.gameState.drawPile).toHaveLength(1);
    expect(room.events('p2', 'reshuffled')).toHaveLength(1);
  });

  it('ends a blocked game, when nobody can play or draw, in favour of the lowest hand', () => {
    const room = withTable(createTable(), { drawPile: [], discard: ['2C'], suit: 'C', hands: { p1: ['KH', 'QH'], p2: ['3D'] } });
    room.act('p1', 'pass');
    room.act('p2', 'pass');
    expect(room.state.result).toEqual({ winnerId: 'p2', reason: 'blocked', penalties: { p1: 20, p2: 3 } });
  });
});

describe('turn timer', () => {
  it('draws and passes for a player who lets their turn run out', () => {
    const room = createTable({ turnSeconds: 20 });
    const handSize = room.gameState.hands['p1']?.length ?? 0;
    expect(room.view('p2').turnEndsAt).toBe(room.clock.now() + 20_000);
    room.advance(20_000);
    expect(room.gameState.hands['p1']).toHaveLength(handSize + 1);
    expect(room.view('p2')).toMatchObject({ turn: 'p2', lastMove: { playerId: 'p1', type: 'timeout' } });
    expect(room.events('p2', 'turn-timed-out')).toEqual([expect.objectContaining({ data: { playerId: 'p1' } })]);
  });

  it('restarts the timer on every turn, and has none when turnSeconds is 0', () => {
    const room = createTable({ turnSeconds: 20 });
    room.advance(15_000);
    room.act('p1', 'draw');
    room.act('p1', 'pass');
    room.advance(15_000);
    expect(room.view('p1').turn).toBe('p2');
    const untimed = createTable({ turnSeconds: 0 });
    expect(untimed.state.timers).toEqual([]);
    expect(untimed.view('p1').turnEndsAt).toBeNull();
  });
});

describe('players leaving', () => {
  it('returns a leaver\'s cards to the pile and passes the turn on', () => {
    const room = createTable({}, { players: 3 });
    const pile = room.gameState.drawPile.length;
    room.leave('p1');
    expect(room.gameState.order).toEqual(['p2', 'p3']);
    expect(room.gameState.drawPile).toHaveLength(pile + 5);
    expect(room.view('p2').turn).toBe('p2');
  });

  it('keeps the turn with the right player when someone before them leaves', () => {
    const room = createTable({}, { players: 3 });
    playOneMove(room);
    if (room.view('p2').turn !== 'p2') playOneMove(room);
    room.leave('p1');
    expect(room.view('p3').turn).toBe('p2');
  });

  it('makes the last player standing the winner, also after a kick', () => {
    const room = createTable();
    room.kick('p2');
    expect(room.state.result).toMatchObject({ winnerId: 'p1', reason: 'last-player' });
  });

  it('keeps a disconnected player in the game; their turn times out', () => {
    const room = createTable({ turnSeconds: 10 });
    room.disconnect('p1');
    room.advance(10_000);
    expect(room.view('p2').turn).toBe('p2');
    room.reconnect('p1');
    expect(room.view('p1').hand?.length).toBeGreaterThan(0);
  });

  it('seats late joiners as spectators who see no hand', () => {
    const room = createTable();
    room.join('late');
    expect(room.view('late').hand).toBeNull();
    expect(room.tryAct('late', 'draw')?.code).toBe('NOT_A_PLAYER');
  });
});

describe('every invalid action a player can send', () => {
  it.each([
    ['playing out of turn', 'p2', 'play', { card: '2C' }, 'NOT_YOUR_TURN'],
    ['drawing out of turn', 'p2', 'draw', undefined, 'NOT_YOUR_TURN'],
    ['passing out of turn', 'p2', 'pass', undefined, 'NOT_YOUR_TURN'],
    ['an unknown action', 'p1', 'discard', undefined, 'UNKNOWN_ACTION'],
    ['a play without a card', 'p1', 'play', {}, 'INVALID_PAYLOAD'],
    ['a card code that does not exist', 'p1', 'play', { card: '11X' }, 'INVALID_PAYLOAD'],
    ['a suit that does not exist', 'p1', 'play', { card: '8C', suit: 'X' }, 'INVALID_PAYLOAD'],
    ['a payload for draw', 'p1', 'draw', { card: '2C' }, 'INVALID_PAYLOAD'],
    ['an action from a stranger', 'ghost', 'draw', undefined, 'NOT_IN_ROOM'],
  ] as const)('refuses %s', (_label, playerId, action, payload, code) => {
    const room = createTable();
    const before = room.serialize();
    expect(room.tryAct(playerId, action, payload)?.code).toBe(code);
    expect(room.serialize()).toBe(before);
  });

  it.each([
    ['a card the player does not hold', { card: 'AS' }, 'CARD_NOT_IN_HAND'],
    ['a card that does not match', { card: '2D' }, 'CARD_DOES_NOT_MATCH'],
    ['an eight without a suit', { card: '8C' }, 'SUIT_REQUIRED'],
    ['a suit with a card that is not an eight', { card: '5H', suit: 'S' }, 'SUIT_ONLY_WITH_EIGHT'],
  ] as const)('refuses playing %s with ACTION_FAILED', (_label, payload, reason) => {
    const room = withTable(createTable(), { hands: { p1: ['2D', '8C', '5H'], p2: ['AS'] }, discard: ['KH'], suit: 'H' });
    const error = room.tryAct('p1', 'play', payload);
    expect(error?.code).toBe('ACTION_FAILED');
    expect(error?.details).toEqual({ reason });
  });

  it('refuses a second draw, a pass before drawing, and a draw when nothing is left', () => {
    const room = createTable();
    expect(room.tryAct('p1', 'pass')?.details).toEqual({ reason: 'MUST_DRAW_FIRST' });
    room.act('p1', 'draw');
    expect(room.tryAct('p1', 'draw')?.details).toEqual({ reason: 'ALREADY_DREW' });
    const empty = withTable(createTable(), { drawPile: [], discard: ['2C'], suit: 'C', hands: { p1: ['KH'], p2: ['QH'] } });
    expect(empty.tryAct('p1', 'draw')?.details).toEqual({ reason: 'NOTHING_TO_DRAW' });
    empty.act('p1', 'pass');
  });

  it('refuses moves before the start, after the end, and a start without enough players', () => {
    const lobby = createTable({}, { players: 1, start: false });
    expect(lobby.tryAct('p1', 'draw')?.code).toBe('GAME_NOT_STARTED');
    expect(lobby.tryApply({ type: 'start', playerId: 'p1' })).toMatchObject({ error: { code: 'NOT_ENOUGH_PLAYERS' } });
    const ended = createTable();
    ended.leave('p2');
    expect(ended.tryAct('p1', 'draw')?.code).toBe('GAME_OVER');
  });

  it('has an unplayable card to test with in a normal deal', () => {
    const room = createTable({}, { seed: 'deal' });
    expect(unplayableCard(room, 'p1')).toBeDefined();
    expect(room.tryAct('p1', 'play', { card: unplayableCard(room, 'p1') ?? '' })?.details).toEqual({ reason: 'CARD_DOES_NOT_MATCH' });
  });
});

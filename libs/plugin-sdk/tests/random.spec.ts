import { createRandom, seedRandomState } from '../src';
import { createTestRoom } from '../src/testing';
import { probeGame } from './fixtures/probe-game';

function draws(seed: string, count: number): number[] {
  const random = createRandom(seedRandomState(seed));
  return Array.from({ length: count }, () => random.int(1, 1000));
}

describe('seeded random', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    expect(draws('a', 20)).toEqual(draws('a', 20));
    expect(draws('a', 20)).not.toEqual(draws('b', 20));
  });

  it('keeps int within bounds, shuffles into a permutation and picks a member', () => {
    const random = createRandom(seedRandomState('bounds'));
    for (let i = 0; i < 1000; i++) {
      const n = random.int(-2, 2);
      expect(n).toBeGreaterThanOrEqual(-2);
      expect(n).toBeLessThanOrEqual(2);
    }
    const items = [1, 2, 3, 4, 5, 6];
    expect([...random.shuffle(items)].sort()).toEqual(items);
    expect(items).toContain(random.pick(items));
    expect(() => random.pick([])).toThrow(/at least one/);
    expect(() => random.int(2, 1)).toThrow(/min <= max/);
  });

  it('continues identically after the room is serialised and restored on another server', () => {
    const straight = createTestRoom(probeGame, { seed: 'same' });
    const failedOver = createTestRoom(probeGame, { seed: 'same' });
    for (let i = 0; i < 5; i++) {
      straight.act('p1', 'draw');
      failedOver.act('p1', 'draw');
      failedOver.failover();
    }
    expect(failedOver.gameState.draws).toEqual(straight.gameState.draws);
    expect(failedOver.state.random).toEqual(straight.state.random);
  });

  it('does not advance the generator when the action that drew is refused', () => {
    const room = createTestRoom(probeGame, { seed: 'refused' });
    const before = [...room.state.random];
    room.tryAct('p1', 'misbehave', { how: 'throw' });
    expect(room.state.random).toEqual(before);
  });

  it('draws the setup from the room seed', () => {
    expect(createTestRoom(probeGame, { seed: 'x' }).gameState.secret).toBe(createTestRoom(probeGame, { seed: 'x' }).gameState.secret);
  });
});

import { checkRuntimeInvariants, createTestRoom, fuzzStep, openingSteps, type FuzzAlphabet } from '../src/testing';
import fc from 'fast-check';
import { guessTheNumber } from '../examples/guess-the-number';

describe('guess the number', () => {
  it('is played to the end by two players without the secret leaking', () => {
    const room = createTestRoom(guessTheNumber, { players: 2, options: { max: 10 } });
    room.guardSecret({ path: 'secret', visibleTo: (state) => (state.guesses.some((g) => g.hint === 'correct') ? 'everyone' : []) });

    expect(room.tryAct('p2', 'guess', { value: 5 })?.code).toBe('NOT_YOUR_TURN');
    expect(room.tryAct('p1', 'guess', { value: 'five' })?.code).toBe('INVALID_PAYLOAD');
    expect(room.tryAct('p1', 'guess', { value: 11 })?.code).toBe('ACTION_FAILED');

    room.act('p1', 'guess', { value: 5 });
    expect(room.events('p2', 'guessed')).toHaveLength(1);

    room.advance(30_000); // p2 lets the turn time out
    expect(room.view('p1').isYourTurn).toBe(true);

    room.failover(); // another server takes over mid-game
    for (let value = 1; room.state.phase === 'playing'; value++) {
      const player = room.view('p1').isYourTurn ? 'p1' : 'p2';
      room.act(player, 'guess', { value });
    }
    expect(room.lastSync('p1').room.result).toMatchObject({ guesses: expect.any(Number) });
    expect(room.view('p2').secret).toBe(room.gameState.secret);
    expect(room.tryAct('p1', 'guess', { value: 1 })?.code).toBe('GAME_OVER');
    expect(room.replay()).toEqual(room.state);
  });

  it('survives any sequence of inputs from anyone', () => {
    const alphabet: FuzzAlphabet = { memberIds: ['p1', 'p2', 's1', 'stranger'], payloads: [{ value: 1 }, { value: 5 }, { value: 'x' }, {}] };
    const runs = fc.array(fc.array(fc.nat(), { minLength: 4, maxLength: 4 }), { minLength: 20, maxLength: 60 });
    fc.assert(
      fc.property(runs, (choices) => {
        const steps = [...openingSteps(['p1', 'p2']), ...choices.map((choice) => fuzzStep(guessTheNumber, alphabet, choice))];
        checkRuntimeInvariants(guessTheNumber, { options: { max: 10 }, steps });
      }),
    );
  });
});

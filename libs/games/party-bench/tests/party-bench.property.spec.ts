import type { JsonValue } from '@gamebuddies/core';
import { checkRuntimeInvariants, fuzzStep, openingSteps, type FuzzAlphabet } from '@gamebuddies/plugin-sdk/testing';
import fc from 'fast-check';
import { partyBench } from '../src';

const opening = openingSteps(['p1', 'p2', 'p3']);

describe('party bench under random play', () => {
  it('never crashes the runtime nor produces non-serialisable state', () => {
    const payloads: JsonValue[] = [{ choice: 0 }, { choice: 1 }, { choice: 2 }, { choice: 3 }, { choice: 4 }, { choice: -1 }, { choice: 'a' }, {}];
    const alphabet: FuzzAlphabet = { memberIds: ['p1', 'p2', 'p3', 'p4', 's1', 'ghost'], payloads, maxAdvanceMs: 5000 };
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.nat(10_000), { minLength: 4, maxLength: 4 }), { minLength: 10, maxLength: 100 }),
        fc.integer({ min: 0, max: 4 }),
        fc.integer({ min: 1, max: 4 }),
        (runs, answersPerPlayer, maxPlayers) => {
          const steps = [...opening, ...runs.map((run) => fuzzStep(partyBench, alphabet, run))];
          checkRuntimeInvariants(partyBench, { options: { answersPerPlayer, maxPlayers }, steps });
        },
      ),
      { numRuns: 100 },
    );
  });
});

import type { JsonValue } from '@gamebuddies/core';
import { checkRuntimeInvariants, fuzzStep, openingSteps, type FuzzAlphabet } from '@gamebuddies/plugin-sdk/testing';
import fc from 'fast-check';
import { schoolQuiz } from '../src';

const opening = openingSteps(['p1', 'p2', 'p3']);

describe('school quiz under random play', () => {
  it('never crashes the runtime nor produces non-serialisable state', () => {
    const payloads: JsonValue[] = [{ choice: 0 }, { choice: 1 }, { choice: 2 }, { choice: 3 }, { choice: 7 }, { choice: -1 }, { choice: 'a' }, {}];
    const alphabet: FuzzAlphabet = { memberIds: ['p1', 'p2', 'p3', 'p4', 's1', 'ghost'], payloads, maxAdvanceMs: 15_000 };
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.nat(10_000), { minLength: 4, maxLength: 4 }), { minLength: 10, maxLength: 100 }),
        fc.constantFrom('spectate', 'next-round'),
        fc.integer({ min: 0, max: 3 }),
        (runs, lateJoiners, revealSeconds) => {
          const steps = [...opening, ...runs.map((run) => fuzzStep(schoolQuiz, alphabet, run))];
          checkRuntimeInvariants(schoolQuiz, { options: { questionCount: 4, roundSeconds: 5, revealSeconds, lateJoiners }, steps });
        },
      ),
      { numRuns: 120 },
    );
  });
});

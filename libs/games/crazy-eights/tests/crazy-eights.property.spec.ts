import type { JsonValue } from '@gamebuddies/core';
import { checkRuntimeInvariants, fuzzStep, openingSteps, type FuzzAlphabet } from '@gamebuddies/plugin-sdk/testing';
import fc from 'fast-check';
import { createDeck, crazyEights, SUITS } from '../src';

const opening = openingSteps(['p1', 'p2', 'p3']);

describe('crazy eights under random play', () => {
  it('never crashes the runtime nor produces non-serialisable state', () => {
    const payloads: JsonValue[] = [
      ...createDeck().map((card) => ({ card })),
      ...SUITS.map((suit) => ({ card: `8${suit}`, suit })),
      { card: '8H', suit: 'X' },
      { card: 'ZZ' },
      {},
    ];
    const alphabet: FuzzAlphabet = { memberIds: ['p1', 'p2', 'p3', 'p4', 'ghost'], payloads, maxAdvanceMs: 40_000 };
    fc.assert(
      fc.property(fc.array(fc.array(fc.nat(10_000), { minLength: 4, maxLength: 4 }), { minLength: 10, maxLength: 120 }), fc.constantFrom(0, 10, 30), (runs, turnSeconds) => {
        const steps = [...opening, ...runs.map((run) => fuzzStep(crazyEights, alphabet, run))];
        checkRuntimeInvariants(crazyEights, { options: { turnSeconds }, steps });
      }),
      { numRuns: 120 },
    );
  });
});

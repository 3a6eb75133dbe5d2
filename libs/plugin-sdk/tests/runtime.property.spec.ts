import type { JsonValue } from '@gamebuddies/core';
import { checkRuntimeInvariants, fuzzStep, openingSteps, type FuzzAlphabet } from '../src/testing';
import fc from 'fast-check';
import { misbehaviours, probeGame } from './fixtures/probe-game';

const memberIds = ['p1', 'p2', 'p3', 'p4', 's1', ''];
const choices = fc.array(fc.array(fc.nat(10_000), { minLength: 4, maxLength: 4 }), { minLength: 10, maxLength: 80 });
/** Most runs open the way a real room does, so that the random steps hit a running game. */
const opening = openingSteps(['p1', 'p2'], ['s1']);
/** Arbitrary JSON payloads, normalised the way they arrive over the wire. */
const junk = fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 4 }).map((values) => JSON.parse(JSON.stringify(values)) as JsonValue[]);

describe('random action sequences from random players', () => {
  it('never crash the runtime nor produce non-serialisable state, even when game code misbehaves', () => {
    const valid: JsonValue[] = [
      { by: 3 },
      { to: 'p2', text: 'hi' },
      { name: 't', delayMs: 1000, data: { repeat: false } },
      { name: 'x', delayMs: 0, data: { fail: true } },
      { name: 't' },
      ...misbehaviours.map((how) => ({ how })),
    ];
    let started = 0;
    fc.assert(
      fc.property(fc.boolean(), choices, junk, (isOpened, runs, extra) => {
        const alphabet: FuzzAlphabet = { memberIds, payloads: [...valid, ...extra] };
        const steps = [...(isOpened ? opening : []), ...runs.map((run) => fuzzStep(probeGame, alphabet, run))];
        const report = checkRuntimeInvariants(probeGame, { steps });
        if (report.state.game !== null) started++;
      }),
      { numRuns: 150 },
    );
    // The property means little unless most runs get past the lobby.
    expect(started).toBeGreaterThan(60);
  });
});

import fc from 'fast-check';
import type { GameBuddiesClient } from '@gamebuddies/client';
import { CLIENT_EVENTS, WireErrorCode } from '@gamebuddies/protocol';
import type { Socket } from 'socket.io-client';
import type { Gateway } from '../src/gateway';
import { ask, nextState, Players } from './players';
import { startGateway } from './start-gateway';

const documented: ReadonlySet<string> = new Set(Object.values(WireErrorCode));

/** A value nested `levels` deep, that fast-check describes briefly (its own printer would recurse as deep). */
function nested(levels: number, wrap: (inner: unknown) => unknown): unknown {
  let value: unknown = 0;
  for (let i = 0; i < levels; i++) value = wrap(value);
  return Object.assign(value as object, { [fc.toStringMethod]: () => `<nested ${levels} levels>` });
}

/** Payloads a hostile client might send: any JSON, deep nesting (to 2,500 levels: socket.io-client itself overflows near 4,000), large strings, wrong shapes. */
const payload: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 6 }),
  fc.anything({ maxDepth: 4, withNullPrototype: true, withBigInt: false }),
  fc.integer({ min: 1, max: 2500 }).map((levels) => nested(levels, (inner) => [inner])),
  fc.integer({ min: 1, max: 2500 }).map((levels) => nested(levels, (inner) => ({ a: inner }))),
  fc.integer({ min: 1, max: 50_000 }).map((n) => ({ action: 'answer', payload: 'x'.repeat(n) })),
  fc.record({ gameId: fc.constantFrom('school-quiz', 'crazy-eights', 'nope', ''), options: fc.jsonValue({ maxDepth: 3 }) }, { requiredKeys: [] }),
  fc.record({ code: fc.string({ maxLength: 40 }), asSpectator: fc.anything({ maxDepth: 1 }) }, { requiredKeys: [] }),
  fc.record({ action: fc.string({ maxLength: 70 }), payload: fc.jsonValue({ maxDepth: 4 }) }, { requiredKeys: [] }),
  fc.record({ name: fc.string({ unit: 'binary', maxLength: 40 }) }, { requiredKeys: [] }),
  fc.record({ playerId: fc.string({ maxLength: 130 }) }, { requiredKeys: [] }),
);
const event = fc.oneof(fc.constantFrom(...CLIENT_EVENTS), fc.string({ maxLength: 20 }));

interface QuizView {
  round: number;
  stage: 'question' | 'reveal';
}

/**
 * Random, deep, huge and malformed payloads on every event of a real gateway while another room plays a whole
 * quiz: the process stays up, every request answered carries a documented code, and the game completes.
 */
describe('fuzzing every client event', () => {
  let gateway: Gateway;
  let url: string;
  let players: Players;

  beforeAll(async () => {
    ({ gateway, url } = await startGateway({ EVENTS_PER_SECOND: '2000', EVENT_BURST: '100000', ROOMS_PER_SESSION: '1000', WRONG_CODES_PER_MINUTE: '10000', WRONG_CODES_PER_ADDRESS_PER_MINUTE: '10000' }));
    players = new Players(url);
  });
  afterAll(async () => {
    players.closeAll();
    await gateway.shutdown(2000);
  });

  it('answers every request with a documented code, stays up, and lets another room finish its game', async () => {
    const [host, guest] = await Promise.all([players.join('Host'), players.join('Guest')]);
    const room = await host!.createRoom('school-quiz', { questionCount: 3, revealSeconds: 0, roundSeconds: 30 });
    await guest!.joinRoom(room.code);
    await host!.startGame();

    let fuzzer: Socket = await players.raw();
    await ask(fuzzer, 'session:open', { name: 'Fuzz' });
    let answered = 0;
    const fuzzing = fc.assert(
      fc.asyncProperty(event, payload, fc.boolean(), async (name, body, withAck) => {
        if (!fuzzer.connected) {
          fuzzer = await players.raw();
          await ask(fuzzer, 'session:open', { name: 'Fuzz' });
        }
        // Unknown events are never answered: send them without waiting for an acknowledgement.
        if (!withAck || !(CLIENT_EVENTS as readonly string[]).includes(name)) {
          fuzzer.emit(name, body, () => undefined);
          return;
        }
        const answer = (await ask(fuzzer, name, body)) as { ok?: boolean; error?: { code?: string }; timeout?: true };
        if (answer.timeout === true) {
          // A known event is always answered, unless its connection was closed (an oversized message).
          expect(fuzzer.connected).toBe(false);
          return;
        }
        answered++;
        if (answer.ok !== true) expect(documented.has(String(answer.error?.code))).toBe(true);
      }),
      { numRuns: 800, seed: Number(process.env['FUZZ_SEED'] ?? Date.now() % 100_000), verbose: 1 },
    );

    const playing = playQuiz([host!, guest!]);
    await fuzzing;
    await playing;
    expect(answered).toBeGreaterThan(120);
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
  }, 120_000);
});

async function playQuiz(clients: GameBuddiesClient[]): Promise<void> {
  const [host] = clients;
  for (let round = 1; round <= 3; round++) {
    await Promise.all(clients.map((c) => nextState(c, (s) => s.phase === 'playing' && (s.view as unknown as QuizView | null)?.round === round, 20_000)));
    for (const client of clients) await client.act('answer', { choice: 0 });
    await Promise.all(clients.map((c) => nextState(c, (s) => (s.view as unknown as QuizView | null)?.stage === 'reveal' || s.phase === 'ended', 20_000)));
    await host!.act('next');
  }
  const finals = await Promise.all(clients.map((c) => nextState(c, (s) => s.phase === 'ended', 20_000)));
  expect(finals[0]!.result).not.toBeNull();
}

import type { GatewayProcess } from '@gamebuddies/test-services';
import { waitUntil } from '@gamebuddies/test-services';
import { connectionFactory, type BotConnection } from '../src/transport';
import type { BotTransport } from '../src/types';
import { startLoadTarget, stopGateway } from './gateway';

/** Every push a scripted player can receive. */
const PUSHES = ['room:state', 'room:view', 'room:member', 'game:event', 'room:closed', 'server:draining'];

/** Values that depend on the room's random seed (which choice is right), not on the transport. */
const SEEDED_KEYS = new Set(['myScore', 'score', 'myRank', 'rank']);

interface Transcript {
  acks: unknown[];
  pushes: Record<'ann' | 'bob', unknown[]>;
}

/** Replaces ids, tokens and the room code with stable names, and seeded scores with '#'. */
function normalise(value: unknown, names: Map<string, string>): unknown {
  if (typeof value === 'string') return names.get(value) ?? value;
  if (Array.isArray(value)) return value.map((item) => normalise(item, names));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (SEEDED_KEYS.has(key) && typeof item === 'number') out[key] = '#';
    else if (key === 'leader') out[key] = item === null ? null : '#';
    else if (key === 'standings' && Array.isArray(item)) out[key] = item.map((line) => JSON.stringify(normalise(line, names))).sort();
    else out[key] = normalise(item, names);
  }
  return out;
}

/** Plays the same two-player party-bench session over `transport`, recording every ack and push. */
async function playScript(url: string, transport: BotTransport): Promise<Transcript> {
  const connect = connectionFactory(transport);
  const names = new Map<string, string>();
  const raw: { acks: unknown[]; pushes: Record<'ann' | 'bob', unknown[]> } = { acks: [], pushes: { ann: [], bob: [] } };
  const ann = connect({ url });
  const bob = connect({ url });
  for (const [who, connection] of [['ann', ann], ['bob', bob]] as const) {
    for (const event of PUSHES) connection.on(event, (data) => raw.pushes[who].push({ event, data }));
  }
  await ann.connect();
  await bob.connect();
  const ask = async (connection: BotConnection, event: string, data: unknown): Promise<Record<string, unknown>> => {
    const ack = (await connection.emitWithAck(event, data, 5000)) as Record<string, unknown>;
    raw.acks.push({ event, ack });
    return ack;
  };
  const annSession = (await ask(ann, 'session:open', { name: 'Ann' }))['data'] as Record<string, string>;
  const bobSession = (await ask(bob, 'session:open', { name: 'Bob' }))['data'] as Record<string, string>;
  names.set(annSession['token'] ?? '', '<ann-token>').set(annSession['playerId'] ?? '', '<ann>');
  names.set(bobSession['token'] ?? '', '<bob-token>').set(bobSession['playerId'] ?? '', '<bob>');
  await ask(ann, 'game:act', { action: 'answer', payload: { choice: 0 } });
  const created = (await ask(ann, 'room:create', { gameId: 'party-bench', options: { answersPerPlayer: 2, maxPlayers: 2 } }))['data'] as Record<string, string>;
  const code = created['code'] ?? '';
  names.set(code, '<code>');
  await ask(bob, 'room:join', { code });
  await ask(bob, 'room:start', {});
  await ask(ann, 'game:act', { action: 'answer', payload: { choice: 0 } });
  await ask(ann, 'room:start', {});
  await ask(ann, 'game:act', { action: 'answer', payload: { choice: 9 } });
  await ask(ann, 'game:act', { action: 'answer', payload: { choice: 0 } });
  await ask(ann, 'game:act', { action: 'answer', payload: { choice: 1 } });
  await ask(ann, 'game:act', { action: 'answer', payload: { choice: 2 } });
  await ask(bob, 'game:act', { action: 'answer', payload: { choice: 3 } });
  await ask(bob, 'game:act', { action: 'answer', payload: { choice: 0 } });
  const hasEnded = (pushes: unknown[]): boolean => pushes.some((push) => (push as { data?: { phase?: string } }).data?.phase === 'ended');
  await waitUntil(() => hasEnded(raw.pushes.ann) && hasEnded(raw.pushes.bob), { description: 'both players to see the game end' });
  await new Promise((resolve) => setTimeout(resolve, 300));
  const transcript: Transcript = {
    acks: normalise(raw.acks, names) as unknown[],
    pushes: { ann: normalise([...raw.pushes.ann], names) as unknown[], bob: normalise([...raw.pushes.bob], names) as unknown[] },
  };
  expect(ann.framesReceived).toBeGreaterThan(0);
  expect(ann.bytesReceived).toBeGreaterThan(ann.framesReceived);
  expect(ann.eventsReceived).toBe(raw.pushes.ann.length);
  ann.close();
  bob.close();
  return transcript;
}

describe('bot transports', () => {
  let gateway: GatewayProcess | undefined;

  beforeAll(async () => {
    gateway = await startLoadTarget();
  });

  afterAll(async () => {
    await stopGateway(gateway);
  });

  it('the light transport and socket.io-client see the same acknowledgements and pushes for the same session', async () => {
    const url = gateway!.url;
    const light = await playScript(url, 'light');
    const official = await playScript(url, 'socket.io-client');
    expect(light).toEqual(official);
    // The script did reach the game: refusals by code, then accepted answers, then the end.
    const codes = light.acks.map((entry) => (entry as { ack: { error?: { code: string } } }).ack.error?.code ?? 'ok');
    expect(codes).toEqual(['ok', 'ok', 'NOT_IN_ROOM', 'ok', 'ok', 'HOST_ONLY', 'GAME_NOT_STARTED', 'ok', 'INVALID_PAYLOAD', 'ok', 'ok', 'ACTION_FAILED', 'ok', 'ok']);
    expect(light.pushes.bob.length).toBeGreaterThanOrEqual(5);
  });

  it('reports a refused handshake as a connect error and a closed connection to its close handler', async () => {
    for (const transport of ['light', 'socket.io-client'] as const) {
      const refused = connectionFactory(transport)({ url: 'http://127.0.0.1:1', connectTimeoutMs: 2000 });
      await expect(refused.connect()).rejects.toMatchObject({ name: 'ConnectError' });
      const connection = connectionFactory(transport)({ url: gateway!.url });
      await connection.connect();
      const reasons: string[] = [];
      connection.onClose((reason) => reasons.push(reason));
      connection.close();
      expect(reasons).toEqual(['io client disconnect']);
      await expect(connection.emitWithAck('games:list', {}, 1000)).rejects.toMatchObject({ name: 'DisconnectedError' });
    }
  });
});

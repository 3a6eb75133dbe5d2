import { io as connect, type Socket } from 'socket.io-client';
import { startReferenceServer, type Ack, type ReferenceServer } from './server';

type Json = Record<string, unknown>;

function request<T = Json>(socket: Socket, event: string, payload: unknown): Promise<Ack<T>> {
  return socket.timeout(5000).emitWithAck(event, payload) as Promise<Ack<T>>;
}

async function data<T = Json>(socket: Socket, event: string, payload: unknown): Promise<T> {
  const answer = await request<T>(socket, event, payload);
  if (!answer.ok) throw new Error(`${event} failed: ${answer.error.code}`);
  return answer.data;
}

function nextEvent<T = Json>(socket: Socket, event: string): Promise<T> {
  return new Promise((resolve) => socket.once(event, (payload: T) => resolve(payload)));
}

describe('the reference server', () => {
  let server: ReferenceServer;
  const sockets: Socket[] = [];

  async function player(name: string): Promise<{ socket: Socket; id: string }> {
    const socket = connect(server.url, { transports: ['websocket'], forceNew: true, reconnection: false });
    sockets.push(socket);
    const session = await data<{ playerId: string; name: string; token: string; roomCode: null }>(socket, 'session:open', { name });
    expect(session.name).toBe(name);
    expect(session.token.length).toBeGreaterThan(10);
    return { socket, id: session.playerId };
  }

  beforeAll(async () => {
    server = await startReferenceServer({ port: 0 });
  });

  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await server.close();
  });

  it('plays party-bench: create, join, start, answer, and every member receives their own view', async () => {
    const host = await player('Host');
    const guest = await player('Guest');

    const created = await data<Json>(host.socket, 'room:create', { gameId: 'party-bench', options: { maxPlayers: 10, answersPerPlayer: 0 } });
    expect(created).toMatchObject({ gameId: 'party-bench', phase: 'lobby', hostId: host.id, result: null, view: null });
    const code = created['code'] as string;

    const hostSeesJoin = nextEvent<Json>(host.socket, 'room:member');
    const joined = await data<Json>(guest.socket, 'room:join', { code: code.toLowerCase() });
    expect(joined).toMatchObject({ code, phase: 'lobby', hostId: host.id });
    expect((joined['members'] as Json[]).map((m) => m['id'])).toEqual([host.id, guest.id]);
    expect(await hostSeesJoin).toMatchObject({ code, kind: 'joined', member: { id: guest.id, name: 'Guest', isConnected: true }, version: joined['version'] });

    const guestSeesStart = nextEvent<Json>(guest.socket, 'room:view');
    const started = await data<{ version: number }>(host.socket, 'room:start', {});
    expect(await guestSeesStart).toMatchObject({ code, version: started.version, phase: 'playing', view: { round: 1, myScore: 0 } });

    const hostView = nextEvent<Json>(host.socket, 'room:view');
    const guestView = nextEvent<Json>(guest.socket, 'room:view');
    const acted = await data<{ version: number }>(guest.socket, 'game:act', { action: 'answer', payload: { choice: 2 } });
    expect(acted.version).toBe(started.version + 1);
    const mine = await guestView;
    expect(mine).toEqual({ code, version: acted.version, phase: 'playing', hostId: host.id, view: { round: 1, myScore: 1, myRank: 1, leader: { name: 'Guest', score: 1 } } });
    expect(await hostView).toMatchObject({ version: acted.version, view: { myScore: 0, myRank: 2, leader: { name: 'Guest', score: 1 } } });
    expect(JSON.stringify(mine['view']).length).toBeLessThan(90);
  });

  it('answers requests it cannot serve with the protocol error codes', async () => {
    const anonymous = connect(server.url, { transports: ['websocket'], forceNew: true, reconnection: false });
    sockets.push(anonymous);
    expect(await request(anonymous, 'room:create', { gameId: 'party-bench' })).toMatchObject({ ok: false, error: { code: 'SESSION_REQUIRED' } });

    const alone = await player('Alone');
    expect(await request(alone.socket, 'room:join', { code: 'NOPE' })).toMatchObject({ ok: false, error: { code: 'ROOM_NOT_FOUND' } });
    expect(await request(alone.socket, 'game:act', { action: 'answer', payload: { choice: 1 } })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    await data(alone.socket, 'room:create', { gameId: 'party-bench' });
    expect(await request(alone.socket, 'game:act', { action: 'answer', payload: { choice: 1 } })).toMatchObject({ ok: false, error: { code: 'GAME_NOT_STARTED' } });
    await data(alone.socket, 'room:start', {});
    expect(await request(alone.socket, 'game:act', { action: 'answer', payload: { choice: 7 } })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(await request(alone.socket, 'game:act', { action: 'dance' })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ACTION' } });
  });

  it('serves prom-client default metrics under the gamebuddies_ prefix', async () => {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/^gamebuddies_process_cpu_seconds_total \d/m);
    expect(text).toMatch(/^gamebuddies_process_resident_memory_bytes \d/m);
    expect(text).toContain('gamebuddies_nodejs_gc_duration_seconds');
  });
});

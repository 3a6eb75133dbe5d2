import { connect as connectTcp } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Socket } from 'socket.io-client';
import type { Gateway } from '../src/gateway';
import { ask, metric, Players, storedMembers } from './players';
import { startGateway } from './start-gateway';

type Answer = { ok: true; data: Record<string, unknown> } | { ok: false; error: { code: string; details?: Record<string, unknown> } };

function deep(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

async function session(socket: Socket, name: string): Promise<{ token: string; playerId: string }> {
  const answer = (await ask(socket, 'session:open', { name })) as Answer;
  if (!answer.ok) throw new Error(JSON.stringify(answer));
  return answer.data as { token: string; playerId: string };
}

/** Attacks found from outside, each kept as a test: a gateway on in-memory stores over real sockets. */
describe('a gateway under hostile input', () => {
  let gateway: Gateway;
  let url: string;
  let players: Players;

  beforeAll(async () => {
    ({ gateway, url } = await startGateway({
      EVENTS_PER_SECOND: '50',
      EVENT_BURST: '200',
      ABUSE_STRIKES: '20',
      WRONG_CODES_PER_MINUTE: '10',
      WRONG_CODES_PER_ADDRESS_PER_MINUTE: '30',
      ROOMS_PER_SESSION: '3',
      SESSION_OPEN_TIMEOUT_MS: '700',
      HTTP_HEADERS_TIMEOUT_MS: '800',
      HTTP_REQUEST_TIMEOUT_MS: '1500',
      MAX_CONNECTIONS_PER_ADDRESS: '60',
    }));
  });
  beforeEach(() => {
    players = new Players(url);
  });
  afterEach(() => players.closeAll());
  afterAll(async () => {
    await gateway.shutdown(2000);
  });

  it('answers INVALID_PAYLOAD to payloads nested 2,000 levels deep, before and after session:open, and stays up', async () => {
    const socket = await players.raw();
    for (const [event, payload] of [
      ['game:act', { action: 'answer', payload: deep(2000) }],
      ['room:create', { gameId: 'school-quiz', options: { x: deep(2000) } }],
      ['session:open', deep(2000)],
    ] as const) {
      const answer = (await ask(socket, event, payload)) as Answer;
      expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    }
    await session(socket, 'Deep');
    expect(await ask(socket, 'game:act', { action: 'a', payload: deep(40) })).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD' } });
    expect(await ask(socket, 'game:act', { action: 'a', payload: deep(20) })).toMatchObject({ ok: false, error: { code: 'NOT_IN_ROOM' } });
    expect(((await ask(socket, 'games:list', {})) as Answer).ok).toBe(true);
  });

  it('refuses a name with control characters as INVALID_PAYLOAD naming the field', async () => {
    const socket = await players.raw();
    const answer = (await ask(socket, 'session:open', { name: 'A\u0007da' })) as Answer;
    expect(answer).toMatchObject({ ok: false, error: { code: 'INVALID_PAYLOAD', details: { issues: [{ path: ['name'] }] } } });
  });

  it('seats a player in one room only when two tabs on one token race create and join', async () => {
    const owner = await players.join('Owner');
    const other = await owner.createRoom('school-quiz');
    const tabA = await players.raw();
    const { token, playerId } = await session(tabA, 'Twin');
    const tabB = await players.raw({ auth: { token } });
    await session(tabB, 'Twin');
    for (let round = 0; round < 3; round++) {
      const answers = (await Promise.all([ask(tabA, 'room:create', { gameId: 'school-quiz' }), ask(tabB, 'room:join', { code: other.code })])) as Answer[];
      const seated = answers.filter((a) => a.ok);
      expect(seated.length).toBeLessThanOrEqual(1);
      for (const refused of answers.filter((a) => !a.ok)) expect(['ALREADY_IN_ROOM', 'ROOM_BUSY']).toContain((refused as { error: { code: string } }).error.code);
      const rooms = await roomsWith(playerId);
      expect(rooms.length).toBe(seated.length);
      const left = (await ask(tabA, 'room:leave', {})) as Answer;
      expect(left.ok).toBe(seated.length === 1);
      expect(await roomsWith(playerId)).toEqual([]);
    }
    // Seated again, then every tab closes: the one room they are in shows them disconnected.
    expect(((await ask(tabB, 'room:join', { code: other.code })) as Answer).ok).toBe(true);
    tabA.close();
    tabB.close();
    await waitFor(async () => {
      const record = await gateway.stores.roomStore.get(other.code);
      return storedMembers(record).find((m) => m.id === playerId)?.isConnected === false;
    });
  });

  it('answers a kick of someone not in the room with TARGET_NOT_IN_ROOM and leaves the host in place', async () => {
    const host = await players.join('Host');
    const room = await host.createRoom('school-quiz');
    const guest = await players.join('Guest');
    await guest.joinRoom(room.code);
    await expect(host.kick('nobody')).rejects.toMatchObject({ code: 'TARGET_NOT_IN_ROOM' });
    const sync = await host.sync();
    expect(sync.hostId).toBe(host.session?.playerId);
    await host.kick(guest.session!.playerId);
    expect((await host.sync()).members.map((m) => m.name)).toEqual(['Host']);
  });

  it('cuts off a connection that floods unknown events, while another player keeps playing', async () => {
    const flooder = await players.raw();
    await session(flooder, 'Flood');
    const closed = new Promise((resolve) => flooder.once('disconnect', resolve));
    const bystander = await players.join('Calm');
    const blob = 'x'.repeat(30_000);
    for (let i = 0; i < 2000 && flooder.connected; i++) flooder.emit(`nope:${i % 7}`, blob);
    await closed;
    expect(await metric(url, 'gamebuddies_rejected_events_total', { reason: 'cut_off' })).toBeGreaterThan(0);
    const room = await bystander.createRoom('school-quiz');
    expect(room.members).toHaveLength(1);
  });

  it('lets no more wrong codes through than the limits, however concurrent, and still lets a right code in', async () => {
    const host = await players.join('Teacher');
    const room = await host.createRoom('school-quiz');
    const guessers = await Promise.all(Array.from({ length: 5 }, () => players.raw()));
    await Promise.all(guessers.map((socket, i) => session(socket, `Guesser ${i}`)));
    const answers = (await Promise.all(guessers.flatMap((socket) => Array.from({ length: 30 }, (_, i) => ask(socket, 'room:join', { code: `ZZZZ${String.fromCharCode(65 + (i % 20))}${i % 9 + 1}`.replace(/[01OIL]/g, 'Z') }))))) as Answer[];
    const looked = answers.filter((a) => !a.ok && a.error.code === 'ROOM_NOT_FOUND').length;
    expect(looked).toBeLessThanOrEqual(30);
    expect(answers.every((a) => !a.ok && ['ROOM_NOT_FOUND', 'TOO_MANY_WRONG_CODES'].includes(a.error.code))).toBe(true);
    // The address is blocked now, yet a classmate behind it with the right code still joins.
    const pupil = await players.join('Pupil');
    await expect(pupil.joinRoom('QQQQQQ')).rejects.toMatchObject({ code: 'TOO_MANY_WRONG_CODES' });
    const joined = await pupil.joinRoom(room.code);
    expect(joined.members.map((m) => m.name)).toContain('Pupil');
  });

  it('caps the rooms one session may create', async () => {
    const maker = await players.join('Maker');
    for (let i = 0; i < 3; i++) {
      await maker.createRoom('school-quiz');
      await maker.leaveRoom();
    }
    await expect(maker.createRoom('school-quiz')).rejects.toMatchObject({ code: 'ROOM_LIMIT_REACHED' });
  });

  it('closes a connection that opens no session in time', async () => {
    const idle = await players.raw();
    const closedAt = await new Promise<number>((resolve) => idle.once('disconnect', () => resolve(Date.now())));
    expect(closedAt).toBeGreaterThan(0);
    expect(await metric(url, 'gamebuddies_rejected_events_total', { reason: 'no_session' })).toBeGreaterThan(0);
  });

  it('closes TCP connections that send half a request, or nothing at all', async () => {
    const { port } = new URL(url);
    const open = (partial: string) =>
      new Promise<number>((resolve) => {
        const started = Date.now();
        const socket = connectTcp(Number(port), '127.0.0.1', () => socket.write(partial));
        socket.on('error', () => undefined);
        socket.on('close', () => resolve(Date.now() - started));
        setTimeout(() => socket.destroy(), 10_000).unref();
      });
    const lifetimes = await Promise.all([open('GET /health/live HTTP/1.1\r\nHost: x\r\n'), open('')]);
    for (const lifetime of lifetimes) expect(lifetime).toBeLessThan(6000);
  });

  it('refuses connections past the per-address cap', async () => {
    const sockets = await Promise.all(Array.from({ length: 55 }, () => players.raw().catch(() => null)));
    expect(sockets.every((s) => s !== null)).toBe(true);
    const more = await Promise.allSettled(Array.from({ length: 10 }, () => players.raw()));
    expect(more.filter((r) => r.status === 'rejected').length).toBeGreaterThan(0);
    expect(await metric(url, 'gamebuddies_rejected_events_total', { reason: 'address_full' })).toBeGreaterThan(0);
  });

  it('counts a message over MAX_PAYLOAD_BYTES as too_large', async () => {
    const before = await metric(url, 'gamebuddies_rejected_events_total', { reason: 'too_large' });
    const socket = await players.raw();
    const closed = new Promise((resolve) => socket.once('disconnect', resolve));
    socket.emit('game:act', { action: 'x', payload: 'y'.repeat(70_000) });
    await closed;
    await waitFor(async () => (await metric(url, 'gamebuddies_rejected_events_total', { reason: 'too_large' })) > before);
  });

  it('answers SERVER_FULL to a new room once the gateway hosts MAX_ROOMS, and nothing is created', async () => {
    const small = await startGateway({ MAX_ROOMS: '1' });
    const local = new Players(small.url);
    try {
      const [first, second] = await Promise.all([local.join('First'), local.join('Second')]);
      await first!.createRoom('school-quiz');
      await expect(second!.createRoom('school-quiz')).rejects.toMatchObject({ code: 'SERVER_FULL' });
      expect(await small.gateway.stores.roomStore.count()).toBe(1);
    } finally {
      local.closeAll();
      await small.gateway.shutdown(2000);
    }
  });

  async function roomsWith(playerId: string): Promise<string[]> {
    const page = await gateway.stores.roomStore.list({ limit: 1000 });
    return page.rooms.filter((r) => storedMembers(r).some((m) => m.id === playerId)).map((r) => r.code);
  }
});

async function waitFor(test: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(50);
  }
}

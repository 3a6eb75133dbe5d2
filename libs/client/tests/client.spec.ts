import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GameBuddiesError } from '@gamebuddies/core';
import {
  GameBuddiesClient,
  GameBuddiesClientError,
  memoryTokenStore,
  type ConnectionState,
  type GameBuddiesClientOptions,
  type RoomSnapshot,
  type TokenStore,
  type Unsubscribe,
} from '../src';
import { FakeGateway, type CounterView } from './fake-gateway';

let gateway: FakeGateway;
const clients: GameBuddiesClient<CounterView>[] = [];

beforeEach(async () => {
  gateway = await FakeGateway.start();
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await gateway.stop();
});

/** A client of the fake gateway with quick reconnects, closed after the test. */
function newClient(options: Partial<GameBuddiesClientOptions> = {}): GameBuddiesClient<CounterView> {
  const client = new GameBuddiesClient<CounterView>({
    url: gateway.url,
    ...options,
    socketOptions: { reconnectionDelay: 20, reconnectionDelayMax: 50, ...options.socketOptions },
  });
  clients.push(client);
  return client;
}

/** The next value a subscription delivers that satisfies `predicate`, or a failure after `timeoutMs`. */
function next<T>(
  subscribe: (listener: (value: T) => void) => Unsubscribe,
  predicate: (value: T) => boolean = () => true,
  timeoutMs = 3000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`nothing arrived within ${timeoutMs} ms`));
    }, timeoutMs);
    const unsubscribe = subscribe((value) => {
      if (!predicate(value)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(value);
    });
  });
}

/** What a promise rejected with (fails the test if it resolved). */
async function rejectionOf(promise: Promise<unknown>): Promise<GameBuddiesClientError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(GameBuddiesClientError);
    return error as GameBuddiesClientError;
  }
  throw new Error('expected a rejection');
}

/** Two players in one room: Ann hosts, Bob joins, and Ann has seen Bob arrive. */
async function roomOfTwo(): Promise<{
  ann: GameBuddiesClient<CounterView>;
  bob: GameBuddiesClient<CounterView>;
  code: string;
}> {
  const ann = newClient();
  const bob = newClient();
  await ann.openSession('Ann');
  await bob.openSession('Bob');
  const { code } = await ann.createRoom('counter');
  const annSeesBob = next(ann.onState.bind(ann), (s) => s.members.length === 2);
  await bob.joinRoom(code);
  await annSeesBob;
  return { ann, bob, code };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('GameBuddiesClient', () => {
  it('opens a new session, saves its token and reports the connection', async () => {
    const tokens = memoryTokenStore();
    const client = newClient({ tokenStore: tokens });
    const states: ConnectionState[] = [];
    client.onConnectionChange((state) => states.push(state));

    const session = await client.openSession('Ann');

    expect(session).toMatchObject({ name: 'Ann', roomCode: null });
    expect(tokens.load()).toBe(session.token);
    expect(client.session).toEqual(session);
    expect(client.isConnected).toBe(true);
    expect(states).toEqual(['connecting', 'connected']);
    expect(gateway.handshakeTokens).toEqual([null]);
  });

  it('resolves typed answers: lists games, creates a room, a second player joins and both see the action', async () => {
    const ann = newClient();
    const bob = newClient();
    await ann.openSession('Ann');
    await bob.openSession('Bob');

    expect(await ann.listGames()).toEqual([{ id: 'counter', name: 'Counter', minPlayers: 1, maxPlayers: 8 }]);
    const created = await ann.createRoom('counter', { start: 10 });
    expect(created).toMatchObject({ code: 'ROOM3', version: 1, view: { count: 10 } });
    expect(ann.session?.roomCode).toBe(created.code);

    const annSeesBob = next(ann.onState.bind(ann), (s) => s.members.length === 2 && s.version === 2);
    const joined = await bob.joinRoom(created.code);
    expect(joined.members.map((m) => m.name)).toEqual(['Ann', 'Bob']);
    expect(joined.view).toEqual({ count: 10, you: bob.session?.playerId });
    expect((await annSeesBob).version).toBe(2);

    const annSeesAct = next(ann.onState.bind(ann), (s) => s.view?.count === 15);
    const bobSeesAct = next(bob.onState.bind(bob), (s) => s.view?.count === 15);
    expect(await bob.act('add', 5)).toEqual({ version: 3 });
    await Promise.all([annSeesAct, bobSeesAct]);
    expect(ann.state?.view).toEqual({ count: 15, you: ann.session?.playerId });
    expect(bob.state?.version).toBe(3);

    expect(await bob.leaveRoom()).toEqual({ code: created.code });
    expect(bob.state).toBeNull();
    expect(bob.session?.roomCode).toBeNull();
  });

  it("rejects with the server's code, message and details as a GameBuddiesClientError", async () => {
    const client = newClient();
    await client.openSession('Ann');

    const error = await rejectionOf(client.joinRoom('NOPE'));

    expect(error).toBeInstanceOf(GameBuddiesError);
    expect(error.toJSON()).toEqual({
      code: 'ROOM_NOT_FOUND',
      message: 'no room NOPE',
      details: { code: 'NOPE' },
    });
    expect((await rejectionOf(client.act('add', 1))).code).toBe('NOT_IN_ROOM');
    expect((await rejectionOf(client.createRoom('chess'))).details).toEqual({ gameId: 'chess' });
  });

  it('rejects with REQUEST_TIMEOUT when the server never answers', async () => {
    const client = newClient({ requestTimeoutMs: 150 });
    await client.openSession('Ann');

    const started = Date.now();
    const error = await rejectionOf(client.startGame());

    expect(error.code).toBe('REQUEST_TIMEOUT');
    expect(error.details).toEqual({ event: 'room:start', timeoutMs: 150 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(client.isConnected).toBe(true);
  });

  it('rejects with NOT_CONNECTED at once before connecting and after close', async () => {
    const client = newClient();
    const before = await rejectionOf(client.listGames());
    expect(before.toJSON()).toMatchObject({
      code: 'NOT_CONNECTED',
      details: { event: 'games:list', state: 'disconnected' },
    });

    await client.openSession('Ann');
    client.close();
    expect((await rejectionOf(client.act('add', 1))).code).toBe('NOT_CONNECTED');
    expect((await rejectionOf(client.connect())).code).toBe('CLIENT_CLOSED');
  });

  it('rejects a request in flight with CLIENT_CLOSED when the client closes', async () => {
    const client = newClient();
    await client.openSession('Ann');
    const pending = client.startGame();
    client.close();
    expect((await rejectionOf(pending)).code).toBe('CLIENT_CLOSED');
    expect(client.connectionState).toBe('disconnected');
  });

  it('rejects connect() with CONNECT_FAILED when nothing listens at the address', async () => {
    const http = createServer();
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as AddressInfo;
    await new Promise<void>((resolve) => http.close(() => resolve()));
    const client = newClient({ url: `http://127.0.0.1:${port}` });

    const error = await rejectionOf(client.connect());

    expect(error.code).toBe('CONNECT_FAILED');
    expect(client.connectionState).toBe('disconnected');
  });

  it("passes on the server's refusal of an unknown token and keeps no connection", async () => {
    const client = newClient({ token: 'forgotten' });
    expect((await rejectionOf(client.connect())).code).toBe('SESSION_NOT_FOUND');
    expect(client.connectionState).toBe('disconnected');
    expect(gateway.handshakeTokens).toEqual(['forgotten']);
  });

  it('reconnects by itself after a drop, restores the session with the stored token and resyncs the room', async () => {
    const { ann, bob, code } = await roomOfTwo();
    const token = bob.session?.token;
    const states: ConnectionState[] = [];
    bob.onConnectionChange((state) => states.push(state));
    const reconnected = next(bob.onConnectionChange.bind(bob), (s) => s === 'connected');
    const freshState = next(bob.onState.bind(bob));

    gateway.dropConnections();
    gateway.setCount(code, 42); // what bob missed while away

    await reconnected;
    expect(states).toEqual(['reconnecting', 'connected']);
    expect(gateway.handshakeTokens.filter((t) => t === token)).toHaveLength(1); // the reconnect's handshake
    expect(bob.session?.token).toBe(token);
    expect((await freshState).view).toEqual({ count: 42, you: bob.session?.playerId });
    expect(bob.state?.version).toBe(3);
    const annSeesAct = next(ann.onState.bind(ann), (s) => s.version === 4);
    await expect(bob.act('add', 1)).resolves.toEqual({ version: 4 });
    expect((await annSeesAct).view?.count).toBe(43);
  });

  it('rejects a request in flight with CONNECTION_LOST when the connection drops, then reconnects', async () => {
    const client = newClient();
    await client.openSession('Ann');
    const pending = client.startGame();
    const reconnected = next(client.onConnectionChange.bind(client), (s) => s === 'connected');

    gateway.dropConnections();

    expect((await rejectionOf(pending)).toJSON()).toMatchObject({
      code: 'CONNECTION_LOST',
      details: { event: 'room:start' },
    });
    await reconnected;
  });

  it('connect() restores a saved session and its room, as after a page reload', async () => {
    const tokens: TokenStore = memoryTokenStore();
    const first = newClient({ tokenStore: tokens });
    const session = await first.openSession('Ann');
    const { code } = await first.createRoom('counter', { start: 7 });
    first.close();

    const reloaded = newClient({ tokenStore: tokens });
    const restoring = reloaded.connect();
    expect(reloaded.connect()).toBe(restoring);
    const restored = await restoring;
    await expect(reloaded.connect()).resolves.toBe(restored);

    expect(restored).toEqual({ ...session, roomCode: code });
    expect(reloaded.state).toMatchObject({ code, view: { count: 7 } });
    expect(gateway.handshakeTokens.at(-1)).toBe(session.token);
  });

  it('ignores a room:state older than the one it holds', async () => {
    const { bob, code } = await roomOfTwo();
    const seen: number[] = [];
    bob.onState((snapshot) => seen.push(snapshot.version));
    const current = gateway.snapshotFor(code, bob.session?.playerId ?? '');
    const newer: RoomSnapshot = { ...current, version: 9, view: { count: 9, you: 'x' } };
    const older: RoomSnapshot = { ...current, version: 5, view: { count: 5, you: 'x' } };

    gateway.pushState(newer);
    gateway.pushState(older);
    gateway.pushState(newer);
    await bob.listGames(); // a round trip: every push above has arrived

    expect(seen).toEqual([9]);
    expect(bob.state?.version).toBe(9);
    expect(bob.state?.view?.count).toBe(9);
  });

  it('applies room:view pushes to the snapshot it holds, ignoring stale ones and other rooms', async () => {
    const { bob, code } = await roomOfTwo();
    const held = bob.state;
    if (held === null) throw new Error('bob holds no snapshot');
    const seen: unknown[] = [];
    bob.onState((snapshot) => seen.push(snapshot.view));
    gateway.pushView({ code, version: held.version + 3, phase: 'playing', hostId: held.hostId, view: { count: 3, you: 'x' } });
    gateway.pushView({ code, version: held.version + 2, phase: 'lobby', hostId: held.hostId, view: { count: 2, you: 'x' } });
    gateway.pushView({ code: 'ZZZZZZ', version: held.version + 9, phase: 'lobby', hostId: null, view: { count: 9, you: 'x' } });
    gateway.pushView({ code, version: held.version + 4, phase: 'ended', hostId: held.hostId, view: { count: 4, you: 'x' }, result: { winner: 'Bob' } });
    await bob.listGames(); // a round trip: every push above has arrived

    expect(seen).toEqual([{ count: 3, you: 'x' }, { count: 4, you: 'x' }]);
    expect(bob.state).toEqual({ ...held, version: held.version + 4, phase: 'ended', view: { count: 4, you: 'x' }, result: { winner: 'Bob' } });
  });

  it('keeps the member list of its snapshot from room:member pushes', async () => {
    const ann = newClient();
    const bob = newClient();
    const cid = newClient();
    await ann.openSession('Ann');
    const bobSession = await bob.openSession('Bob');
    const cidSession = await cid.openSession('Cid');
    const { code } = await ann.createRoom('counter');
    await bob.joinRoom(code);
    await cid.joinRoom(code);
    await ann.listGames();
    expect(ann.state?.members.map((m) => m.name)).toEqual(['Ann', 'Bob', 'Cid']);
    // The joiner's own snapshot arrived whole; an old member change (version not newer) is not applied twice.
    expect(cid.state?.members.map((m) => m.id)).toEqual([ann.session?.playerId, bobSession.playerId, cidSession.playerId]);
    await cid.leaveRoom();
    await ann.listGames();
    expect(ann.state?.members.map((m) => m.name)).toEqual(['Ann', 'Bob']);
  });

  it('passes on member changes and game events, and forgets a room that closes', async () => {
    const ann = newClient();
    const bob = newClient();
    await ann.openSession('Ann');
    const bobSession = await bob.openSession('Bob');
    const { code } = await ann.createRoom('counter');
    const member = next(ann.onMember.bind(ann));
    await bob.joinRoom(code, { asSpectator: true });
    expect(await member).toEqual({
      code,
      version: 2,
      kind: 'joined',
      member: { id: bobSession.playerId, name: 'Bob', role: 'spectator', isConnected: true },
    });

    const event = next(bob.onEvent.bind(bob));
    gateway.emitGameEvent(code, 'round:started', { round: 1 });
    expect(await event).toEqual({ code, name: 'round:started', data: { round: 1 } });

    const closed = next(bob.onClosed.bind(bob));
    gateway.closeRoom(code, 'disposed');
    expect(await closed).toEqual({ code, reason: 'disposed' });
    expect(bob.state).toBeNull();
    expect(bob.session?.roomCode).toBeNull();
  });

  it('stops calling a listener after it unsubscribes', async () => {
    const { ann, bob } = await roomOfTwo();
    const counts: number[] = [];
    const unsubscribe = ann.onState((snapshot) => counts.push(snapshot.view?.count ?? -1));

    await bob.act('add', 1);
    await next(ann.onState.bind(ann), (s) => s.view?.count === 1);
    unsubscribe();
    unsubscribe();
    await bob.act('add', 1);
    await next(ann.onState.bind(ann), (s) => s.view?.count === 2);

    expect(counts).toEqual([1]);
  });

  it('reconnects after reconnectAfterMs when the server drains, and comes back to the same seat', async () => {
    const { bob, code } = await roomOfTwo();
    const playerId = bob.session?.playerId;
    const notices: number[] = [];
    bob.onDraining((notice) => notices.push(notice.reconnectAfterMs));
    const states: ConnectionState[] = [];
    bob.onConnectionChange((state) => states.push(state));
    const reconnected = next(bob.onConnectionChange.bind(bob), (s) => s === 'connected');

    const drained = Date.now();
    gateway.drain(200);
    await next(bob.onConnectionChange.bind(bob), (s) => s === 'reconnecting');
    expect((await rejectionOf(bob.listGames())).code).toBe('NOT_CONNECTED');
    await reconnected;

    expect(Date.now() - drained).toBeGreaterThanOrEqual(190);
    expect(notices).toEqual([200]);
    expect(states).toEqual(['reconnecting', 'connected']);
    expect(bob.session).toMatchObject({ playerId, roomCode: code });
    expect(bob.state?.code).toBe(code);
  });

  it('stays disconnected and reports CONNECTION_LOST when the server ends the connection', async () => {
    const client = newClient();
    await client.openSession('Ann');
    const error = next(client.onError.bind(client));

    gateway.disconnectAll();

    expect((await error).toJSON()).toMatchObject({
      code: 'CONNECTION_LOST',
      details: { reason: 'io server disconnect' },
    });
    expect(client.connectionState).toBe('disconnected');
    await sleep(150);
    expect(gateway.connectionCount).toBe(0);
    await expect(client.connect()).resolves.toMatchObject({ name: 'Ann' });
  });

  it('does not come back after a drop when reconnection is turned off', async () => {
    const client = newClient({ socketOptions: { reconnection: false } });
    await client.openSession('Ann');
    const error = next(client.onError.bind(client));

    gateway.dropConnections();

    expect((await error).code).toBe('CONNECTION_LOST');
    expect(client.connectionState).toBe('disconnected');
  });

  it('close() during the drain wait cancels the reconnect', async () => {
    const client = newClient();
    await client.openSession('Ann');
    const reconnecting = next(client.onConnectionChange.bind(client), (s) => s === 'reconnecting');
    gateway.drain(60_000);
    await reconnecting;

    client.close();

    expect(client.connectionState).toBe('disconnected');
  });

  it('refuses bad options with one message naming each', () => {
    expect(() => new GameBuddiesClient({ url: '', requestTimeoutMs: 0 })).toThrow(
      /url must be a non-empty string; requestTimeoutMs must be a positive number of milliseconds, got 0/,
    );
  });
});

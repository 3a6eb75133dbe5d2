import { setTimeout as sleep } from 'node:timers/promises';
import { MemoryRoomBackend, MemoryRoomStore } from '@gamebuddies/room-store';
import { schoolQuiz } from '@gamebuddies/school-quiz';
import { waitUntil } from '@gamebuddies/test-services';
import { RoomHost, type Delivery } from '../src';
import { storedMembers } from './stored-members';
import { tickGame } from './tick-game';

function makeHost(options: { backend?: MemoryRoomBackend; graceMs?: number; sharesDeliveries?: boolean } = {}) {
  const deliveries: Delivery[] = [];
  const resyncs: string[] = [];
  const roomStore = new MemoryRoomStore({ backend: options.backend ?? new MemoryRoomBackend() });
  const host = new RoomHost({
    roomStore,
    games: [tickGame, schoolQuiz],
    deliver: (batch) => deliveries.push(...batch),
    disconnectGraceMs: options.graceMs ?? 60_000,
    sharesDeliveries: options.sharesDeliveries ?? false,
    resync: (code) => resyncs.push(code),
  });
  return { host, roomStore, deliveries, resyncs };
}

describe('RoomHost', () => {
  const hosts: RoomHost[] = [];
  afterEach(async () => {
    await Promise.all(hosts.splice(0).map((h) => h.close()));
  });

  it('creates a room with its creator as host, stores every change and sends each player only their own view', async () => {
    const { host, roomStore, deliveries } = makeHost();
    hosts.push(host);
    const created = await host.createRoom({ gameId: 'tick', options: { ticks: 0 }, hostId: 'ann', hostName: 'Ann' });
    expect(created).toMatchObject({ version: 1, gameId: 'tick', phase: 'lobby', hostId: 'ann', view: null });
    const joined = await host.join(created.code, 'bob', 'Bob');
    expect(joined.members.map((m) => m.id)).toEqual(['ann', 'bob']);
    await host.start(created.code, 'ann');
    const { version } = await host.act(created.code, 'bob', 'add', { amount: 3 });
    const stored = await roomStore.get(created.code);
    expect(stored?.version).toBe(version);
    expect(storedMembers(stored)).toEqual([
      { id: 'ann', name: 'Ann', role: 'player', isConnected: true, joinedAt: expect.any(Number) },
      { id: 'bob', name: 'Bob', role: 'player', isConnected: true, joinedAt: expect.any(Number) },
    ]);
    expect(stored).not.toHaveProperty('players');
    const views = deliveries.filter((d): d is Extract<Delivery, { kind: 'view' }> => d.kind === 'view');
    for (const d of views) {
      if (d.update.view === null) continue;
      expect(d.update.view).toMatchObject({ mySecret: `secret-of-${d.to}` });
    }
    const last = views.filter((d) => d.to === 'ann').at(-1);
    expect(last?.update).toEqual({ code: created.code, version, phase: 'playing', hostId: 'ann', view: expect.objectContaining({ total: 3 }) });
    expect(deliveries).toContainEqual({ kind: 'event', to: 'ann', event: { code: created.code, name: 'added', data: { by: 'bob', amount: 3 } } });
    expect(deliveries).toContainEqual(expect.objectContaining({ kind: 'member', to: 'ann', change: expect.objectContaining({ kind: 'joined' }) }));
  });

  it('stores the options a room was created with, and {} when none were given', async () => {
    const { host, roomStore } = makeHost();
    hosts.push(host);
    const chosen = await host.createRoom({ gameId: 'tick', options: { tickMs: 5000, ticks: 2 }, hostId: 'ann', hostName: 'Ann' });
    expect((await roomStore.get(chosen.code))?.options).toEqual({ tickMs: 5000, ticks: 2 });
    const plain = await host.createRoom({ gameId: 'tick', hostId: 'bob', hostName: 'Bob' });
    expect((await roomStore.get(plain.code))?.options).toEqual({});
    // The options stay with the room through later writes.
    await host.join(chosen.code, 'cat', 'Cat');
    expect(await roomStore.get(chosen.code)).toMatchObject({ version: 2, options: { tickMs: 5000, ticks: 2 } });
  });

  it('refuses a bad action with the typed error and leaves the stored room as it was', async () => {
    const { host, roomStore } = makeHost();
    hosts.push(host);
    const room = await host.createRoom({ gameId: 'tick', options: { ticks: 0 }, hostId: 'ann', hostName: 'Ann' });
    await host.start(room.code, 'ann');
    const before = await roomStore.get(room.code);
    await expect(host.act(room.code, 'ann', 'add', { amount: 99 })).rejects.toMatchObject({ code: 'INVALID_PAYLOAD' });
    await expect(host.act(room.code, 'ann', 'explode')).rejects.toMatchObject({ code: 'ACTION_FAILED' });
    await expect(host.act(room.code, 'ann', 'fly')).rejects.toMatchObject({ code: 'UNKNOWN_ACTION' });
    await expect(host.act(room.code, 'zed', 'add', { amount: 1 })).rejects.toMatchObject({ code: 'NOT_IN_ROOM' });
    await expect(host.act('ZZZZZZ', 'ann', 'add', { amount: 1 })).rejects.toMatchObject({ code: 'ROOM_NOT_FOUND' });
    await expect(host.createRoom({ gameId: 'nope', hostId: 'a', hostName: 'A' })).rejects.toMatchObject({ code: 'UNKNOWN_GAME' });
    await expect(host.createRoom({ gameId: 'tick', options: { ticks: -1 }, hostId: 'a', hostName: 'A' })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    expect(await roomStore.get(room.code)).toEqual(before);
  });

  it('fires the timers kept in the room state, once each', async () => {
    const { host, roomStore } = makeHost();
    hosts.push(host);
    const room = await host.createRoom({ gameId: 'tick', options: { tickMs: 30, ticks: 3 }, hostId: 'ann', hostName: 'Ann' });
    await host.start(room.code, 'ann');
    await waitUntil(async () => ((await roomStore.get(room.code))?.state as { game?: { ticks?: number } }).game?.ticks === 3, { timeoutMs: 3000, intervalMs: 10 });
    await sleep(150);
    expect(((await roomStore.get(room.code))?.state as { game: { ticks: number } }).game.ticks).toBe(3);
  });

  it('loses no change when two hosts sharing one store act on the same room at once', async () => {
    const backend = new MemoryRoomBackend();
    const a = makeHost({ backend });
    const b = makeHost({ backend });
    hosts.push(a.host, b.host);
    const room = await a.host.createRoom({ gameId: 'tick', options: { ticks: 0 }, hostId: 'ann', hostName: 'Ann' });
    await b.host.join(room.code, 'bob', 'Bob');
    await a.host.start(room.code, 'ann');
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? a.host : b.host).act(room.code, i % 2 === 0 ? 'ann' : 'bob', 'add', { amount: 1 })));
    const snapshot = await a.host.snapshot(room.code, 'ann');
    expect(snapshot.view).toMatchObject({ total: 20 });
  });

  it('applies changes to the state it remembers without reading the room, and reads it again after another host wrote', async () => {
    const backend = new MemoryRoomBackend();
    const a = makeHost({ backend });
    const b = makeHost({ backend });
    hosts.push(a.host, b.host);
    const room = await a.host.createRoom({ gameId: 'tick', options: { ticks: 0 }, hostId: 'ann', hostName: 'Ann' });
    await sleep(5); // the subscription that lets a host trust what it remembers is open
    await a.host.join(room.code, 'bob', 'Bob');
    await a.host.start(room.code, 'ann');
    const reads = jest.spyOn(a.roomStore, 'get');
    for (let i = 0; i < 5; i++) await a.host.act(room.code, 'ann', 'add', { amount: 1 });
    expect(reads).not.toHaveBeenCalled();
    await b.host.act(room.code, 'bob', 'add', { amount: 10 });
    // Before host a hears of b's write, its remembered state is stale: the compare-and-set refuses it, it reads.
    const { version } = await a.host.act(room.code, 'ann', 'add', { amount: 7 });
    expect(reads).toHaveBeenCalled();
    const stored = await a.roomStore.get(room.code);
    expect(stored?.version).toBe(version);
    expect((await a.host.snapshot(room.code, 'ann')).view).toMatchObject({ total: 22 });
  });

  it('shares each change\'s deliveries with the other hosts, once, and asks for a resync when they cannot come along', async () => {
    const backend = new MemoryRoomBackend();
    const a = makeHost({ backend, sharesDeliveries: true });
    const b = makeHost({ backend, sharesDeliveries: true });
    hosts.push(a.host, b.host);
    const room = await a.host.createRoom({ gameId: 'tick', options: { ticks: 0 }, hostId: 'ann', hostName: 'Ann' });
    await a.host.join(room.code, 'bob', 'Bob');
    await a.host.start(room.code, 'ann');
    await sleep(10);
    a.deliveries.length = 0;
    b.deliveries.length = 0;
    await a.host.act(room.code, 'bob', 'add', { amount: 2 });
    await sleep(10);
    // Host b sends exactly what host a sent (each to the players connected to it), without reading the room.
    expect(b.deliveries).toEqual(a.deliveries);
    expect(a.deliveries.filter((d) => d.kind === 'view').map((d) => d.to)).toEqual(['ann', 'bob']);
    // A change whose deliveries did not come along (a writer without them, or an unreadable notice): resync.
    const other = new MemoryRoomStore({ backend });
    const stored = await other.get(room.code);
    await other.update(room.code, { state: stored!.state }, { expectedVersion: stored!.version });
    await other.update(room.code, { state: stored!.state }, { expectedVersion: stored!.version + 1, notice: '{not json' });
    await sleep(10);
    expect(b.resyncs).toEqual([room.code, room.code]);
    expect(a.resyncs).toEqual([room.code, room.code]);
  });

  it('after a write whose reply was lost, applies the next change to the stored state, not the remembered one', async () => {
    const backend = new MemoryRoomBackend();
    const { host, roomStore } = makeHost({ backend });
    hosts.push(host);
    const room = await host.createRoom({ gameId: 'tick', options: { ticks: 0 }, hostId: 'ann', hostName: 'Ann' });
    await sleep(5);
    await host.start(room.code, 'ann');
    const lost = backend.loseNextReply((command) => command.startsWith('update'));
    await expect(host.act(room.code, 'ann', 'add', { amount: 3 })).rejects.toMatchObject({ code: 'STORE_UNAVAILABLE' });
    await lost;
    // The write applied although its reply was lost: the host's remembered state is one version behind.
    const { version } = await host.act(room.code, 'ann', 'add', { amount: 4 });
    expect((await roomStore.get(room.code))?.version).toBe(version);
    expect((await host.snapshot(room.code, 'ann')).view).toMatchObject({ total: 7 });
  });

  it('keeps a dropped player seated through the grace period, and removes them after it', async () => {
    const { host, roomStore } = makeHost({ graceMs: 100 });
    hosts.push(host);
    const room = await host.createRoom({ gameId: 'tick', options: { ticks: 0 }, hostId: 'ann', hostName: 'Ann' });
    await host.join(room.code, 'bob', 'Bob');
    await host.disconnect(room.code, 'bob');
    expect(storedMembers(await roomStore.get(room.code))[1]).toMatchObject({ id: 'bob', isConnected: false });
    const back = await host.reconnect(room.code, 'bob');
    expect(back.members[1]).toMatchObject({ id: 'bob', isConnected: true });
    await sleep(150);
    expect(storedMembers(await roomStore.get(room.code)).map((m) => m.id)).toEqual(['ann', 'bob']);
    await host.disconnect(room.code, 'bob');
    await waitUntil(async () => storedMembers(await roomStore.get(room.code)).length === 1, { timeoutMs: 3000, intervalMs: 10 });
  });

  it('deletes a room when its last member leaves', async () => {
    const { host, roomStore } = makeHost();
    hosts.push(host);
    const room = await host.createRoom({ gameId: 'tick', options: { ticks: 0 }, hostId: 'ann', hostName: 'Ann' });
    await host.leave(room.code, 'ann');
    expect(await roomStore.get(room.code)).toBeNull();
    expect(host.hostedRooms).toBe(0);
  });

  it('sends a joiner their whole snapshot, the others one room:member and, once a game runs, their new view', async () => {
    const { host, deliveries } = makeHost();
    hosts.push(host);
    const room = await host.createRoom({ gameId: 'tick', options: { ticks: 0 }, hostId: 'ann', hostName: 'Ann' });
    deliveries.length = 0;
    await host.join(room.code, 'bob', 'Bob');
    // In the lobby nobody's view changes: ann hears of bob once, bob gets his snapshot; nothing else is sent.
    expect(deliveries.map((d) => [d.kind, d.to])).toEqual([['member', 'ann'], ['state', 'bob']]);
    expect(deliveries[0]).toMatchObject({ change: { code: room.code, version: 2, kind: 'joined', member: { id: 'bob' } } });
    expect(deliveries[1]).toMatchObject({ snapshot: { version: 2, members: [{ id: 'ann' }, { id: 'bob' }] } });
    await host.start(room.code, 'ann');
    deliveries.length = 0;
    await host.act(room.code, 'bob', 'add', { amount: 1 });
    // A game change: each member gets only their own view, with no member list in it.
    expect(deliveries.filter((d) => d.kind !== 'event').map((d) => [d.kind, d.to])).toEqual([['view', 'ann'], ['view', 'bob']]);
    for (const d of deliveries) if (d.kind === 'view') expect(d.update).not.toHaveProperty('members');
    deliveries.length = 0;
    await host.join(room.code, 'cid', 'Cid', { asSpectator: true });
    expect(deliveries.map((d) => [d.kind, d.to])).toEqual([['member', 'ann'], ['member', 'bob'], ['view', 'ann'], ['view', 'bob'], ['state', 'cid']]);
  });

  it('plays a school quiz round without showing the answer before the reveal', async () => {
    const { host, deliveries } = makeHost();
    hosts.push(host);
    const room = await host.createRoom({ gameId: 'school-quiz', options: { questionCount: 1, revealSeconds: 0 }, hostId: 'ann', hostName: 'Ann' });
    await host.join(room.code, 'bob', 'Bob');
    await host.start(room.code, 'ann');
    const question = deliveries.filter((d) => d.kind === 'view' && d.to === 'bob').at(-1) as Extract<Delivery, { kind: 'view' }>;
    expect((question.update.view as { reveal: unknown }).reveal).toBeNull();
    expect(JSON.stringify(question.update.view)).not.toMatch(/"answer"/);
    await host.act(room.code, 'ann', 'answer', { choice: 0 });
    await host.act(room.code, 'bob', 'answer', { choice: 1 });
    const revealed = deliveries.filter((d) => d.kind === 'view' && d.to === 'bob').at(-1) as Extract<Delivery, { kind: 'view' }>;
    expect((revealed.update.view as { reveal: { answer: number } | null }).reveal?.answer).toEqual(expect.any(Number));
    await host.act(room.code, 'ann', 'next');
    const end = await host.snapshot(room.code, 'bob');
    expect(end.phase).toBe('ended');
  });
});

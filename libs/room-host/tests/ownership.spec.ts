import { setTimeout as sleep } from 'node:timers/promises';
import { StoreUnavailableError } from '@gamebuddies/core';
import { MemoryRoomBackend, MemoryRoomStore, type RoomStore } from '@gamebuddies/room-store';
import { RoomHost, type Delivery } from '../src';
import { storedMembers } from './stored-members';
import { tickGame } from './tick-game';

/** A room store that can be cut off, as a partitioned or frozen server would be. */
function severable(store: RoomStore): { store: RoomStore; sever(isSevered: boolean): void } {
  let isSevered = false;
  const proxy = new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (isSevered && property !== 'close' && property !== 'subscribe') {
          return Promise.reject(new StoreUnavailableError('severed', { operation: String(property), outcome: 'not-applied' }));
        }
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: proxy, sever: (value) => (isSevered = value) };
}

function host(backend: MemoryRoomBackend, nodeId: string, events: string[], disconnectGraceMs = 60_000) {
  const link = severable(new MemoryRoomStore({ backend }));
  const roomHost = new RoomHost({
    roomStore: link.store,
    games: [tickGame],
    nodeId,
    leaseTtlMs: 300,
    disconnectGraceMs,
    deliver: (batch: Delivery[]) => {
      for (const d of batch) if (d.kind === 'event' && d.event.name === 'ticked' && d.to === 'ann') events.push(`${nodeId}:${JSON.stringify(d.event.data)}`);
    },
  });
  return { roomHost, ...link };
}

async function ticksOf(backend: MemoryRoomBackend, code: string): Promise<number> {
  const store = new MemoryRoomStore({ backend });
  const room = await store.get(code);
  return (room?.state as { game: { ticks: number } }).game.ticks;
}

describe('room ownership across hosts', () => {
  const hosts: RoomHost[] = [];
  afterEach(async () => {
    await Promise.all(hosts.splice(0).map((h) => h.close()));
  });

  it('runs timers on the owner only, and moves them to a survivor when the owner is cut off, firing each once', async () => {
    const backend = new MemoryRoomBackend();
    const events: string[] = [];
    const a = host(backend, 'node-a', events);
    const b = host(backend, 'node-b', events);
    hosts.push(a.roomHost, b.roomHost);
    const room = await a.roomHost.createRoom({ gameId: 'tick', options: { tickMs: 100, ticks: 12 }, hostId: 'ann', hostName: 'Ann' });
    await b.roomHost.join(room.code, 'bob', 'Bob');
    await a.roomHost.start(room.code, 'ann');
    await sleep(350);
    expect(a.roomHost.ownedRooms).toBe(1);
    expect(b.roomHost.ownedRooms).toBe(0);
    a.sever(true); // node-a is frozen: it can neither renew nor write
    const cutAt = Date.now();
    while (b.roomHost.ownedRooms === 0 && Date.now() - cutAt < 3000) await sleep(20);
    expect(b.roomHost.ownedRooms).toBe(1);
    a.sever(false); // it wakes up and tries to carry on with its stale lease
    while ((await ticksOf(backend, room.code)) < 12 && Date.now() - cutAt < 8000) await sleep(50);
    await sleep(300);
    expect(await ticksOf(backend, room.code)).toBe(12);
    expect(a.roomHost.ownedRooms).toBe(0);
    const fired = events.map((e) => e.split(':')[0]);
    expect(fired).toContain('node-a');
    expect(fired).toContain('node-b');
    expect(fired.lastIndexOf('node-a')).toBeLessThan(fired.indexOf('node-b'));
  }, 15_000);

  it('hands rooms over at once when a host closes, instead of after the lease expires', async () => {
    const backend = new MemoryRoomBackend();
    const events: string[] = [];
    const a = host(backend, 'node-a', events);
    const b = host(backend, 'node-b', events);
    hosts.push(b.roomHost);
    const room = await a.roomHost.createRoom({ gameId: 'tick', options: { tickMs: 100, ticks: 8 }, hostId: 'ann', hostName: 'Ann' });
    await b.roomHost.join(room.code, 'bob', 'Bob');
    await a.roomHost.start(room.code, 'ann');
    await sleep(150);
    await a.roomHost.close();
    const store = new MemoryRoomStore({ backend });
    expect((await store.get(room.code))?.lease).toBeNull();
    const closedAt = Date.now();
    while (b.roomHost.ownedRooms === 0 && Date.now() - closedAt < 2000) await sleep(10);
    expect(Date.now() - closedAt).toBeLessThan(300);
    while ((await ticksOf(backend, room.code)) < 8 && Date.now() - closedAt < 5000) await sleep(50);
    expect(await ticksOf(backend, room.code)).toBe(8);
  }, 10_000);

  it("removes a dropped member after the grace period even when their own gateway is gone: the owner times it too", async () => {
    const backend = new MemoryRoomBackend();
    const a = host(backend, 'node-a', [], 300);
    const b = host(backend, 'node-b', [], 300);
    hosts.push(a.roomHost);
    const room = await a.roomHost.createRoom({ gameId: 'tick', options: { tickMs: 5000, ticks: 10 }, hostId: 'ann', hostName: 'Ann' });
    await b.roomHost.join(room.code, 'bob', 'Bob');
    await a.roomHost.start(room.code, 'ann');
    await sleep(100);
    expect(a.roomHost.ownedRooms).toBe(1);
    await b.roomHost.disconnect(room.code, 'bob');
    await b.roomHost.close(); // node-b dies with Bob's grace timer
    const store = new MemoryRoomStore({ backend });
    const since = Date.now();
    while (storedMembers(await store.get(room.code)).some((m) => m.id === 'bob') && Date.now() - since < 3000) await sleep(50);
    expect(storedMembers(await store.get(room.code)).map((m) => m.id)).toEqual(['ann']);
  }, 10_000);
});

describe('a room deleted by another gateway', () => {
  it('leaves no game or grace timer armed here: nothing fires, nothing is logged', async () => {
    const backend = new MemoryRoomBackend();
    const warnings: string[] = [];
    const logger = { debug: () => undefined, info: () => undefined, warn: (_f: Record<string, unknown>, m: string) => warnings.push(m), error: (_f: Record<string, unknown>, m: string) => warnings.push(m) };
    const here = new RoomHost({ roomStore: new MemoryRoomStore({ backend }), games: [tickGame], deliver: () => undefined, disconnectGraceMs: 150, leaseTtlMs: 300, logger });
    const elsewhere = new MemoryRoomStore({ backend });
    try {
      const room = await here.createRoom({ gameId: 'tick', options: { tickMs: 100, ticks: 50 }, hostId: 'ann', hostName: 'Ann' });
      await here.join(room.code, 'bob', 'Bob');
      await here.start(room.code, 'ann');
      await here.disconnect(room.code, 'bob');
      await sleep(50);
      expect(here.ownedRooms).toBe(1);
      expect(await elsewhere.delete(room.code)).toBe(true);
      await sleep(400);
      expect(here.hostedRooms).toBe(0);
      expect(here.ownedRooms).toBe(0);
      expect(warnings).toEqual([]);
    } finally {
      await here.close();
      await elsewhere.close();
    }
  });
});

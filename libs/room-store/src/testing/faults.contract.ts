import { randomUUID } from 'node:crypto';
import type { RoomRecord, RoomStore } from '../room-store';
import { updateWithRetry } from '../update-with-retry';
import { readWhenAvailable, rejectionOf, whenAvailable } from './expectations';
import type { ContractContext, RoomStoreTestBackend } from './harness';

type Capability = 'loseReplyTo' | 'wipe' | 'indexSize';

/**
 * Exactly once, or an honest "unknown": calls whose reply was lost, and a backend that loses all its data.
 * These need the optional fault injection of the test backend; without it they pass without asserting.
 */
export function describeFaults(ctx: ContractContext): void {
  /** The backend, when it can inject the fault a case needs. */
  const able = (...needs: Capability[]): Required<RoomStoreTestBackend> | undefined => {
    const backend = ctx.backend();
    return needs.every((need) => typeof backend[need] === 'function') ? (backend as Required<RoomStoreTestBackend>) : undefined;
  };
  const marker = (): string => `marker-${randomUUID()}`;

  /** Every code `list()` pages through, readable or damaged. */
  const listedCodes = async (store: RoomStore): Promise<string[]> => {
    const codes: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.list({ limit: 1000, ...(cursor === undefined ? {} : { cursor }) });
      codes.push(...page.rooms.map((r) => r.code), ...page.damaged.map((d) => d.code));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return codes;
  };

  describe('lost replies: exactly once, or an honest unknown', () => {
    it('answers a create whose reply was lost with outcome unknown, and a retry with its requestId returns the same room', async () => {
      const backend = able('loseReplyTo');
      if (backend === undefined) return;
      const [a, b] = await ctx.stores(2);
      // Each case first makes the call it cuts once, so that what is cut is the call itself (on Redis: the
      // script run, not the first probe of a server that has not seen the script yet).
      const before = await a!.create({ gameId: 'g' });
      const mark = marker();
      const cut = backend.loseReplyTo(mark);
      const error = await rejectionOf(() => a!.create({ gameId: 'g', state: { mark } }));
      await cut;
      expect(error.code).toBe('STORE_UNAVAILABLE');
      expect(error.details).toMatchObject({ outcome: 'unknown', requestId: expect.any(String) });
      const requestId = String(error.details?.['requestId']);
      // The caller retries with the requestId the error named, here through another instance.
      const again = await whenAvailable(() => b!.create({ gameId: 'g', state: { mark }, requestId }));
      const twice = await whenAvailable(() => a!.create({ gameId: 'g', state: { mark }, requestId }));
      expect(twice).toEqual(again);
      expect(again).toMatchObject({ version: 1, state: { mark } });
      expect(await a!.count()).toBe(2);
      expect(await listedCodes(a!)).toEqual([before.code, again.code].sort());
    });

    it('treats a chosen code the same way: the retry returns the room instead of ROOM_CODE_TAKEN, another request still gets it', async () => {
      const backend = able('loseReplyTo');
      if (backend === undefined) return;
      const store = await ctx.store();
      await store.create({ gameId: 'g', code: 'WARM7' });
      const requestId = `req-${randomUUID()}`;
      const cut = backend.loseReplyTo(requestId);
      const error = await rejectionOf(() => store.create({ gameId: 'g', code: 'QZST7', requestId }));
      await cut;
      expect(error.details).toMatchObject({ outcome: 'unknown', requestId, room: 'QZST7' });
      const again = await whenAvailable(() => store.create({ gameId: 'g', code: 'QZST7', requestId }));
      expect(again).toMatchObject({ code: 'QZST7', version: 1 });
      expect((await rejectionOf(() => store.create({ gameId: 'g', code: 'QZST7', requestId: `req-${randomUUID()}` }))).code).toBe('ROOM_CODE_TAKEN');
      expect(await store.count()).toBe(2);
    });

    it('answers an update whose reply was lost with outcome unknown; the room holds it exactly once, under its writeId', async () => {
      const backend = able('loseReplyTo');
      if (backend === undefined) return;
      const store = await ctx.store();
      const room = await store.create({ gameId: 'g', state: { step: 0 } });
      await store.update(room.code, { state: { step: 1 } }, { expectedVersion: 1 });
      const mark = marker();
      const writeId = `write-${randomUUID()}`;
      const cut = backend.loseReplyTo(mark);
      const error = await rejectionOf(() => store.update(room.code, { state: { step: 2, mark } }, { expectedVersion: 2, writeId }));
      await cut;
      expect(error.code).toBe('STORE_UNAVAILABLE');
      expect(error.details).toMatchObject({ outcome: 'unknown' });
      const after = await readWhenAvailable(() => store.get(room.code));
      expect(after).toMatchObject({ version: 3, state: { step: 2, mark }, writeId });
      // Sending the same write again is refused, not applied a second time.
      expect((await rejectionOf(() => store.update(room.code, { state: { step: 2, mark } }, { expectedVersion: 2, writeId }))).code).toBe('VERSION_CONFLICT');
      expect((await store.get(room.code))?.version).toBe(3);
    });

    it('appends exactly once with updateWithRetry when the reply of its write was lost', async () => {
      const backend = able('loseReplyTo');
      if (backend === undefined) return;
      const store = await ctx.store();
      const room = await store.create({ gameId: 'g', state: { items: [] } });
      await updateWithRetry(store, room.code, () => ({ state: { items: ['first'] } }));
      const mark = marker();
      const cut = backend.loseReplyTo(mark);
      const appended = await updateWithRetry(store, room.code, (current) => ({
        state: { items: [...(current.state as { items: string[] }).items, mark] },
      }));
      await cut;
      expect(appended).toMatchObject({ version: 3, state: { items: ['first', mark] } });
      expect(await store.get(room.code)).toEqual(appended);
    });

    it('answers a delete whose reply was lost with outcome unknown; the room and its index entry are gone, once', async () => {
      const backend = able('loseReplyTo');
      if (backend === undefined) return;
      const store = await ctx.store();
      const keep = await store.create({ gameId: 'g' });
      await store.delete((await store.create({ gameId: 'g' })).code);
      const room = await store.create({ gameId: 'g' });
      const cut = backend.loseReplyTo(room.code);
      const error = await rejectionOf(() => store.delete(room.code, { expectedVersion: 1 }));
      await cut;
      expect(error.details).toMatchObject({ outcome: 'unknown' });
      expect(await readWhenAvailable(() => store.get(room.code))).toBeNull();
      expect(await store.delete(room.code)).toBe(false);
      expect(await store.count()).toBe(1);
      expect(await listedCodes(store)).toEqual([keep.code]);
    });

    it('lets a node whose lease reply was lost ask again and get the same lease, not a second token', async () => {
      const backend = able('loseReplyTo');
      if (backend === undefined) return;
      const [a, b] = await ctx.stores(2);
      const room = await a!.create({ gameId: 'g' });
      await a!.acquireLease((await a!.create({ gameId: 'g' })).code, 'node-warm', 60_000);
      const nodeId = `node-${randomUUID()}`;
      const cut = backend.loseReplyTo(nodeId);
      const error = await rejectionOf(() => a!.acquireLease(room.code, nodeId, 60_000));
      await cut;
      expect(error.details).toMatchObject({ outcome: 'unknown' });
      const stored = (await readWhenAvailable(() => a!.get(room.code)))!.lease!;
      const again = await whenAvailable(() => a!.acquireLease(room.code, nodeId, 60_000));
      expect(again).toMatchObject({ isAcquired: true, lease: { nodeId, token: stored.token } });
      expect(await b!.acquireLease(room.code, 'node-other', 60_000)).toMatchObject({ isAcquired: false, holder: { nodeId, token: stored.token } });
    });
  });

  describe('the backend loses all its data (an empty restart)', () => {
    it('issues larger fencing tokens for a room made again under the same code, so the old owner stays fenced out', async () => {
      const backend = able('wipe');
      if (backend === undefined) return;
      const [a, b] = await ctx.stores(2);
      await a!.create({ gameId: 'g', code: 'FENC7', state: 'before' });
      const old = await a!.acquireLease('FENC7', 'node-a', 60_000);
      if (!old.isAcquired) throw new Error('node-a should own the room');
      await a!.update('FENC7', { state: 'written by a' }, { expectedVersion: 1, fencingToken: old.lease.token });
      await backend.wipe();
      expect(await readWhenAvailable(() => b!.get('FENC7'))).toBeNull();
      const remade = await whenAvailable(() => b!.create({ gameId: 'g', code: 'FENC7', state: 'after' }));
      expect(remade).toMatchObject({ version: 1, fencingToken: 0, lease: null });
      // Nobody owns the new room yet: the old owner's token is refused.
      const early = await rejectionOf(() => whenAvailable(() => a!.update('FENC7', { state: 'stale' }, { expectedVersion: 1, fencingToken: old.lease.token })));
      expect(early.code).toBe('LEASE_LOST');
      const next = await b!.acquireLease('FENC7', 'node-b', 60_000);
      if (!next.isAcquired) throw new Error('node-b should own the remade room');
      expect(next.lease.token).toBeGreaterThan(old.lease.token);
      expect(Number.isSafeInteger(next.lease.token)).toBe(true);
      // The pre-loss owner wakes up and writes with what it last knew: refused, and the room is untouched.
      const stale = await rejectionOf(() => a!.update('FENC7', { state: 'stale' }, { expectedVersion: 1, fencingToken: old.lease.token }));
      expect(stale.code).toBe('LEASE_LOST');
      expect((await rejectionOf(() => a!.renewLease('FENC7', old.lease, 60_000))).code).toBe('LEASE_LOST');
      expect(await a!.releaseLease('FENC7', old.lease)).toBe(false);
      expect(await b!.get('FENC7')).toMatchObject({ version: 1, state: 'after', lease: { nodeId: 'node-b', token: next.lease.token } });
      expect((await b!.update('FENC7', { state: 'b' }, { expectedVersion: 1, fencingToken: next.lease.token })).version).toBe(2);
    }, 30_000);

    it('leaves every call with a typed answer and no index entry without its room when the data is lost amid writes', async () => {
      const backend = able('wipe', 'indexSize');
      if (backend === undefined) return;
      const stores = await ctx.stores(3);
      const known = new Set(['STORE_UNAVAILABLE', 'ROOM_NOT_FOUND', 'VERSION_CONFLICT']);
      const surprises: unknown[] = [];
      let isRunning = true;
      const writer = async (store: RoomStore, w: number): Promise<void> => {
        for (let i = 0; isRunning; i++) {
          try {
            const room: RoomRecord = await store.create({ gameId: 'g', state: { w, i } });
            await store.update(room.code, { state: { w, i, step: 2 } }, { expectedVersion: 1 });
            if (i % 3 === 0) await store.delete(room.code);
            // Let timers run: an in-memory store answers without ever yielding to them.
            await new Promise((resolve) => setImmediate(resolve));
          } catch (error) {
            if (!known.has((error as { code?: string }).code ?? '')) surprises.push(error);
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
        }
      };
      const writing = stores.map((store, w) => writer(store, w));
      await new Promise((resolve) => setTimeout(resolve, 300));
      await backend.wipe();
      await new Promise((resolve) => setTimeout(resolve, 700));
      isRunning = false;
      await Promise.all(writing);
      expect(surprises).toEqual([]);
      const store = stores[0]!;
      const counted = await readWhenAvailable(() => store.count());
      expect(await backend.indexSize(ctx.namespace())).toBe(counted);
      const listed = await listedCodes(store);
      expect(listed).toHaveLength(counted);
      const rooms = await Promise.all(listed.map((code) => store.get(code)));
      expect(rooms.every((room) => room !== null)).toBe(true);
      expect(counted).toBeGreaterThan(0);
    }, 30_000);
  });
}

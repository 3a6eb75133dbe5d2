import type { RoomLease } from '../room-store';
import { eventually, rejectionOf } from './expectations';
import type { ContractContext } from './harness';

/** One owner per room at a time, and fencing tokens that stop a former owner from writing. */
export function describeLeases(ctx: ContractContext): void {
  describe('ownership leases', () => {
    it('gives the lease to exactly one of 10 racing instances; the others are told who holds it', async () => {
      const stores = await ctx.stores(10);
      const room = await stores[0]!.create({ gameId: 'g' });
      const results = await Promise.all(stores.map((s, i) => s.acquireLease(room.code, `node-${i}`, 10_000)));
      const winners = results.filter((r) => r.isAcquired);
      expect(winners).toHaveLength(1);
      const lease = (winners[0] as { lease: RoomLease }).lease;
      expect(Number.isSafeInteger(lease.token) && lease.token > 0).toBe(true);
      for (const r of results) {
        if (!r.isAcquired) expect(r.holder).toEqual(lease);
      }
      expect((await stores[0]!.get(room.code))?.lease).toEqual(lease);
    });

    it('renews for the holder with the same token, and lets another node take over only after expiry', async () => {
      const [a, b] = await ctx.stores(2);
      const room = await a!.create({ gameId: 'g' });
      const first = await a!.acquireLease(room.code, 'node-a', 400);
      if (!first.isAcquired) throw new Error('node-a should own the room');
      const token = first.lease.token;
      const again = await a!.acquireLease(room.code, 'node-a', 400);
      expect(again).toMatchObject({ isAcquired: true, lease: { token } });
      const renewed = await a!.renewLease(room.code, { nodeId: 'node-a', token }, 400);
      expect(renewed.token).toBe(token);
      expect(await b!.acquireLease(room.code, 'node-b', 400)).toMatchObject({ isAcquired: false, holder: { nodeId: 'node-a', token } });
      let takeover: RoomLease | undefined;
      expect(
        await eventually(async () => {
          const r = await b!.acquireLease(room.code, 'node-b', 10_000);
          if (r.isAcquired) takeover = r.lease;
          return r.isAcquired;
        }, 5000),
      ).toBe(true);
      expect(takeover).toMatchObject({ nodeId: 'node-b' });
      expect(takeover!.token).toBeGreaterThan(token);
      expect((await a!.get(room.code))?.fencingToken).toBe(takeover!.token);
    }, 10_000);

    it("rejects the old owner's writes with LEASE_LOST after a takeover, leaving the room untouched", async () => {
      const [a, b] = await ctx.stores(2);
      const room = await a!.create({ gameId: 'g', state: { by: 'nobody' } });
      const old = await a!.acquireLease(room.code, 'node-a', 300);
      if (!old.isAcquired) throw new Error('node-a should own the room');
      const v2 = await a!.update(room.code, { state: { by: 'a' } }, { expectedVersion: 1, fencingToken: old.lease.token });
      expect(v2.version).toBe(2);
      let takeover: RoomLease | undefined;
      expect(
        await eventually(async () => {
          const r = await b!.acquireLease(room.code, 'node-b', 10_000);
          if (r.isAcquired) takeover = r.lease;
          return r.isAcquired;
        }, 5000),
      ).toBe(true);
      // node-a wakes up from a long pause and writes with what it last knew: right version, stale token.
      const error = await rejectionOf(() => a!.update(room.code, { state: { by: 'stale a' } }, { expectedVersion: 2, fencingToken: old.lease.token }));
      expect(error.code).toBe('LEASE_LOST');
      expect(error.details).toEqual({ room: room.code, token: old.lease.token, currentToken: takeover!.token });
      expect((await rejectionOf(() => a!.delete(room.code, { fencingToken: old.lease.token }))).code).toBe('LEASE_LOST');
      expect((await rejectionOf(() => a!.renewLease(room.code, old.lease, 1000))).code).toBe('LEASE_LOST');
      expect(await a!.releaseLease(room.code, old.lease)).toBe(false);
      expect(await b!.get(room.code)).toMatchObject({ version: 2, state: { by: 'a' }, lease: { nodeId: 'node-b', token: takeover!.token } });
      const v3 = await b!.update(room.code, { state: { by: 'b' } }, { expectedVersion: 2, fencingToken: takeover!.token });
      expect(v3.version).toBe(3);
    }, 10_000);

    it('hands the lease over at once on release, and fences the releaser out', async () => {
      const [a, b] = await ctx.stores(2);
      const room = await a!.create({ gameId: 'g' });
      const held = await a!.acquireLease(room.code, 'node-a', 60_000);
      if (!held.isAcquired) throw new Error('node-a should own the room');
      expect(await a!.releaseLease(room.code, held.lease)).toBe(true);
      expect((await a!.get(room.code))?.lease).toBeNull();
      expect((await rejectionOf(() => a!.update(room.code, { state: 1 }, { expectedVersion: 1, fencingToken: held.lease.token }))).code).toBe('LEASE_LOST');
      const next = await b!.acquireLease(room.code, 'node-b', 60_000);
      if (!next.isAcquired) throw new Error('node-b should get the released lease');
      expect(next.lease.token).toBeGreaterThan(held.lease.token);
    });

    it('only ever grows the fencing token, whoever takes the lease', async () => {
      const stores = await ctx.stores(3);
      const room = await stores[0]!.create({ gameId: 'g' });
      const tokens: number[] = [];
      for (let round = 0; round < 6; round++) {
        const store = stores[round % 3]!;
        const result = await store.acquireLease(room.code, `node-${round % 3}`, 60_000);
        if (!result.isAcquired) throw new Error('the lease should be free');
        tokens.push(result.lease.token);
        expect(await store.releaseLease(room.code, result.lease)).toBe(true);
      }
      expect(tokens.every((token, i) => Number.isSafeInteger(token) && (i === 0 || token > tokens[i - 1]!))).toBe(true);
    });

    it('accepts writes without a token (compare-and-set alone) and refuses made-up tokens', async () => {
      const store = await ctx.store();
      const room = await store.create({ gameId: 'g' });
      expect((await rejectionOf(() => store.update(room.code, { state: 1 }, { expectedVersion: 1, fencingToken: 0 }))).code).toBe('LEASE_LOST');
      const held = await store.acquireLease(room.code, 'node-a', 60_000);
      if (!held.isAcquired) throw new Error('node-a should own the room');
      for (const madeUp of [7, held.lease.token - 1, held.lease.token + 1]) {
        expect((await rejectionOf(() => store.update(room.code, { state: 1 }, { expectedVersion: 1, fencingToken: madeUp }))).code).toBe('LEASE_LOST');
      }
      expect((await store.update(room.code, { state: 2 }, { expectedVersion: 1 })).version).toBe(2);
      expect((await store.update(room.code, { state: 3 }, { expectedVersion: 2, fencingToken: held.lease.token })).version).toBe(3);
    });

    it('refuses bad lease arguments with INVALID_ARGUMENT', async () => {
      const store = await ctx.store();
      const room = await store.create({ gameId: 'g' });
      expect((await rejectionOf(() => store.acquireLease(room.code, '', 1000))).code).toBe('INVALID_ARGUMENT');
      expect((await rejectionOf(() => store.acquireLease(room.code, 'node', 0))).code).toBe('INVALID_ARGUMENT');
      expect((await rejectionOf(() => store.renewLease(room.code, { nodeId: 'node', token: -1 }, 1000))).code).toBe('INVALID_ARGUMENT');
      expect((await store.get(room.code))?.lease).toBeNull();
    });
  });
}

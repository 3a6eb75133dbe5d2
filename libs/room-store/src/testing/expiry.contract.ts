import { eventually, sleep } from './expectations';
import type { ContractContext } from './harness';

/** Rooms expire unless written or touched; expired rooms leave every read, count and list. */
export function describeExpiry(ctx: ContractContext): void {
  describe('expiry', () => {
    it('forgets a room whose time to live has passed, in get, count and list alike', async () => {
      const store = await ctx.store();
      const shortLived = await store.create({ gameId: 'g', ttlMs: 300 });
      const longLived = await store.create({ gameId: 'g', ttlMs: 60_000 });
      expect(await store.count()).toBe(2);
      expect(await eventually(async () => (await store.get(shortLived.code)) === null, 5000)).toBe(true);
      expect(await store.count()).toBe(1);
      expect((await store.list()).rooms.map((r) => r.code)).toEqual([longLived.code]);
      const error = await store.update(shortLived.code, { state: 1 }, { expectedVersion: 1 }).catch((e: { code: string }) => e);
      expect(error).toMatchObject({ code: 'ROOM_NOT_FOUND' });
    }, 10_000);

    it('slides the expiry on touch, without changing the version', async () => {
      const store = await ctx.store();
      const room = await store.create({ gameId: 'g', ttlMs: 400 });
      for (let i = 0; i < 4; i++) {
        await sleep(200);
        const expiresAt = await store.touch(room.code, 400);
        expect(expiresAt).toBeGreaterThan(room.expiresAt);
      }
      const alive = await store.get(room.code);
      expect(alive?.version).toBe(1);
      expect(await eventually(async () => (await store.get(room.code)) === null, 5000)).toBe(true);
    }, 10_000);

    it('keeps counting and listing a room that touches and writes keep alive past its first deadline', async () => {
      const store = await ctx.store();
      const room = await store.create({ gameId: 'g', ttlMs: 300 });
      await sleep(150);
      await store.touch(room.code, 1500);
      await sleep(300);
      expect(await store.count()).toBe(1);
      await store.update(room.code, { state: 1 }, { expectedVersion: 1, ttlMs: 3000 });
      await sleep(1600);
      expect(await store.count()).toBe(1);
      expect((await store.list()).rooms.map((r) => r.code)).toEqual([room.code]);
    }, 10_000);

    it('drops expired rooms from the index on its own timer, without anyone calling count() or list()', async () => {
      const backend = ctx.backend();
      if (backend.indexSize === undefined) return;
      const store = await ctx.store({ sweepIntervalMs: 100, sweepBatchSize: 7 });
      const kept = await store.create({ gameId: 'g', ttlMs: 60_000 });
      const started = Date.now();
      await Promise.all(Array.from({ length: 30 }, () => store.create({ gameId: 'g', ttlMs: 1500 })));
      // All 31 are in the index until the sweep runs (unless making them took so long that some expired already).
      if (Date.now() - started < 1000) expect(await backend.indexSize(ctx.namespace())).toBe(31);
      expect(await eventually(async () => (await backend.indexSize!(ctx.namespace())) === 1, 8000)).toBe(true);
      expect(await store.count()).toBe(1);
      expect((await store.list()).rooms.map((r) => r.code)).toEqual([kept.code]);
    }, 15_000);

    it('stops sweeping once the store is closed', async () => {
      const backend = ctx.backend();
      if (backend.indexSize === undefined) return;
      const sweeper = await ctx.store({ sweepIntervalMs: 50 });
      const writer = await ctx.store({ sweepIntervalMs: 0 });
      await sweeper.close();
      await Promise.all(Array.from({ length: 5 }, () => writer.create({ gameId: 'g', ttlMs: 500 })));
      await sleep(800);
      expect(await backend.indexSize(ctx.namespace())).toBe(5);
      expect(await writer.count()).toBe(0);
    });

    it('slides the expiry on every write', async () => {
      const store = await ctx.store({ roomTtlMs: 400 });
      const room = await store.create({ gameId: 'g' });
      let written = { version: room.version, updatedAt: 0, expiresAt: 0 };
      for (let i = 0; i < 4; i++) {
        await sleep(200);
        written = await store.update(room.code, { state: i }, { expectedVersion: written.version });
      }
      expect(await store.get(room.code)).toMatchObject({ version: 5, state: 3, expiresAt: written.expiresAt });
      expect(written.expiresAt - written.updatedAt).toBe(400);
    }, 10_000);
  });
}

import type { RoomRecord } from '../room-store';
import { inBatches, rejectionOf } from './expectations';
import type { ContractContext } from './harness';

/** count() and list() see every process's rooms, and page through them in code order. */
export function describeListing(ctx: ContractContext): void {
  describe('count and list', () => {
    it('counts and pages through 10,000 rooms made by two instances, each exactly once, in code order', async () => {
      const [a, b] = await ctx.stores(2);
      const created = await inBatches(10_000, 200, (i) => (i % 2 === 0 ? a! : b!).create({ gameId: 'g', state: i }));
      expect(await a!.count()).toBe(10_000);
      expect(await b!.count()).toBe(10_000);
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await b!.list({ limit: 1000, ...(cursor === undefined ? {} : { cursor }) });
        seen.push(...page.rooms.map((r: RoomRecord) => r.code));
        cursor = page.nextCursor;
        pages++;
      } while (cursor !== undefined);
      expect(pages).toBeGreaterThanOrEqual(10);
      expect(seen).toEqual(created.map((r) => r.code).sort());
    }, 120_000);

    it('leaves deleted rooms out of pages and counts', async () => {
      const store = await ctx.store();
      const rooms = await Promise.all(Array.from({ length: 30 }, () => store.create({ gameId: 'g' })));
      const codes = rooms.map((r) => r.code).sort();
      for (const code of codes.filter((_, i) => i % 3 === 0)) await store.delete(code);
      const kept = codes.filter((_, i) => i % 3 !== 0);
      expect(await store.count()).toBe(kept.length);
      const first = await store.list({ limit: 7 });
      expect(first.nextCursor).toBeDefined();
      const rest = await store.list({ limit: 1000, cursor: first.nextCursor as string });
      expect(rest.nextCursor).toBeUndefined();
      expect([...first.rooms, ...rest.rooms].map((r) => r.code)).toEqual(kept);
    });

    it('refuses page sizes outside 1 to 1000 with INVALID_ARGUMENT', async () => {
      const store = await ctx.store();
      for (const limit of [0, -1, 1001, 2.5]) {
        expect((await rejectionOf(() => store.list({ limit }))).code).toBe('INVALID_ARGUMENT');
      }
    });
  });
}

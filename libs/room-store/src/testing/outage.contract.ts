import type { RoomChange, RoomStore } from '../room-store';
import { eventually } from './expectations';
import type { ContractContext } from './harness';

/** While the backend is down calls fail fast and typed; when it returns, the same instances work again. */
export function describeOutage(ctx: ContractContext): void {
  describe('backend outage', () => {
    it('fails every call with STORE_UNAVAILABLE within the bound while down, and works again once back', async () => {
      const [a, b] = await ctx.stores(2);
      const heard: RoomChange[] = [];
      await b!.subscribe((change) => heard.push(change));
      const room = await a!.create({ gameId: 'g' });
      await ctx.backend().stop();
      try {
        const calls: Array<(s: RoomStore) => Promise<unknown>> = [
          (s) => s.create({ gameId: 'g' }),
          (s) => s.get(room.code),
          (s) => s.update(room.code, { state: 1 }, { expectedVersion: 1 }),
          (s) => s.touch(room.code),
          (s) => s.delete(room.code),
          (s) => s.count(),
          (s) => s.list(),
          (s) => s.acquireLease(room.code, 'node', 1000),
        ];
        for (const call of calls) {
          const started = Date.now();
          const error = await call(a!).then(
            () => undefined,
            (e: { code?: string }) => e,
          );
          expect(error).toMatchObject({ code: 'STORE_UNAVAILABLE' });
          // Not applied (never sent), or unknown (sent as the backend went down): never a silent success.
          expect(['not-applied', 'unknown']).toContain((error as { details?: { outcome?: string } }).details?.outcome);
          expect(Date.now() - started).toBeLessThan(ctx.outageBoundMs);
        }
      } finally {
        await ctx.backend().start();
      }
      // The backend may come back empty (a Redis without persistence): the stores must simply work again.
      expect(await eventually(async () => (await a!.create({ gameId: 'g', code: 'BACK7' })).version === 1, 10_000, 100)).toBe(true);
      expect(await b!.get('BACK7')).toMatchObject({ code: 'BACK7', version: 1 });
      await a!.update('BACK7', { state: 'after' }, { expectedVersion: 1 });
      expect(await eventually(() => heard.some((c) => c.code === 'BACK7' && c.version === 2), 10_000)).toBe(true);
    }, 60_000);
  });
}

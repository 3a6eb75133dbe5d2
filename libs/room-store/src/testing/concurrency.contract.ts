import { isVersionConflict } from '../room-store-base';
import { updateWithRetry } from '../update-with-retry';
import type { ContractContext } from './harness';

/** Many writers, many instances: compare-and-set must apply exactly the writes it acknowledges. */
export function describeConcurrency(ctx: ContractContext): void {
  describe('concurrent writers', () => {
    it('applies exactly the successful ones of 100 concurrent compare-and-set updates from 10 instances', async () => {
      const stores = await ctx.stores(10);
      const room = await stores[0]!.create({ gameId: 'g', state: { applied: [] as number[] } });
      const outcomes = await Promise.all(
        Array.from({ length: 100 }, async (_, writer) => {
          const store = stores[writer % stores.length]!;
          const seen = await store.get(room.code);
          const applied = (seen!.state as { applied: number[] }).applied;
          try {
            await store.update(room.code, { state: { applied: [...applied, writer] } }, { expectedVersion: seen!.version });
            return { writer, isApplied: true };
          } catch (error) {
            if (!isVersionConflict(error)) throw error;
            return { writer, isApplied: false };
          }
        }),
      );
      const winners = outcomes.filter((o) => o.isApplied).map((o) => o.writer);
      const final = await stores[0]!.get(room.code);
      expect(winners.length).toBeGreaterThan(0);
      expect(final!.version).toBe(1 + winners.length);
      expect([...(final!.state as { applied: number[] }).applied].sort((a, b) => a - b)).toEqual([...winners].sort((a, b) => a - b));
    }, 30_000);

    it('lands all 100 increments from 10 instances when writers retry their conflicts', async () => {
      const stores = await ctx.stores(10);
      const room = await stores[0]!.create({ gameId: 'g', state: { counter: 0 } });
      await Promise.all(
        Array.from({ length: 100 }, (_, writer) =>
          updateWithRetry(
            stores[writer % stores.length]!,
            room.code,
            (current) => ({ state: { counter: (current.state as { counter: number }).counter + 1 } }),
            { maxAttempts: 500 },
          ),
        ),
      );
      const final = await stores[0]!.get(room.code);
      expect(final).toMatchObject({ version: 101, state: { counter: 100 } });
    }, 60_000);
  });
}

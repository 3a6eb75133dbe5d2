import type { CreatedSession } from '../session-store';
import type { ContractContext } from './harness';

/** count() sees the sessions of every instance sharing the store, each once. */
export function describeCounting(ctx: ContractContext): void {
  describe('count', () => {
    it('counts 3,000 sessions made by two instances from either one, and leaves out destroyed ones', async () => {
      const [a, b] = await ctx.stores(2);
      const created: CreatedSession[] = [];
      for (let batch = 0; batch < 6; batch++) {
        const made = await Promise.all(Array.from({ length: 500 }, (_, i) => (i % 2 === 0 ? a! : b!).create({ displayName: `P${batch}-${i}` })));
        created.push(...made);
      }
      expect(await a!.count()).toBe(3000);
      expect(await b!.count()).toBe(3000);
      await Promise.all(created.slice(0, 100).map(({ token }, i) => (i % 2 === 0 ? b! : a!).destroy(token)));
      expect(await a!.count()).toBe(2900);
      // Writes move a session's expiry but never count it twice.
      await Promise.all(created.slice(100, 200).map(({ token }) => a!.touch(token)));
      expect(await b!.count()).toBe(2900);
    }, 30_000);

    it('counts nothing in an empty store', async () => {
      expect(await (await ctx.store()).count()).toBe(0);
    });
  });
}

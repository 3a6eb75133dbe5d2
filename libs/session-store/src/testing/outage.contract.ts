import type { SessionStore } from '../session-store';
import { failureOf, retryUntil } from './expectations';
import type { ContractContext } from './harness';

/** While the backend is down calls fail fast and typed; when it returns, the same instances work again. */
export function describeOutage(ctx: ContractContext): void {
  describe('backend outage', () => {
    it('fails every call with STORE_UNAVAILABLE within the bound while down, and works again once back', async () => {
      const [a, b] = await ctx.stores(2);
      const { token } = await a!.create({ displayName: 'Before' });
      await ctx.backend().stop();
      try {
        const calls: Array<[string, (s: SessionStore) => Promise<unknown>]> = [
          ['create', (s) => s.create({ displayName: 'During' })],
          ['get', (s) => s.get(token)],
          ['touch', (s) => s.touch(token)],
          ['update', (s) => s.update(token, { displayName: 'During' })],
          ['bindRoom', (s) => s.bindRoom(token, 'ABCDEF')],
          ['unbindRoom', (s) => s.unbindRoom(token)],
          ['destroy', (s) => s.destroy(token)],
          ['count', (s) => s.count()],
        ];
        for (const [name, call] of calls) {
          const started = Date.now();
          const error = await failureOf(() => call(a!));
          expect({ name, code: error.code }).toEqual({ name, code: 'STORE_UNAVAILABLE' });
          expect(Date.now() - started).toBeLessThan(ctx.outageBoundMs);
        }
      } finally {
        await ctx.backend().start();
      }
      // The backend may come back empty (a Redis without persistence): the same stores must simply work again.
      const after = await retryUntil(() => a!.create({ displayName: 'After' }), 10_000);
      expect(await retryUntil(() => b!.get(after.token), 10_000)).toEqual(after.session);
      expect((await b!.bindRoom(after.token, 'BACK42')).roomCode).toBe('BACK42');
      expect(await a!.count()).toBeGreaterThanOrEqual(1);
      expect(await a!.destroy(after.token)).toBe(true);
    }, 60_000);
  });
}

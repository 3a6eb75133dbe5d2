import { failureCode, failureOf } from './expectations';
import type { ContractContext } from './harness';

/** A damaged record is a typed error, never a crash or a half-read session, and it harms no other session. */
export function describeDamage(ctx: ContractContext): void {
  describe('damaged records', () => {
    it.each([
      ['data', '{"half": '],
      ['data', '[1, 2]'],
      ['schema', '99'],
      ['createdAt', 'yesterday'],
      ['lastSeenAt', '1.5'],
      ['expiresAt', 'soon'],
      ['ttlMs', '-3'],
    ])('reads a session whose %s field is %s as STORE_CORRUPTED, and other sessions still work', async (field, value) => {
      const store = await ctx.store();
      const damaged = await store.create({ displayName: 'Damaged', data: { ok: true } });
      const healthy = await store.create({ displayName: 'Healthy', data: { ok: true } });
      await ctx.backend().corruptSession(ctx.namespace(), damaged.token, field, value);
      const error = await failureOf(() => store.get(damaged.token));
      expect(error.code).toBe('STORE_CORRUPTED');
      expect(error.details).toMatchObject({ reason: expect.stringContaining(field) });
      expect(JSON.stringify([error.message, error.details])).not.toContain(damaged.token);
      expect(await store.get(healthy.token)).toEqual(healthy.session);
      expect((await store.update(healthy.token, { data: { ok: 'still' } })).data).toEqual({ ok: 'still' });
      expect(await store.count()).toBe(2);
      // A damaged session can still be ended.
      expect(await store.destroy(damaged.token)).toBe(true);
      expect(await store.get(damaged.token)).toBeNull();
    });

    it('refuses to write over an unknown schema or a damaged window with STORE_CORRUPTED instead of guessing', async () => {
      const store = await ctx.store();
      const future = await store.create({ displayName: 'Future' });
      await ctx.backend().corruptSession(ctx.namespace(), future.token, 'schema', '2');
      expect(await failureCode(() => store.touch(future.token))).toBe('STORE_CORRUPTED');
      expect(await failureCode(() => store.update(future.token, { displayName: 'Downgraded' }))).toBe('STORE_CORRUPTED');
      expect(await failureCode(() => store.bindRoom(future.token, 'ABCDEF'))).toBe('STORE_CORRUPTED');
      expect(await failureCode(() => store.unbindRoom(future.token))).toBe('STORE_CORRUPTED');
      expect(await failureCode(() => store.get(future.token))).toBe('STORE_CORRUPTED');
      const unsure = await store.create({ displayName: 'Unsure' });
      await ctx.backend().corruptSession(ctx.namespace(), unsure.token, 'ttlMs', 'forever');
      expect(await failureCode(() => store.touch(unsure.token))).toBe('STORE_CORRUPTED');
      expect(await failureCode(() => store.update(unsure.token, { data: {} }))).toBe('STORE_CORRUPTED');
    });
  });
}

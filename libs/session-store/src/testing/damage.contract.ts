import type { SessionStore } from '../session-store';
import { generateSessionToken } from '../session-tokens';
import { failureCode, failureOf } from './expectations';
import type { ContractContext } from './harness';

/** Every kind of damage to one stored field, and the field the error must name. */
const DAMAGE: Array<[field: string, value: string]> = [
  ['data', '{"half": '],
  ['data', '[1, 2]'],
  ['data', '"text"'],
  ['schema', '99'],
  ['schema', ''],
  ['ttlMs', '-3'],
  ['ttlMs', '0'],
  ['ttlMs', 'forever'],
  ['createdAt', 'yesterday'],
  ['lastSeenAt', '1.5'],
  ['expiresAt', 'soon'],
  ['expiresAt', '9'.repeat(20)],
  ['sessionId', ''],
  ['playerId', ''],
  ['displayName', ''],
  ['roomBoundAt', 'later'],
  ['createRequest', 'not-a-fingerprint'],
];

/** Every call that reads the stored record, each of which must refuse a damaged one. */
const READERS: Array<[string, (store: SessionStore, token: string) => Promise<unknown>]> = [
  ['get', (s, t) => s.get(t)],
  ['touch', (s, t) => s.touch(t)],
  ['touch with a ttl', (s, t) => s.touch(t, 60_000)],
  ['update', (s, t) => s.update(t, { displayName: 'Overwritten', data: { over: true } })],
  ['bindRoom', (s, t) => s.bindRoom(t, 'ROOM-X')],
  ['bindRoom ifRoomIs', (s, t) => s.bindRoom(t, 'ROOM-X', { ifRoomIs: null })],
  ['unbindRoom', (s, t) => s.unbindRoom(t)],
  ['unbindRoom ifRoomIs', (s, t) => s.unbindRoom(t, { ifRoomIs: 'ROOM-Y' })],
];

/** A damaged record is a typed error everywhere, never a crash, a guess or a half-read session, and it harms no other session. */
export function describeDamage(ctx: ContractContext): void {
  describe('damaged records', () => {
    it.each(DAMAGE)('refuses a session whose %s field is %j with STORE_CORRUPTED naming key and field in every call, writing nothing', async (field, value) => {
      const store = await ctx.store();
      const token = generateSessionToken();
      const input = { displayName: 'Damaged', data: { ok: true }, token };
      await store.create(input);
      const healthy = await store.create({ displayName: 'Healthy', data: { ok: true } });
      await ctx.backend().corruptSession(ctx.namespace(), token, field, value);
      const before = (await ctx.backend().storedText(ctx.namespace())).sort();
      for (const [name, call] of [...READERS, ['create again with its token', (s: SessionStore) => s.create(input)] as const]) {
        const error = await failureOf(() => call(store, token));
        expect({ name, code: error.code, details: error.details }).toEqual({
          name,
          code: 'STORE_CORRUPTED',
          details: { key: expect.any(String), field, reason: expect.stringContaining(field) },
        });
        expect(JSON.stringify([error.message, error.details])).not.toContain(token);
      }
      // Refused before writing: the stored data is exactly as damaged.
      expect((await ctx.backend().storedText(ctx.namespace())).sort()).toEqual(before);
      expect(await store.get(healthy.token)).toEqual(healthy.session);
      expect((await store.update(healthy.token, { data: { ok: 'still' } })).data).toEqual({ ok: 'still' });
      expect(await store.count()).toBe(2);
      // A damaged session can still be ended.
      expect(await store.destroy(token)).toBe(true);
      expect(await store.get(token)).toBeNull();
      expect(await store.count()).toBe(1);
    });

    it('refuses to write over an unknown schema or a damaged window instead of guessing', async () => {
      const store = await ctx.store();
      const future = await store.create({ displayName: 'Future' });
      await ctx.backend().corruptSession(ctx.namespace(), future.token, 'schema', '3');
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

    it('refuses a bound session whose roomBoundAt is damaged, and an unbound one that claims a binding time', async () => {
      const store = await ctx.store();
      const bound = await store.create({ displayName: 'Bound' });
      await store.bindRoom(bound.token, 'ROOM-A');
      await ctx.backend().corruptSession(ctx.namespace(), bound.token, 'roomBoundAt', '');
      expect((await failureOf(() => store.get(bound.token))).details).toMatchObject({ field: 'roomBoundAt' });
      expect(await failureCode(() => store.unbindRoom(bound.token, { ifRoomIs: 'ROOM-A' }))).toBe('STORE_CORRUPTED');
      const unbound = await store.create({ displayName: 'Unbound' });
      await ctx.backend().corruptSession(ctx.namespace(), unbound.token, 'roomBoundAt', '1700000000000');
      expect((await failureOf(() => store.bindRoom(unbound.token, 'ROOM-B', { ifRoomIs: null }))).details).toMatchObject({ field: 'roomBoundAt' });
    });

    it('leaves no part of a session behind when its index is of the wrong type, and names the index in the error', async () => {
      const damageIndex = ctx.backend().damageIndex?.bind(ctx.backend());
      // A backend without a separate index has nothing to damage here.
      if (damageIndex === undefined) return;
      const store = await ctx.store({ sweepIntervalMs: 0 });
      const token = generateSessionToken();
      const key = await damageIndex(ctx.namespace(), token);
      const before = (await ctx.backend().storedText(ctx.namespace())).sort();
      const error = await failureOf(() => store.create({ displayName: 'Homeless', token }));
      expect(error).toMatchObject({ code: 'STORE_CORRUPTED', details: { key } });
      expect((await ctx.backend().storedText(ctx.namespace())).sort()).toEqual(before);
      expect(await store.get(token)).toBeNull();
      expect((await failureOf(() => store.count())).details).toMatchObject({ key });
      expect((await failureOf(() => store.destroy(token))).details).toMatchObject({ key });
    });
  });
}

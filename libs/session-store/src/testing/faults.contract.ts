import { generateSessionToken } from '../session-tokens';
import { failureCode, failureOf, recordingLogger, retryUntil, sleep } from './expectations';
import type { ContractContext } from './harness';

/** Stores in these tests sweep on no timer, so that the only write under way is the one whose reply is lost. */
const NO_SWEEP = { sweepIntervalMs: 0 };

/**
 * Real faults between a store and its backend: a write applied whose reply is lost, and a backend that comes
 * back empty. A store answers exactly once or says honestly that the outcome is `unknown`; it never stores a
 * session twice and never crashes.
 */
export function describeFaults(ctx: ContractContext): void {
  describe('lost replies and restarts', () => {
    it('fails a create whose reply was lost with STORE_UNAVAILABLE (unknown); retried with its token it returns the one stored session', async () => {
      const store = await ctx.store(NO_SWEEP);
      const token = generateSessionToken();
      const input = { displayName: 'Once', data: { seat: 3 }, token };
      await ctx.backend().loseNextReply();
      const lost = await failureOf(() => store.create(input));
      expect(lost).toMatchObject({ code: 'STORE_UNAVAILABLE', details: { outcome: 'unknown' } });
      const retried = await retryUntil(() => store.create(input), 10_000);
      expect(retried.token).toBe(token);
      expect(retried.session).toMatchObject({ displayName: 'Once', data: { seat: 3 } });
      const again = await store.create(input);
      expect(again.session).toEqual(retried.session);
      expect(await store.get(token)).toEqual(retried.session);
      await sleep(300); // time enough for a client to re-send the lost command, which it must not
      expect(await store.count()).toBe(1);
      // The same token with other input is another create: refused, and the stored session is untouched.
      expect(await failureCode(() => store.create({ ...input, displayName: 'Twice' }))).toBe('INVALID_ARGUMENT');
      expect(await store.get(token)).toEqual(retried.session);
    }, 30_000);

    it('never stores a create twice when its reply is lost and no token was given', async () => {
      const store = await ctx.store(NO_SWEEP);
      await ctx.backend().loseNextReply();
      expect(await failureOf(() => store.create({ displayName: 'Orphan' }))).toMatchObject({ details: { outcome: 'unknown' } });
      await sleep(300);
      // The command ran once: one session whose token nobody holds, which expires by its TTL.
      expect(await retryUntil(() => store.count(), 10_000)).toBe(1);
    }, 30_000);

    it('fails a bind whose reply was lost with unknown; retrying the same conditional bind shows it applied', async () => {
      const store = await ctx.store(NO_SWEEP);
      const { token } = await store.create({ displayName: 'Binder' });
      await ctx.backend().loseNextReply();
      expect(await failureOf(() => store.bindRoom(token, 'ROOM-LOST', { ifRoomIs: null }))).toMatchObject({
        code: 'STORE_UNAVAILABLE',
        details: { outcome: 'unknown' },
      });
      // A conflict naming the very room asked for means the earlier attempt applied.
      const retry = await retryUntil(async () => {
        const error = await failureOf(() => store.bindRoom(token, 'ROOM-LOST', { ifRoomIs: null }));
        if (error.code === 'STORE_UNAVAILABLE') throw error; // still reconnecting
        return error;
      }, 10_000);
      expect(retry).toMatchObject({ code: 'ROOM_BINDING_CONFLICT', details: { actual: 'ROOM-LOST' } });
      expect((await store.get(token))?.roomCode).toBe('ROOM-LOST');
    }, 30_000);

    it('fails a destroy whose reply was lost with unknown; the session is gone and a retry answers false', async () => {
      const store = await ctx.store(NO_SWEEP);
      const { token } = await store.create({ displayName: 'Leaving' });
      const other = await store.create({ displayName: 'Staying' });
      await ctx.backend().loseNextReply();
      expect(await failureOf(() => store.destroy(token))).toMatchObject({ code: 'STORE_UNAVAILABLE', details: { outcome: 'unknown' } });
      expect(await retryUntil(() => store.destroy(token), 10_000)).toBe(false);
      expect(await store.get(token)).toBeNull();
      expect(await store.count()).toBe(1);
      expect(await store.get(other.token)).toEqual(other.session);
    }, 30_000);

    it('forgets everything when the backend restarts empty under connected stores: get gives null, count agrees, writes say not found', async () => {
      const logger = recordingLogger();
      const [a, b] = await ctx.stores(2, { logger, sweepIntervalMs: 50 });
      const created = await Promise.all(Array.from({ length: 5 }, (_, i) => a!.create({ displayName: `Before ${i}` })));
      await b!.bindRoom(created[0]!.token, 'ROOM-A');
      expect(await b!.count()).toBe(5);
      await ctx.backend().restartEmpty();
      for (const { token } of created) expect(await retryUntil(() => b!.get(token), 10_000)).toBeNull();
      expect(await retryUntil(() => a!.count(), 10_000)).toBe(0);
      expect(await failureCode(() => a!.touch(created[1]!.token))).toBe('SESSION_NOT_FOUND');
      expect(await failureCode(() => b!.bindRoom(created[0]!.token, 'ROOM-B', { ifRoomIs: 'ROOM-A' }))).toBe('SESSION_NOT_FOUND');
      expect(await a!.destroy(created[2]!.token)).toBe(false);
      await sleep(200); // sweeps run through the restart without crashing anything
      const after = await a!.create({ displayName: 'After' });
      expect(await b!.get(after.token)).toEqual(after.session);
      expect(await b!.count()).toBe(1);
    }, 30_000);
  });
}

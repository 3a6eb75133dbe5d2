import { hashSessionToken } from '../session-tokens';
import { failureCode, retryUntil, sleep } from './expectations';
import type { ContractContext } from './harness';

/** Sessions end unless touched or written; an ended session leaves every read, write and count. */
export function describeExpiry(ctx: ContractContext): void {
  describe('expiry', () => {
    it('forgets a session whose time to live has passed: get gives null, count leaves it out, writes get SESSION_NOT_FOUND', async () => {
      const store = await ctx.store();
      const short = await store.create({ displayName: 'Short', ttlMs: 250 });
      const long = await store.create({ displayName: 'Long', ttlMs: 60_000 });
      expect(await store.count()).toBe(2);
      await sleep(400);
      expect(await store.get(short.token)).toBeNull();
      expect(await store.count()).toBe(1);
      expect(await failureCode(() => store.touch(short.token))).toBe('SESSION_NOT_FOUND');
      expect(await failureCode(() => store.update(short.token, { displayName: 'Again' }))).toBe('SESSION_NOT_FOUND');
      expect(await failureCode(() => store.bindRoom(short.token, 'ABCDEF'))).toBe('SESSION_NOT_FOUND');
      expect(await failureCode(() => store.unbindRoom(short.token))).toBe('SESSION_NOT_FOUND');
      expect(await store.destroy(short.token)).toBe(false);
      expect(await store.get(long.token)).toEqual(long.session);
    });

    it('slides the expiry on touch and moves lastSeenAt, while get leaves both alone', async () => {
      const store = await ctx.store();
      const { token, session } = await store.create({ displayName: 'Toucher', ttlMs: 300 });
      let last = session;
      for (let i = 0; i < 3; i++) {
        await sleep(150);
        expect(await store.get(token)).toEqual(last);
        const touched = await store.touch(token);
        expect(touched.lastSeenAt).toBeGreaterThan(last.lastSeenAt);
        expect(touched.expiresAt).toBe(touched.lastSeenAt + 300);
        expect(touched.createdAt).toBe(session.createdAt);
        last = touched;
      }
      // 450 ms after creation, past the first expiry, it lives on; then, untouched, it ends.
      expect(await store.get(token)).toEqual(last);
      await sleep(450);
      expect(await store.get(token)).toBeNull();
    });

    it("slides the expiry on every write by the session's own window", async () => {
      const store = await ctx.store({ sessionTtlMs: 300 });
      const { token } = await store.create({ displayName: 'Writer' });
      const writes = [
        () => store.update(token, { data: { step: 1 } }),
        () => store.bindRoom(token, 'ABCDEF'),
        () => store.unbindRoom(token),
      ];
      for (const write of writes) {
        await sleep(150);
        const written = await write();
        expect(written.expiresAt).toBe(written.lastSeenAt + 300);
      }
      expect(await store.get(token)).toMatchObject({ data: { step: 1 }, roomCode: null });
    });

    it('clears expired sessions out of the stored data on its own, without anyone calling count()', async () => {
      const store = await ctx.store({ sweepIntervalMs: 100 });
      const brief = await Promise.all(Array.from({ length: 40 }, (_, i) => store.create({ displayName: `Brief ${i}`, ttlMs: 200 })));
      const lasting = await store.create({ displayName: 'Lasting', ttlMs: 60_000 });
      const traces = (token: string, sessionId: string): string[] => [hashSessionToken(token), sessionId];
      const remaining = async (): Promise<string[]> => {
        const dump = (await ctx.backend().storedText(ctx.namespace())).join('\n');
        return brief.flatMap(({ token, session }) => traces(token, session.sessionId)).filter((trace) => dump.includes(trace));
      };
      expect(await remaining()).toHaveLength(80);
      await retryUntil(async () => {
        const left = await remaining();
        if (left.length > 0) throw new Error(`${left.length} traces of expired sessions remain`);
      }, 5000);
      const dump = (await ctx.backend().storedText(ctx.namespace())).join('\n');
      for (const trace of traces(lasting.token, lasting.session.sessionId)) expect(dump).toContain(trace);
      expect(await store.count()).toBe(1);
    });

    it("makes a touch's time to live the session's window from then on", async () => {
      const store = await ctx.store();
      const { token } = await store.create({ displayName: 'Shrinking' });
      const touched = await store.touch(token, 250);
      expect(touched).toMatchObject({ ttlMs: 250, expiresAt: touched.lastSeenAt + 250 });
      const renamed = await store.update(token, { displayName: 'Shrunk' });
      expect(renamed).toMatchObject({ ttlMs: 250, expiresAt: renamed.lastSeenAt + 250 });
      await sleep(400);
      expect(await store.get(token)).toBeNull();
    });
  });
}

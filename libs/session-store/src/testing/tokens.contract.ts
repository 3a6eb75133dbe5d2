import { failureCode, failureOf, recordingLogger } from './expectations';
import type { ContractContext } from './harness';

/** Tokens are long, random, unique, never stored or logged, and a wrong one reveals nothing. */
export function describeTokens(ctx: ContractContext): void {
  describe('tokens', () => {
    it('hands out a base64url token of at least 128 random bits that finds the session', async () => {
      const store = await ctx.store();
      const { token, session } = await store.create({ displayName: 'Alice' });
      expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(Buffer.from(token, 'base64url').toString('base64url')).toBe(token);
      expect(Buffer.from(token, 'base64url').length).toBeGreaterThanOrEqual(16);
      expect(token).not.toContain(session.sessionId);
      expect((await store.get(token))?.sessionId).toBe(session.sessionId);
    });

    it('gives each of 1,000 sessions its own token, session id and player id', async () => {
      const [a, b] = await ctx.stores(2);
      const created = await Promise.all(Array.from({ length: 1000 }, (_, i) => (i % 2 === 0 ? a! : b!).create({ displayName: `P${i}` })));
      expect(new Set(created.map((c) => c.token)).size).toBe(1000);
      expect(new Set(created.map((c) => c.session.sessionId)).size).toBe(1000);
      expect(new Set(created.map((c) => c.session.playerId)).size).toBe(1000);
      // 1,000 random tokens share no long prefix: the bits are not from a weak source or a counter.
      expect(new Set(created.map((c) => c.token.slice(0, 8))).size).toBe(1000);
    });

    it('stores no token anywhere: a dump of the store holds the sessions but no token, in any encoding', async () => {
      const store = await ctx.store();
      const created = await Promise.all(Array.from({ length: 5 }, (_, i) => store.create({ displayName: `Dumped ${i}` })));
      await store.bindRoom(created[0]!.token, 'DUMP42');
      await store.update(created[1]!.token, { data: { note: 'hello' } });
      await store.touch(created[2]!.token);
      const dump = (await ctx.backend().storedText(ctx.namespace())).join('\n');
      for (const { token, session } of created) {
        expect(dump).toContain(session.sessionId);
        for (const encoding of [token, Buffer.from(token, 'base64url').toString('hex'), Buffer.from(token, 'base64url').toString('base64')]) {
          expect(dump).not.toContain(encoding);
          expect(dump.toLowerCase()).not.toContain(encoding.toLowerCase());
        }
      }
    });

    it('puts no token in its logs or its errors', async () => {
      const logger = recordingLogger();
      const store = await ctx.store({ logger });
      const { token } = await store.create({ displayName: 'Logged' });
      await store.get(token);
      await store.touch(token);
      await store.update(token, { displayName: 'Logged again' });
      await store.bindRoom(token, 'LOG123');
      await store.unbindRoom(token);
      await store.destroy(token);
      const errors = [await failureOf(() => store.touch(token)), await failureOf(() => store.update(token, { data: { x: 'y'.repeat(10_000) } }))];
      const written = JSON.stringify([logger.entries, errors, errors.map((e) => e.message)]);
      expect(written).not.toContain(token);
    });

    it('answers null for malformed, unknown, empty and non-string tokens alike, and never throws for them', async () => {
      const store = await ctx.store();
      const { token } = await store.create({ displayName: 'Real' });
      const gone = await store.create({ displayName: 'Gone' });
      await store.destroy(gone.token);
      const flipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
      const bad: unknown[] = [
        '', 'garbage', 'x'.repeat(43), 'x'.repeat(10_000), flipped, `${token} `, ` ${token}`, token.slice(1), `${token}A`,
        gone.token, '../../etc/passwd', '*', '{}', undefined, null, 42, {}, [token],
      ];
      for (const candidate of bad) {
        expect(await store.get(candidate as string)).toBeNull();
        expect(await store.destroy(candidate as string)).toBe(false);
      }
      const errors = await Promise.all(bad.map((candidate) => failureOf(() => store.touch(candidate as string))));
      expect(new Set(errors.map((e) => e.code))).toEqual(new Set(['SESSION_NOT_FOUND']));
      expect(new Set(errors.map((e) => e.message)).size).toBe(1);
      expect(await failureCode(() => store.bindRoom(flipped, 'ABCDEF'))).toBe('SESSION_NOT_FOUND');
      expect(await store.get(token)).not.toBeNull();
    });
  });
}

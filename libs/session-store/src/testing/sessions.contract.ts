import { generateSessionToken } from '../session-tokens';
import { failureCode } from './expectations';
import type { ContractContext } from './harness';

const THIRTY_MINUTES = 30 * 60 * 1000;

/** Create, read, update, bind, unbind and destroy, from one instance or several. */
export function describeSessions(ctx: ContractContext): void {
  describe('sessions', () => {
    it('creates a session bound to no room, with a 30-minute window, and reads it back equal', async () => {
      const store = await ctx.store();
      const { token, session } = await store.create({ displayName: '  Alice  ', data: { avatar: 'fox', level: 3 } });
      expect(session).toEqual({
        sessionId: expect.any(String),
        playerId: expect.any(String),
        displayName: 'Alice',
        roomCode: null,
        roomBoundAt: null,
        data: { avatar: 'fox', level: 3 },
        createdAt: session.createdAt,
        lastSeenAt: session.createdAt,
        expiresAt: session.createdAt + THIRTY_MINUTES,
        ttlMs: THIRTY_MINUTES,
      });
      expect(Math.abs(session.createdAt - Date.now())).toBeLessThan(60_000);
      expect(session.sessionId).not.toBe(session.playerId);
      expect(await store.get(token)).toEqual(session);
    });

    it('keeps a given player id and window, and starts with empty data by default', async () => {
      const store = await ctx.store();
      const { session } = await store.create({ displayName: 'Bob', playerId: 'player-7', ttlMs: 90_000 });
      expect(session).toMatchObject({ playerId: 'player-7', data: {}, ttlMs: 90_000, expiresAt: session.createdAt + 90_000 });
    });

    it('creates a session under a token the caller made; the same create again returns it, on any instance, instead of a second', async () => {
      const [a, b] = await ctx.stores(2);
      const token = generateSessionToken();
      const input = { displayName: 'Chosen', playerId: 'player-9', data: { seat: 1 }, ttlMs: 90_000, token };
      const first = await a!.create(input);
      expect(first.token).toBe(token);
      expect(await b!.get(token)).toEqual(first.session);
      const bound = await b!.bindRoom(token, 'ROOM-1');
      // A repeat returns the session as it is now, not a new one.
      const repeat = await b!.create(input);
      expect(repeat).toEqual({ token, session: bound });
      expect(await a!.count()).toBe(1);
      const defaults = { displayName: 'Defaults', token: generateSessionToken() };
      const made = await a!.create(defaults);
      expect((await b!.create(defaults)).session).toEqual(made.session);
      expect(await failureCode(() => a!.create({ ...input, data: { seat: 2 } }))).toBe('INVALID_ARGUMENT');
      expect(await failureCode(() => a!.create({ ...input, ttlMs: 60_000 }))).toBe('INVALID_ARGUMENT');
      expect(await failureCode(() => a!.create({ displayName: 'Chosen', data: { seat: 1 }, ttlMs: 90_000, token }))).toBe('INVALID_ARGUMENT');
      expect(await a!.count()).toBe(2);
    });

    it('lets another instance read, write and destroy a session this one created', async () => {
      const [a, b, c] = await ctx.stores(3);
      const { token, session } = await a!.create({ displayName: 'Carol' });
      expect(await b!.get(token)).toEqual(session);
      await b!.bindRoom(token, 'QUIZ42');
      expect((await c!.get(token))?.roomCode).toBe('QUIZ42');
      await c!.update(token, { data: { score: 10 } });
      expect(await a!.get(token)).toMatchObject({ roomCode: 'QUIZ42', data: { score: 10 }, sessionId: session.sessionId });
      expect(await b!.destroy(token)).toBe(true);
      expect(await a!.get(token)).toBeNull();
    });

    it('replaces the display name and the data (whole) on update, keeping what is not given', async () => {
      const store = await ctx.store();
      const { token, session } = await store.create({ displayName: 'Dave', data: { a: 1, b: 2 } });
      const renamed = await store.update(token, { displayName: ' Davey ' });
      expect(renamed).toMatchObject({ displayName: 'Davey', data: { a: 1, b: 2 }, sessionId: session.sessionId });
      const redone = await store.update(token, { data: { c: [1, 2, { d: null }] } });
      expect(redone).toMatchObject({ displayName: 'Davey', data: { c: [1, 2, { d: null }] } });
      expect(redone.createdAt).toBe(session.createdAt);
      expect(redone.lastSeenAt).toBeGreaterThanOrEqual(session.lastSeenAt);
      expect(await store.get(token)).toEqual(redone);
    });

    it('binds a session to a room, moves it to another, and unbinds it', async () => {
      const store = await ctx.store();
      const { token } = await store.create({ displayName: 'Erin', data: { keep: true } });
      expect((await store.bindRoom(token, 'ABCDEF')).roomCode).toBe('ABCDEF');
      expect((await store.bindRoom(token, 'GHJKMN')).roomCode).toBe('GHJKMN');
      const unbound = await store.unbindRoom(token);
      expect(unbound).toMatchObject({ roomCode: null, roomBoundAt: null, displayName: 'Erin', data: { keep: true } });
      const again = await store.unbindRoom(token);
      expect(again.roomCode).toBeNull();
      expect(await store.get(token)).toEqual(again);
    });

    it('destroys a session once; after that its token is unknown to every call', async () => {
      const store = await ctx.store();
      const { token } = await store.create({ displayName: 'Frank' });
      const other = await store.create({ displayName: 'Grace' });
      expect(await store.destroy(token)).toBe(true);
      expect(await store.destroy(token)).toBe(false);
      expect(await store.get(token)).toBeNull();
      expect(await failureCode(() => store.touch(token))).toBe('SESSION_NOT_FOUND');
      expect(await failureCode(() => store.update(token, { displayName: 'Back' }))).toBe('SESSION_NOT_FOUND');
      expect(await failureCode(() => store.bindRoom(token, 'ABCDEF'))).toBe('SESSION_NOT_FOUND');
      expect(await failureCode(() => store.unbindRoom(token))).toBe('SESSION_NOT_FOUND');
      expect(await store.get(other.token)).toEqual(other.session);
      expect(await store.count()).toBe(1);
    });

    it('hands out copies: changing a returned session changes nothing stored', async () => {
      const store = await ctx.store();
      const { token, session } = await store.create({ displayName: 'Heidi', data: { list: [1, 2] } });
      (session.data['list'] as number[]).push(3);
      session.displayName = 'Mallory';
      expect(await store.get(token)).toMatchObject({ displayName: 'Heidi', data: { list: [1, 2] } });
    });

    it('keeps stores of different namespaces apart: sessions and counts', async () => {
      const mine = await ctx.store();
      const theirs = await ctx.storeIn(`${ctx.namespace()}other-`);
      const { token } = await mine.create({ displayName: 'Ivan' });
      await theirs.create({ displayName: 'Judy' });
      await theirs.create({ displayName: 'Ken' });
      expect(await theirs.get(token)).toBeNull();
      expect(await failureCode(() => theirs.touch(token))).toBe('SESSION_NOT_FOUND');
      expect(await theirs.destroy(token)).toBe(false);
      expect(await mine.count()).toBe(1);
      expect(await theirs.count()).toBe(2);
      expect((await mine.get(token))?.displayName).toBe('Ivan');
    });
  });
}

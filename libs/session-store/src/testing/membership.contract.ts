import type { Session } from '../session-store';
import { failureCode, failureOf, sleep } from './expectations';
import type { ContractContext } from './harness';

/**
 * Room binding with compare-and-set: `bindRoom(token, room, { ifRoomIs })` and `unbindRoom(token, { ifRoomIs })`
 * check and write in one atomic step, so a player is in at most one room even with two tabs on one token.
 */
export function describeMembership(ctx: ContractContext): void {
  describe('room binding', () => {
    it('records when the current binding was set: null while unbound, the write time when bound, kept by other writes', async () => {
      const store = await ctx.store();
      const { token, session } = await store.create({ displayName: 'Bound' });
      expect(session.roomBoundAt).toBeNull();
      const bound = await store.bindRoom(token, 'ROOM-A');
      expect(bound.roomBoundAt).toBe(bound.lastSeenAt);
      await sleep(5);
      const touched = await store.touch(token);
      const renamed = await store.update(token, { displayName: 'Renamed' });
      expect(touched.roomBoundAt).toBe(bound.roomBoundAt);
      expect(renamed.roomBoundAt).toBe(bound.roomBoundAt);
      const again = await store.bindRoom(token, 'ROOM-A');
      expect(again.roomBoundAt).toBe(again.lastSeenAt);
      expect(again.roomBoundAt).toBeGreaterThan(bound.roomBoundAt!);
      expect((await store.unbindRoom(token)).roomBoundAt).toBeNull();
      expect(await store.get(token)).toMatchObject({ roomCode: null, roomBoundAt: null });
    });

    it('binds only when ifRoomIs matches the current room (null: none), and says which room it is in when not', async () => {
      const store = await ctx.store();
      const { token } = await store.create({ displayName: 'Careful' });
      const first = await store.bindRoom(token, 'ROOM-A', { ifRoomIs: null });
      expect(first.roomCode).toBe('ROOM-A');
      const conflict = await failureOf(() => store.bindRoom(token, 'ROOM-B', { ifRoomIs: null }));
      expect(conflict).toMatchObject({ code: 'ROOM_BINDING_CONFLICT', details: { actual: 'ROOM-A', boundAt: first.roomBoundAt } });
      const wrongRoom = await failureOf(() => store.bindRoom(token, 'ROOM-B', { ifRoomIs: 'ROOM-C' }));
      expect(wrongRoom.details).toEqual({ actual: 'ROOM-A', boundAt: first.roomBoundAt });
      // Nothing was written by the refused binds.
      expect(await store.get(token)).toEqual(first);
      const moved = await store.bindRoom(token, 'ROOM-B', { ifRoomIs: 'ROOM-A' });
      expect(moved.roomCode).toBe('ROOM-B');
      await store.unbindRoom(token);
      const unboundConflict = await failureOf(() => store.bindRoom(token, 'ROOM-C', { ifRoomIs: 'ROOM-B' }));
      expect(unboundConflict.details).toEqual({ actual: null, boundAt: null });
      expect((await store.bindRoom(token, 'ROOM-C', { ifRoomIs: null })).roomCode).toBe('ROOM-C');
      // Without a condition, bindRoom replaces whatever room is bound.
      expect((await store.bindRoom(token, 'ROOM-D')).roomCode).toBe('ROOM-D');
    });

    it('lets exactly one of two concurrent binds from no room win, on any instances, every time', async () => {
      const stores = await ctx.stores(4);
      for (let round = 0; round < 25; round++) {
        const { token } = await stores[0]!.create({ displayName: `Tabs ${round}` });
        const rooms = ['TAB-ONE', 'TAB-TWO'];
        const results = await Promise.allSettled(rooms.map((room, i) => stores[(round + i) % 4]!.bindRoom(token, room, { ifRoomIs: null })));
        const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
        const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as { code?: string; details?: unknown }] : []));
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect(lost[0]).toMatchObject({ code: 'ROOM_BINDING_CONFLICT', details: { actual: won[0]!.roomCode, boundAt: won[0]!.roomBoundAt } });
        expect((await stores[3]!.get(token))?.roomCode).toBe(won[0]!.roomCode);
      }
    }, 30_000);

    it('lets exactly one of 20 concurrent binds to 20 rooms from 10 instances win', async () => {
      const stores = await ctx.stores(10);
      const { token } = await stores[0]!.create({ displayName: 'Crowd' });
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => stores[i % 10]!.bindRoom(token, `ROOM-${i}`, { ifRoomIs: null })),
      );
      const won = results.filter((r): r is PromiseFulfilledResult<Session> => r.status === 'fulfilled');
      expect(won).toHaveLength(1);
      const winner = won[0]!.value.roomCode;
      for (const result of results) {
        if (result.status === 'rejected') expect(result.reason).toMatchObject({ code: 'ROOM_BINDING_CONFLICT', details: { actual: winner } });
      }
    }, 30_000);

    it('unbinds with ifRoomIs only from that room, and otherwise returns the session unchanged without writing', async () => {
      const store = await ctx.store();
      const { token } = await store.create({ displayName: 'Leaver' });
      const bound = await store.bindRoom(token, 'ROOM-A');
      await sleep(5);
      const untouched = await store.unbindRoom(token, { ifRoomIs: 'ROOM-B' });
      expect(untouched).toEqual(bound);
      expect(await store.get(token)).toEqual(bound);
      const left = await store.unbindRoom(token, { ifRoomIs: 'ROOM-A' });
      expect(left).toMatchObject({ roomCode: null, roomBoundAt: null });
      expect(left.lastSeenAt).toBeGreaterThan(bound.lastSeenAt);
      // Unbound already: a conditional unbind finds another "room" (none) and changes nothing.
      expect(await store.unbindRoom(token, { ifRoomIs: 'ROOM-A' })).toEqual(left);
    });

    it('answers SESSION_NOT_FOUND before any condition, and INVALID_ARGUMENT for a bad ifRoomIs or options', async () => {
      const store = await ctx.store();
      const { token } = await store.create({ displayName: 'Strict' });
      const gone = await store.create({ displayName: 'Gone' });
      await store.destroy(gone.token);
      expect(await failureCode(() => store.bindRoom(gone.token, 'ROOM-A', { ifRoomIs: null }))).toBe('SESSION_NOT_FOUND');
      expect(await failureCode(() => store.unbindRoom(gone.token, { ifRoomIs: 'ROOM-A' }))).toBe('SESSION_NOT_FOUND');
      for (const ifRoomIs of ['', 'A B', 'x'.repeat(65), 7, {}]) {
        expect(await failureCode(() => store.bindRoom(token, 'ROOM-A', { ifRoomIs: ifRoomIs as string }))).toBe('INVALID_ARGUMENT');
        expect(await failureCode(() => store.unbindRoom(token, { ifRoomIs: ifRoomIs as string }))).toBe('INVALID_ARGUMENT');
      }
      expect(await failureCode(() => store.unbindRoom(token, { ifRoomIs: null as unknown as string }))).toBe('INVALID_ARGUMENT');
      expect(await failureCode(() => store.bindRoom(token, 'ROOM-A', 'ROOM-B' as never))).toBe('INVALID_ARGUMENT');
      expect((await store.get(token))?.roomCode).toBeNull();
    });
  });
}

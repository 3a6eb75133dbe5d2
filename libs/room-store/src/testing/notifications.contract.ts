import type { RoomChange } from '../room-store';
import { MAX_NOTICE_LENGTH } from '../room-store-base';
import { eventually, sleep } from './expectations';
import type { ContractContext } from './harness';

/** Changes reach every instance sharing the backend; namespaces never mix. */
export function describeNotifications(ctx: ContractContext): void {
  describe('change notifications and namespaces', () => {
    it('tells a second instance about rooms created, updated and deleted, in order, until it unsubscribes', async () => {
      const [writer, watcher] = await ctx.stores(2);
      const seen: RoomChange[] = [];
      const subscription = await watcher!.subscribe((change) => seen.push(change));
      const room = await writer!.create({ gameId: 'g' });
      await writer!.update(room.code, { state: 1 }, { expectedVersion: 1 });
      await writer!.delete(room.code);
      expect(await eventually(() => seen.length === 3)).toBe(true);
      expect(seen).toEqual([
        { type: 'created', code: room.code, version: 1, origin: writer!.instanceId },
        { type: 'updated', code: room.code, version: 2, origin: writer!.instanceId },
        { type: 'deleted', code: room.code, version: 2, origin: writer!.instanceId },
      ]);
      await subscription.unsubscribe();
      await writer!.create({ gameId: 'g' });
      await sleep(200);
      expect(seen).toHaveLength(3);
    });

    it('carries a write\'s notice, as it was sent and not stored, to every instance; a bad notice is refused', async () => {
      const [writer, watcher] = await ctx.stores(2);
      const seen: RoomChange[] = [];
      await watcher!.subscribe((change) => seen.push(change));
      const room = await writer!.create({ gameId: 'g' });
      const notice = JSON.stringify([{ to: 'p1', text: 'quotes " and \\ back\\slashes, / slashes, ünïcode ✓, \n new lines' }]);
      await writer!.update(room.code, { state: 1 }, { expectedVersion: 1, notice });
      await writer!.update(room.code, { state: 2 }, { expectedVersion: 2 });
      expect(await eventually(() => seen.length === 3)).toBe(true);
      expect(seen[1]).toEqual({ type: 'updated', code: room.code, version: 2, origin: writer!.instanceId, notice });
      expect(seen[2]).not.toHaveProperty('notice');
      expect(JSON.stringify(await writer!.get(room.code))).not.toContain('p1');
      await expect(writer!.update(room.code, { state: 3 }, { expectedVersion: 3, notice: 7 as unknown as string })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      await expect(writer!.update(room.code, { state: 3 }, { expectedVersion: 3, notice: 'x'.repeat(MAX_NOTICE_LENGTH + 1) })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect((await writer!.get(room.code))?.version).toBe(3);
    });

    it('announces nothing for refused writes', async () => {
      const [writer, watcher] = await ctx.stores(2);
      const seen: RoomChange[] = [];
      await watcher!.subscribe((change) => seen.push(change));
      const room = await writer!.create({ gameId: 'g' });
      await writer!.update(room.code, { state: 1 }, { expectedVersion: 7 }).catch(() => undefined);
      await writer!.update(room.code, { state: 2 }, { expectedVersion: 1 });
      expect(await eventually(() => seen.length === 2)).toBe(true);
      await sleep(100);
      expect(seen.map((c) => [c.type, c.version])).toEqual([
        ['created', 1],
        ['updated', 2],
      ]);
    });

    it('keeps stores of different namespaces apart: rooms, counts and notifications', async () => {
      const mine = await ctx.store();
      const theirs = await ctx.storeIn(`${ctx.namespace()}other-`);
      const heard: RoomChange[] = [];
      await theirs.subscribe((change) => heard.push(change));
      const room = await mine.create({ gameId: 'g', code: 'SAME7' });
      const twin = await theirs.create({ gameId: 'h', code: 'SAME7' });
      expect(twin.gameId).toBe('h');
      expect((await mine.get('SAME7'))?.gameId).toBe('g');
      await mine.update(room.code, { state: 1 }, { expectedVersion: 1 });
      expect(await mine.count()).toBe(1);
      expect(await theirs.count()).toBe(1);
      expect(await eventually(() => heard.length === 1)).toBe(true);
      await sleep(100);
      expect(heard).toEqual([{ type: 'created', code: 'SAME7', version: 1, origin: theirs.instanceId }]);
    });
  });
}

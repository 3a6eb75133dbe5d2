import { contentSum } from '../room-fields';
import type { RoomStore } from '../room-store';
import type { CorruptedRoomInfo } from '../store-options';
import { rejectionOf } from './expectations';
import type { ContractContext } from './harness';

/**
 * One kind of damage: the field, what is written there (`undefined`: the field is removed), and the field the
 * error must name when it is not that one.
 */
type Damage = [field: string, value: string | undefined, named?: string];

const DAMAGE: Damage[] = [
  ['schema', '99'],
  ['schema', '3'],
  ['schema', '0'],
  ['schema', undefined],
  ['code', 'OTHER7'],
  ['gameId', '../etc'],
  ['version', 'many'],
  ['version', '0x10'],
  ['version', '1e1'],
  ['version', '01'],
  ['version', '0'],
  ['version', '-1'],
  ['version', '99999999999999999'],
  ['version', undefined],
  ['createdAt', ''],
  ['updatedAt', ' 7'],
  ['expiresAt', '1.5'],
  ['fence', 'x'],
  ['fence', '0x1'],
  ['fence', undefined],
  ['leaseNode', 'ghost-node'],
  ['leaseNode', undefined],
  ['leaseExpiresAt', 'soon'],
  ['writeId', 'x'.repeat(200)],
  ['options', '[]'],
  ['optionsSum', 'not a checksum'],
  ['stateSum', 'f'.repeat(40), 'state'],
  ['state', '{"valid":"JSON, but not what the store wrote"}'],
  ['options', 'nope'],
  ['state', '{"half": '],
  ['state', undefined],
];

/** Every operation a damaged room must refuse, each given a room code. */
const OPERATIONS: Array<[name: string, call: (store: RoomStore, code: string) => Promise<unknown>]> = [
  ['get', (s, code) => s.get(code)],
  ['update', (s, code) => s.update(code, { state: 'over it' }, { expectedVersion: 1 })],
  ['update of every part', (s, code) => s.update(code, { state: 1, options: {} }, { expectedVersion: 1 })],
  ['delete', (s, code) => s.delete(code)],
  ['touch', (s, code) => s.touch(code)],
  ['acquireLease', (s, code) => s.acquireLease(code, 'node-a', 1000)],
  ['renewLease', (s, code) => s.renewLease(code, { nodeId: 'node-a', token: 1 }, 1000)],
  ['releaseLease', (s, code) => s.releaseLease(code, { nodeId: 'node-a', token: 1 })],
];

/** A damaged stored room is refused by every operation, never written over, never taken for missing. */
export function describeDamage(ctx: ContractContext): void {
  const damage = async (code: string, [field, value]: Damage): Promise<boolean> => {
    const backend = ctx.backend();
    if (value !== undefined) {
      await backend.corruptRoom(ctx.namespace(), code, field, value);
      return true;
    }
    if (backend.removeRoomField === undefined) return false;
    await backend.removeRoomField(ctx.namespace(), code, field);
    return true;
  };

  describe('damaged records', () => {
    // Every row has all three items: Jest would take a missing one for a `done` callback.
    const rows = DAMAGE.map(([damaged, value, named]): [string, string | undefined, string] => [damaged, value, named ?? damaged]);
    it.each(rows)('refuses a room whose %s is damaged (%p) with STORE_CORRUPTED naming %s, in every operation', async (damaged, value, field) => {
      const heard: CorruptedRoomInfo[] = [];
      const store = await ctx.store({ onCorrupted: (info) => heard.push(info) });
      const room = await store.create({ gameId: 'g', state: { ok: true } });
      const healthy = await store.create({ gameId: 'g', state: { ok: true } });
      if (!(await damage(room.code, [damaged, value]))) return;
      for (const [name, call] of OPERATIONS) {
        const error = await rejectionOf(() => call(store, room.code));
        expect([name, error.code]).toEqual([name, 'STORE_CORRUPTED']);
        expect(error.details).toMatchObject({ key: expect.stringContaining(`{${room.code}}`), field, reason: expect.any(String) });
      }
      // Nothing wrote over it or removed it: it reads as damaged still.
      expect((await rejectionOf(() => store.get(room.code))).details).toMatchObject({ field });
      expect(heard.length).toBeGreaterThanOrEqual(OPERATIONS.length);
      expect(heard[0]).toMatchObject({ code: room.code, field, operation: 'get' });
      expect(new Set(heard.map((info) => info.operation))).toEqual(new Set(['get', 'update', 'delete', 'touch', 'acquireLease', 'renewLease', 'releaseLease']));
      // Other rooms are not affected.
      expect(await store.get(healthy.code)).toEqual(healthy);
      expect((await store.update(healthy.code, { state: 2 }, { expectedVersion: 1 })).version).toBe(2);
    });

    it('skips damaged rooms in list() and reports them in the page, while count() counts them, so both agree', async () => {
      const heard: CorruptedRoomInfo[] = [];
      const store = await ctx.store({ onCorrupted: (info) => heard.push(info) });
      const rooms = await Promise.all(Array.from({ length: 8 }, (_, i) => store.create({ gameId: 'g', state: i })));
      const codes = rooms.map((r) => r.code).sort();
      const broken = [codes[1]!, codes[5]!];
      await ctx.backend().corruptRoom(ctx.namespace(), broken[0]!, 'state', '{"half": ');
      await ctx.backend().corruptRoom(ctx.namespace(), broken[1]!, 'version', '0x10');
      const page = await store.list();
      expect(page.rooms.map((r) => r.code)).toEqual(codes.filter((code) => !broken.includes(code)));
      expect(page.damaged.map((d) => [d.code, d.field])).toEqual([
        [broken[0], 'state'],
        [broken[1], 'version'],
      ]);
      expect(page.damaged[0]).toMatchObject({ key: expect.stringContaining(`{${broken[0]}}`), reason: expect.any(String) });
      expect(await store.count()).toBe(page.rooms.length + page.damaged.length);
      expect(heard.filter((info) => info.operation === 'list').map((info) => info.code)).toEqual(broken);
      // Page by page the same: every code once, in order, readable or reported.
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const next = await store.list({ limit: 3, ...(cursor === undefined ? {} : { cursor }) });
        seen.push(...[...next.rooms.map((r) => r.code), ...next.damaged.map((d) => d.code)].sort());
        cursor = next.nextCursor;
      } while (cursor !== undefined);
      expect(seen).toEqual(codes);
    });

    it('reads and writes a room stored before checksums and ids existed, checking its JSON instead', async () => {
      const backend = ctx.backend();
      if (backend.removeRoomField === undefined) return;
      const store = await ctx.store();
      const old = await store.create({ gameId: 'g', state: { era: 'old' }, options: { rounds: 2 } });
      const legacy = await store.create({ gameId: 'g', state: { era: 'old' } });
      for (const code of [old.code, legacy.code]) {
        for (const field of ['optionsSum', 'stateSum', 'requestId']) await backend.removeRoomField(ctx.namespace(), code, field);
      }
      expect(await store.get(old.code)).toEqual(old);
      const written = await store.update(old.code, { state: { era: 'new' } }, { expectedVersion: 1 });
      expect(written.version).toBe(2);
      // The write gave it checksums for what it kept too: a later change outside the store is caught.
      await backend.corruptRoom(ctx.namespace(), old.code, 'options', '{"rounds":3}');
      expect((await rejectionOf(() => store.get(old.code))).details).toMatchObject({ field: 'options' });
      // Without checksums, damage is found by reading the JSON.
      await backend.corruptRoom(ctx.namespace(), legacy.code, 'state', '{"half": ');
      expect((await rejectionOf(() => store.update(legacy.code, { options: {} }, { expectedVersion: 1 }))).details).toMatchObject({ field: 'state' });
      expect((await rejectionOf(() => store.get(legacy.code))).details).toMatchObject({ field: 'state' });
    });

    it('reads and updates a room stored by the previous schema version, ignoring its players list', async () => {
      const store = await ctx.store();
      const room = await store.create({ gameId: 'g', state: { members: [{ id: 'p-ann' }] }, options: { rounds: 2 } });
      const stored = await store.create({ gameId: 'g', state: { era: 'old' } });
      // Version 1 kept a players list (and its checksum) next to the state; make both rooms look like that.
      const players = '[{"id":"p-ann","name":"Ann","seat":0,"isConnected":true}]';
      for (const code of [room.code, stored.code]) await ctx.backend().corruptRoom(ctx.namespace(), code, 'schema', '1');
      await ctx.backend().corruptRoom(ctx.namespace(), room.code, 'players', players);
      await ctx.backend().corruptRoom(ctx.namespace(), room.code, 'playersSum', contentSum(players));
      // Ignored, not checked: even a list that version would have refused.
      await ctx.backend().corruptRoom(ctx.namespace(), stored.code, 'players', 'not a list');
      expect(await store.get(room.code)).toEqual(room);
      expect(await store.get(stored.code)).toEqual(stored);
      expect((await store.list()).rooms.map((r) => r.code).sort()).toEqual([room.code, stored.code].sort());
      const written = await store.update(room.code, { state: { members: [] } }, { expectedVersion: 1 });
      expect(await store.get(room.code)).toEqual({ ...room, state: { members: [] }, version: 2, updatedAt: written.updatedAt, expiresAt: written.expiresAt });
      expect((await store.update(stored.code, {}, { expectedVersion: 1 })).version).toBe(2);
      expect(await store.get(stored.code)).toMatchObject({ state: { era: 'old' }, version: 2 });
      expect(await store.acquireLease(room.code, 'node-a', 1000)).toMatchObject({ isAcquired: true });
      expect(await store.delete(stored.code)).toBe(true);
    });

    it('keeps the record as it was when a refused write meets damage: the damaged field and everything else', async () => {
      const store = await ctx.store();
      const room = await store.create({ gameId: 'g', state: { keep: 'me' } });
      await ctx.backend().corruptRoom(ctx.namespace(), room.code, 'state', 'not json');
      await rejectionOf(() => store.update(room.code, { options: { rounds: 9 } }, { expectedVersion: 1 }));
      await rejectionOf(() => store.delete(room.code));
      await ctx.backend().corruptRoom(ctx.namespace(), room.code, 'state', '{"keep":"me"}');
      expect(await store.get(room.code)).toEqual(room);
    });
  });
}

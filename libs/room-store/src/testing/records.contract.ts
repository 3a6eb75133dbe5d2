import { ROOM_CODE_ALPHABET } from '../room-codes';
import { applyWrite } from '../update-with-retry';
import { rejectionOf } from './expectations';
import type { ContractContext } from './harness';

const alice = { id: 'p-alice', name: 'Alice' };

/** Create, read, update and delete, with the bad inputs each one must refuse. */
export function describeRecords(ctx: ContractContext): void {
  describe('create and get', () => {
    it('creates a room at version 1 under a 6-character code without look-alikes, and reads it back equal', async () => {
      const store = await ctx.store();
      const room = await store.create({ gameId: 'school-quiz', options: { rounds: 3 }, state: { phase: 'lobby', members: [alice] } });
      expect(room.code).toMatch(new RegExp(`^[${ROOM_CODE_ALPHABET}]{6}$`));
      expect(room.code).not.toMatch(/[01OIL]/);
      expect(room).toMatchObject({ gameId: 'school-quiz', version: 1, lease: null, fencingToken: 0, options: { rounds: 3 }, state: { phase: 'lobby', members: [alice] } });
      expect(room.expiresAt - room.createdAt).toBe(60 * 60 * 1000);
      expect(await store.get(room.code)).toEqual(room);
    });

    it('gives every room its own code', async () => {
      const store = await ctx.store({ codeLength: 4 });
      const rooms = await Promise.all(Array.from({ length: 300 }, () => store.create({ gameId: 'g' })));
      expect(new Set(rooms.map((r) => r.code)).size).toBe(300);
      expect(rooms.every((r) => r.code.length === 4)).toBe(true);
    });

    it('retries a colliding code, then gives up with ROOM_CODE_EXHAUSTED', async () => {
      const codes = ['AAAAAA', 'AAAAAA', 'BBBBBB'];
      const store = await ctx.store({ generateCode: () => codes.shift() ?? 'AAAAAA', maxCodeAttempts: 3 });
      expect((await store.create({ gameId: 'g' })).code).toBe('AAAAAA');
      expect((await store.create({ gameId: 'g' })).code).toBe('BBBBBB');
      const error = await rejectionOf(() => store.create({ gameId: 'g' }));
      expect(error.code).toBe('ROOM_CODE_EXHAUSTED');
      expect(await store.count()).toBe(2);
    });

    it('refuses a chosen code that is taken with ROOM_CODE_TAKEN and leaves the first room alone', async () => {
      const store = await ctx.store();
      const first = await store.create({ gameId: 'g', code: 'quzz7', state: { owner: 'first' } });
      expect(first.code).toBe('QUZZ7');
      const error = await rejectionOf(() => store.create({ gameId: 'other', code: 'QUZZ7', state: { owner: 'second' } }));
      expect(error.code).toBe('ROOM_CODE_TAKEN');
      expect(await store.get('QUZZ7')).toEqual(first);
    });

    it('answers null for an unknown room, reads codes case-insensitively, and rejects text that is no code', async () => {
      const store = await ctx.store();
      const room = await store.create({ gameId: 'g' });
      expect(await store.get('ZZZZZZ')).toBeNull();
      expect(await store.get(`  ${room.code.toLowerCase()} `)).toEqual(room);
      for (const bad of ['', 'AB', 'ABC0EF', 'ABCDEFGHJKMNPQRST', 'ABC DE', 'ÄBCDEF', 42]) {
        expect((await rejectionOf(() => store.get(bad as string))).code).toBe('INVALID_ROOM_CODE');
      }
    });

    it('hands out copies: changing a returned record changes nothing stored', async () => {
      const store = await ctx.store();
      const room = await store.create({ gameId: 'g', state: { list: [1, 2] }, options: { names: ['Alice'] } });
      (room.state as { list: number[] }).list.push(3);
      (room.options as { names: string[] }).names[0] = 'Mallory';
      const again = await store.get(room.code);
      expect(again?.state).toEqual({ list: [1, 2] });
      expect(again?.options).toEqual({ names: ['Alice'] });
    });
  });

  describe('bad input', () => {
    it('refuses state and options that are not plain JSON with INVALID_ARGUMENT and stores nothing', async () => {
      const store = await ctx.store();
      const bad: unknown[] = [{ f: () => 1 }, { d: new Date() }, { n: Number.NaN }, { u: undefined }, { m: new Map() }];
      for (const state of bad) {
        const error = await rejectionOf(() => store.create({ gameId: 'g', state: state as never }));
        expect(error.code).toBe('INVALID_ARGUMENT');
      }
      const cyclic: Record<string, unknown> = {};
      cyclic['me'] = cyclic;
      expect((await rejectionOf(() => store.create({ gameId: 'g', state: cyclic as never }))).code).toBe('INVALID_ARGUMENT');
      expect((await rejectionOf(() => store.create({ gameId: 'g', options: [1] as never }))).code).toBe('INVALID_ARGUMENT');
      expect(await store.count()).toBe(0);
    });

    it('refuses bad game ids and times to live with INVALID_ARGUMENT', async () => {
      const store = await ctx.store();
      for (const gameId of ['', 'has space', '../etc', 'x'.repeat(65), 7]) {
        expect((await rejectionOf(() => store.create({ gameId: gameId as string }))).code).toBe('INVALID_ARGUMENT');
      }
      for (const ttlMs of [0, -5, 1.5, Number.NaN, 31 * 24 * 3600 * 1000]) {
        expect((await rejectionOf(() => store.create({ gameId: 'g', ttlMs }))).code).toBe('INVALID_ARGUMENT');
      }
      expect(await store.count()).toBe(0);
    });

    it('refuses a write over maxRecordBytes with RECORD_TOO_LARGE and keeps the room as it was', async () => {
      const store = await ctx.store({ maxRecordBytes: 4096 });
      const room = await store.create({ gameId: 'g', state: { text: 'small' } });
      const error = await rejectionOf(() => store.update(room.code, { state: { text: 'x'.repeat(5000) } }, { expectedVersion: 1 }));
      expect(error.code).toBe('RECORD_TOO_LARGE');
      expect(await store.get(room.code)).toEqual(room);
    });

    it('refuses an update without a valid expected version with INVALID_ARGUMENT', async () => {
      const store = await ctx.store();
      const room = await store.create({ gameId: 'g' });
      for (const conditions of [undefined, {}, { expectedVersion: -1 }, { expectedVersion: '1' }, { expectedVersion: 1, fencingToken: -2 }]) {
        const error = await rejectionOf(() => store.update(room.code, { state: 1 }, conditions as never));
        expect(error.code).toBe('INVALID_ARGUMENT');
      }
      expect((await store.get(room.code))?.version).toBe(1);
    });
  });

  describe('update and delete', () => {
    it('replaces only the given parts and grows the version by one', async () => {
      const store = await ctx.store();
      const room = await store.create({ gameId: 'g', options: { rounds: 3 }, state: { step: 0, members: [alice] } });
      const written = await store.update(room.code, { state: { step: 1 } }, { expectedVersion: 1 });
      expect(written).toEqual({ code: room.code, version: 2, updatedAt: expect.any(Number), expiresAt: written.updatedAt + 3600_000 });
      expect(written.updatedAt).toBeGreaterThanOrEqual(room.updatedAt);
      const updated = await store.get(room.code);
      expect(updated).toEqual({ ...room, state: { step: 1 }, version: 2, updatedAt: written.updatedAt, expiresAt: written.expiresAt });
      const patch = { options: { rounds: 5 } };
      const seated = await store.update(room.code, patch, { expectedVersion: 2 });
      expect(await store.get(room.code)).toEqual(applyWrite(updated!, patch, seated));
      expect(await store.get(room.code)).toMatchObject({ version: 3, state: { step: 1 }, options: { rounds: 5 } });
    });

    it('rejects a stale version with VERSION_CONFLICT and never overwrites', async () => {
      const store = await ctx.store();
      const room = await store.create({ gameId: 'g', state: 'first' });
      await store.update(room.code, { state: 'second' }, { expectedVersion: 1 });
      const error = await rejectionOf(() => store.update(room.code, { state: 'stale' }, { expectedVersion: 1 }));
      expect(error.code).toBe('VERSION_CONFLICT');
      expect(error.details).toEqual({ room: room.code, expected: 1, actual: 2 });
      expect(await store.get(room.code)).toMatchObject({ version: 2, state: 'second' });
    });

    it('answers ROOM_NOT_FOUND for writes to a room that does not exist', async () => {
      const store = await ctx.store();
      expect((await rejectionOf(() => store.update('ZZZZZZ', { state: 1 }, { expectedVersion: 1 }))).code).toBe('ROOM_NOT_FOUND');
      expect((await rejectionOf(() => store.touch('ZZZZZZ'))).code).toBe('ROOM_NOT_FOUND');
      expect((await rejectionOf(() => store.acquireLease('ZZZZZZ', 'node-a', 1000))).code).toBe('ROOM_NOT_FOUND');
      expect(await store.delete('ZZZZZZ')).toBe(false);
    });

    it('deletes a room once, and refuses a delete at a stale version', async () => {
      const store = await ctx.store();
      const room = await store.create({ gameId: 'g' });
      await store.update(room.code, { state: 1 }, { expectedVersion: 1 });
      expect((await rejectionOf(() => store.delete(room.code, { expectedVersion: 1 }))).code).toBe('VERSION_CONFLICT');
      expect(await store.get(room.code)).not.toBeNull();
      expect(await store.delete(room.code, { expectedVersion: 2 })).toBe(true);
      expect(await store.get(room.code)).toBeNull();
      expect(await store.delete(room.code)).toBe(false);
      expect(await store.count()).toBe(0);
    });
  });
}

import { generateSessionToken } from '../session-tokens';
import { failureCode, failureOf } from './expectations';
import type { ContractContext } from './harness';

const BAD_DISPLAY_NAMES: unknown[] = [
  '', '   ', 'x'.repeat(33), 'nul\u0000byte', 'line\nbreak', 'tab\there', 'bell\u0007', 'del\u007f', 'c1\u0085',
  '\u202Eevil', 'lone \uD800 surrogate', 42, null, { name: 'x' }, ['x'],
];

const cyclic: Record<string, unknown> = {};
cyclic['self'] = cyclic;
const BAD_DATA: unknown[] = [[1], 'text', 7, null, { f: () => 1 }, { d: new Date(0) }, { n: Number.NaN }, { u: undefined }, new Map(), cyclic];

const BAD_TTLS: unknown[] = [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 31 * 24 * 60 * 60 * 1000, '1000', null];

/** Every bad argument is refused with a typed error, and nothing is stored or changed. */
export function describeInput(ctx: ContractContext): void {
  describe('bad input', () => {
    it('accepts display names of 1 to 32 characters, counting characters rather than bytes', async () => {
      const store = await ctx.store();
      for (const name of ['A', 'x'.repeat(32), '😀'.repeat(32), 'Zoë & Ægir', '名前', '👩‍👩‍👧']) {
        expect((await store.create({ displayName: name })).session.displayName).toBe(name);
      }
    });

    it('refuses empty, too long, control-character and non-string display names with INVALID_ARGUMENT, storing nothing', async () => {
      const store = await ctx.store();
      const { token, session } = await store.create({ displayName: 'Alice' });
      for (const displayName of BAD_DISPLAY_NAMES) {
        expect(await failureCode(() => store.create({ displayName: displayName as string }))).toBe('INVALID_ARGUMENT');
        expect(await failureCode(() => store.update(token, { displayName: displayName as string }))).toBe('INVALID_ARGUMENT');
      }
      expect(await failureCode(() => store.create(undefined as never))).toBe('INVALID_ARGUMENT');
      expect(await failureCode(() => store.create({} as never))).toBe('INVALID_ARGUMENT');
      expect(await store.count()).toBe(1);
      expect(await store.get(token)).toEqual(session);
    });

    it('refuses data that is not a plain JSON object with INVALID_ARGUMENT, storing nothing', async () => {
      const store = await ctx.store();
      const { token, session } = await store.create({ displayName: 'Alice', data: { ok: true } });
      for (const data of BAD_DATA) {
        expect(await failureCode(() => store.create({ displayName: 'Bob', data: data as never }))).toBe('INVALID_ARGUMENT');
        expect(await failureCode(() => store.update(token, { data: data as never }))).toBe('INVALID_ARGUMENT');
      }
      expect(await store.count()).toBe(1);
      expect(await store.get(token)).toEqual(session);
    });

    it('refuses data over maxDataBytes (default 4 KiB) with RECORD_TOO_LARGE, storing nothing', async () => {
      const store = await ctx.store();
      const { token, session } = await store.create({ displayName: 'Alice', data: { text: 'x'.repeat(4000) } });
      const error = await failureOf(() => store.create({ displayName: 'Bob', data: { text: 'x'.repeat(4100) } }));
      expect(error.code).toBe('RECORD_TOO_LARGE');
      expect(error.details).toMatchObject({ limit: 4096 });
      expect(await failureCode(() => store.update(token, { data: { text: 'é'.repeat(2100) } }))).toBe('RECORD_TOO_LARGE');
      const small = await ctx.store({ maxDataBytes: 64 });
      expect(await failureCode(() => small.create({ displayName: 'Carol', data: { text: 'x'.repeat(64) } }))).toBe('RECORD_TOO_LARGE');
      expect(await store.count()).toBe(1);
      expect(await store.get(token)).toEqual(session);
    });

    it('refuses times to live that are not whole milliseconds from 1 ms to 30 days with INVALID_ARGUMENT', async () => {
      const store = await ctx.store();
      const { token, session } = await store.create({ displayName: 'Alice' });
      for (const ttlMs of BAD_TTLS) {
        expect(await failureCode(() => store.create({ displayName: 'Bob', ttlMs: ttlMs as number }))).toBe('INVALID_ARGUMENT');
        expect(await failureCode(() => store.touch(token, ttlMs as number))).toBe('INVALID_ARGUMENT');
      }
      expect(await store.count()).toBe(1);
      expect(await store.get(token)).toEqual(session);
    });

    it('refuses bad player ids, room codes and patches with INVALID_ARGUMENT, changing nothing', async () => {
      const store = await ctx.store();
      const { token, session } = await store.create({ displayName: 'Alice' });
      for (const playerId of ['', 'has space', 'x'.repeat(129), 'nl\n', '\uDC00', 7, null]) {
        expect(await failureCode(() => store.create({ displayName: 'Bob', playerId: playerId as string }))).toBe('INVALID_ARGUMENT');
      }
      for (const roomCode of ['', 'AB CD', 'x'.repeat(65), 'tab\t', 5, null, undefined]) {
        expect(await failureCode(() => store.bindRoom(token, roomCode as string))).toBe('INVALID_ARGUMENT');
      }
      for (const patch of [null, 'name', 3]) {
        expect(await failureCode(() => store.update(token, patch as never))).toBe('INVALID_ARGUMENT');
      }
      expect(await store.count()).toBe(1);
      expect(await store.get(token)).toEqual(session);
    });

    it('refuses a caller token that is not 43 base64url characters encoding 256 bits with INVALID_ARGUMENT, storing nothing', async () => {
      const store = await ctx.store();
      const good = generateSessionToken();
      const bad: unknown[] = ['', 'short', good.slice(1), `${good}A`, `${good.slice(0, -1)}B`, `${good.slice(0, -1)}=`, good.replace(/./, '+'), 42, null, [good]];
      for (const token of bad) {
        const error = await failureOf(() => store.create({ displayName: 'Chosen', token: token as string }));
        expect(error.code).toBe('INVALID_ARGUMENT');
        expect(JSON.stringify([error.message, error.details])).not.toContain(good.slice(1, -1));
      }
      expect(await store.count()).toBe(0);
    });

    it('refuses bad store options with one INVALID_ARGUMENT naming every problem', async () => {
      const error = await failureOf(() => ctx.store({ sessionTtlMs: 0, maxDataBytes: -1, sweepIntervalMs: -5, sweepBatchSize: 0 }));
      expect(error.code).toBe('INVALID_ARGUMENT');
      expect(error.message).toMatch(/sessionTtlMs.*maxDataBytes.*sweepIntervalMs.*sweepBatchSize/);
    });
  });
}

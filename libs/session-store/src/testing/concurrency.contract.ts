import type { Session } from '../session-store';
import { failureCode } from './expectations';
import type { ContractContext } from './harness';

/** Many writers on many instances: every write is whole, and a destroy is final. */
export function describeConcurrency(ctx: ContractContext): void {
  describe('concurrent writers', () => {
    it('keeps a session whole through 100 concurrent binds and updates from 10 instances', async () => {
      const stores = await ctx.stores(10);
      const { token } = await stores[0]!.create({ displayName: 'Start' });
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, writer): Promise<[number, Session]> => {
          const store = stores[writer % stores.length]!;
          const write =
            writer % 2 === 0
              ? store.bindRoom(token, `ROOM-${writer}`)
              : store.update(token, { displayName: `Player ${writer}`, data: { writer, padding: 'x'.repeat(200) } });
          return write.then((session) => [writer, session]);
        }),
      );
      // Each call answers with the session just after its own write: its own value, whole.
      for (const [writer, session] of results) {
        if (writer % 2 === 0) expect(session.roomCode).toBe(`ROOM-${writer}`);
        else expect(session).toMatchObject({ displayName: `Player ${writer}`, data: { writer } });
      }
      const final = await stores[9]!.get(token);
      expect(final).not.toBeNull();
      const boundBy = Number(final!.roomCode?.replace('ROOM-', ''));
      const namedBy = Number(final!.displayName.replace('Player ', ''));
      expect(boundBy % 2).toBe(0);
      expect(namedBy % 2).toBe(1);
      // The name and the data were written together, so they come from the same writer.
      expect(final!.data).toEqual({ writer: namedBy, padding: 'x'.repeat(200) });
    }, 30_000);

    it('lets no concurrent touch bring back a session destroyed among them', async () => {
      const stores = await ctx.stores(10);
      const { token } = await stores[0]!.create({ displayName: 'Doomed' });
      const outcomes = await Promise.all([
        ...Array.from({ length: 50 }, (_, i) => failureCode(() => stores[i % 10]!.touch(token))),
        failureCode(() => stores[5]!.destroy(token)),
        ...Array.from({ length: 50 }, (_, i) => failureCode(() => stores[i % 10]!.update(token, { data: { i } }))),
      ]);
      expect(outcomes.every((o) => o === 'RESOLVED' || o === 'SESSION_NOT_FOUND')).toBe(true);
      expect(await stores[0]!.get(token)).toBeNull();
      expect(await stores[0]!.count()).toBe(0);
    }, 30_000);
  });
}

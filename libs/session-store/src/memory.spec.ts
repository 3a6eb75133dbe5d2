import { MemorySessionBackend, MemorySessionStore } from './memory';
import { describeSessionStoreContract, MemorySessionStoreTestBackend } from './testing';

describeSessionStoreContract({ name: 'memory', setup: async () => new MemorySessionStoreTestBackend(), outageBoundMs: 100 });

describe('MemorySessionStore', () => {
  it("decides expiry by the backend's clock, so tests can move time instead of waiting", async () => {
    let now = 1_000_000;
    const store = new MemorySessionStore({ backend: new MemorySessionBackend({ clock: { now: () => now } }), sessionTtlMs: 60_000 });
    const { token, session } = await store.create({ displayName: 'Clocked' });
    expect(session).toMatchObject({ createdAt: 1_000_000, expiresAt: 1_060_000 });
    now += 59_999;
    expect((await store.touch(token)).expiresAt).toBe(1_119_999);
    now += 60_000;
    expect(await store.get(token)).toBeNull();
    expect(await store.count()).toBe(0);
  });
});

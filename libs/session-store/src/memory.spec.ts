import { setTimeout as sleep } from 'node:timers/promises';
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

  it('sweeps expired sessions out of the backend on its timer, in batches, until closed', async () => {
    let now = 1_000_000;
    const backend = new MemorySessionBackend({ clock: { now: () => now } });
    const store = new MemorySessionStore({ backend, sweepIntervalMs: 20, sweepBatchSize: 3, sessionTtlMs: 1000 });
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.create({ displayName: `Brief ${i}` })));
    const lasting = await store.create({ displayName: 'Lasting', ttlMs: 60_000 });
    now += 1000;
    await sleep(100);
    expect(backend.storedText('gb:').filter((text) => text.startsWith('Brief'))).toEqual([]);
    expect(await store.get(lasting.token)).toEqual(lasting.session);
    await store.close();
    await store.create({ displayName: 'After close' });
    now += 1000;
    await sleep(100);
    expect(backend.storedText('gb:')).toContain('After close');
    expect(await store.sweepExpiredSessions()).toBe(1);
  });
});

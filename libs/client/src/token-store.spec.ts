import { InvalidArgumentError } from '@gamebuddies/core';
import { browserTokenStore, memoryTokenStore, type StorageLike } from './token-store';

/** A Web Storage stand-in backed by a Map. */
function mapStorage(): StorageLike & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
}

describe('memoryTokenStore', () => {
  it('saves, loads and clears a token, starting from the one given', () => {
    const store = memoryTokenStore('first');
    expect(store.load()).toBe('first');
    store.save('second');
    expect(store.load()).toBe('second');
    store.clear();
    expect(store.load()).toBeNull();
  });

  it('keeps each store to itself', () => {
    const a = memoryTokenStore();
    const b = memoryTokenStore();
    a.save('a');
    expect(b.load()).toBeNull();
  });
});

describe('browserTokenStore', () => {
  it('keeps the token in the storage under its key', () => {
    const storage = mapStorage();
    const store = browserTokenStore('gb:token', storage);
    expect(store.load()).toBeNull();
    store.save('secret');
    expect(storage.items.get('gb:token')).toBe('secret');
    expect(browserTokenStore('gb:token', storage).load()).toBe('secret');
    store.clear();
    expect(storage.items.has('gb:token')).toBe(false);
  });

  it('treats storage that throws as empty instead of failing', () => {
    const broken: StorageLike = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    const store = browserTokenStore('gb:token', broken);
    expect(() => store.save('secret')).not.toThrow();
    expect(store.load()).toBeNull();
    expect(() => store.clear()).not.toThrow();
  });

  it('uses globalThis.localStorage by default, and refuses to start without any storage', () => {
    const host = globalThis as { localStorage?: StorageLike };
    const original = host.localStorage;
    try {
      host.localStorage = undefined;
      expect(() => browserTokenStore('gb:token')).toThrow(InvalidArgumentError);
      const storage = mapStorage();
      host.localStorage = storage;
      browserTokenStore('gb:token').save('secret');
      expect(storage.items.get('gb:token')).toBe('secret');
    } finally {
      host.localStorage = original;
    }
  });
});
